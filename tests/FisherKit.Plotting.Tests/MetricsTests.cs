namespace FisherKit.Plotting.Tests;

/// <summary>The numbers behind ROC and reliability charts, against brute-force definitions.</summary>
public class MetricsTests
{
    [Fact]
    public void Roc_area_equals_the_pairwise_ranking_probability()
    {
        var rng = new Random(7);
        var scores = Enumerable.Range(0, 200).Select(_ => Math.Round(rng.NextDouble(), 1)).ToArray(); // ties on purpose
        var labels = scores.Select(s => rng.NextDouble() < 0.3 + 0.4 * s).ToArray();
        var roc = RocCurve.FromScores(scores, labels);
        // Brute force: P(score+ > score-) + 1/2 P(tie) over all positive-negative pairs.
        double wins = 0, pairs = 0;
        for (var i = 0; i < scores.Length; i++)
            for (var j = 0; j < scores.Length; j++)
                if (labels[i] && !labels[j])
                {
                    pairs++;
                    wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                }
        Assert.Equal(wins / pairs, roc.Auc, 12);
        Assert.Equal(0, roc.FalsePositiveRate[0]);
        Assert.Equal(1, roc.TruePositiveRate[^1]);
        Assert.True(roc.FalsePositiveRate.Zip(roc.FalsePositiveRate.Skip(1)).All(p => p.First <= p.Second));
    }

    [Fact]
    public void Roc_rejects_a_single_class()
    {
        var e = Assert.Throws<ArgumentException>(() => RocCurve.FromScores([0.1, 0.2], [true, true]));
        Assert.Contains("both classes", e.Message);
    }

    [Fact]
    public void Reliability_bins_match_a_direct_count_and_the_ece_definition()
    {
        var rng = new Random(3);
        var conf = Enumerable.Range(0, 500).Select(_ => rng.NextDouble()).Append(0).Append(1).ToArray();
        var correct = conf.Select(c => rng.NextDouble() < c * c).ToArray();
        var bins = ReliabilityBins.FromPredictions(conf, correct, 5);
        double ece = 0;
        for (var b = 0; b < 5; b++)
        {
            double lo = b / 5.0, hi = (b + 1) / 5.0;
            var members = Enumerable.Range(0, conf.Length).Where(i => (conf[i] > lo || (b == 0 && conf[i] == 0)) && conf[i] <= hi).ToArray();
            Assert.Equal(members.Length, bins.Counts[b]);
            var acc = members.Average(i => correct[i] ? 1.0 : 0.0);
            var mc = members.Average(i => conf[i]);
            Assert.Equal(acc, bins.Accuracy[b], 12);
            Assert.Equal(mc, bins.MeanConfidence[b], 12);
            ece += (double)members.Length / conf.Length * Math.Abs(acc - mc);
        }
        Assert.Equal(ece, bins.ExpectedCalibrationError, 12);
    }

    [Fact]
    public void Reliability_rejects_confidences_outside_the_unit_interval()
    {
        var e = Assert.Throws<ArgumentException>(() => ReliabilityBins.FromPredictions([1.5], [true]));
        Assert.Contains("outside [0, 1]", e.Message);
    }
}
