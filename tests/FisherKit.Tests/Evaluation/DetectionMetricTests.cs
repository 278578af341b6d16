using FisherKit.Metrics.Detection;

namespace FisherKit.Tests.Evaluation;

public class DetectionMetricTests
{
    [Fact]
    public void Auroc_counts_pairs_with_ties_as_one_half()
    {
        double[] neg = [0.1, 0.4, 0.35, 0.8];
        double[] pos = [0.9, 0.4, 0.65];
        // By hand over the 12 pairs: 0.9 beats all 4; 0.4 beats 0.1 and 0.35, ties 0.4 (½), loses to 0.8
        // → 2.5; 0.65 beats 0.1, 0.4, 0.35 → 3. AUROC = (4 + 2.5 + 3)/12.
        Assert.Equal(9.5 / 12, DetectionMetrics.Auroc(neg, pos), 15);
    }

    [Fact]
    public void Auroc_equals_a_brute_force_pair_count_on_data_with_many_ties()
    {
        var rng = new Random(3);
        var neg = Enumerable.Range(0, 300).Select(_ => (double)rng.Next(10)).ToArray();
        var pos = Enumerable.Range(0, 200).Select(_ => (double)rng.Next(3, 14)).ToArray();
        double wins = 0;
        foreach (var p in pos) foreach (var n in neg) wins += p > n ? 1 : p == n ? 0.5 : 0;
        Assert.Equal(wins / (300.0 * 200), DetectionMetrics.Auroc(neg, pos), 12);
    }

    [Fact]
    public void Auroc_with_more_than_46340_positives_equals_a_brute_force_pair_count()
    {
        // p(p + 1)/2 no longer fits an int above 46,340 positives. 50,000 positives with scores 0..1499 (each
        // value 33 or 34 times) against 1,000 negatives 0..999: counted pair by pair, ties as one half.
        var pos = Enumerable.Range(0, 50_000).Select(i => (double)(i % 1500)).ToArray();
        var neg = Enumerable.Range(0, 1000).Select(i => (double)i).ToArray();
        double wins = 0;
        foreach (var p in pos) foreach (var n in neg) wins += p > n ? 1 : p == n ? 0.5 : 0;
        double expected = wins / (50_000.0 * 1000);
        double auroc = DetectionMetrics.Auroc(neg, pos);
        Assert.InRange(auroc, 0, 1);
        Assert.Equal(expected, auroc, 12);
        Assert.Equal(1 - expected, DetectionMetrics.Auroc(pos, neg), 12);   // the roles swapped: 50,000 negatives
    }

    [Fact]
    public void Perfect_and_reversed_separation_give_the_extreme_values()
    {
        double[] neg = [1, 2, 3];
        double[] pos = [4, 5];
        Assert.Equal(1.0, DetectionMetrics.Auroc(neg, pos));
        Assert.Equal(0.0, DetectionMetrics.Auroc(pos, neg));
        Assert.Equal(1.0, DetectionMetrics.Aupr(neg, pos));
        Assert.Equal(0.0, DetectionMetrics.Fpr95(neg, pos));
        Assert.Equal(0.5, DetectionMetrics.Auroc([1, 1], [1, 1, 1]));
    }

    [Fact]
    public void Aupr_is_step_wise_average_precision()
    {
        // Scores 3 (pos), 2 (neg), 1 (pos): at 3 recall ½ precision 1, at 2 recall ½, at 1 recall 1 precision ⅔.
        // AP = ½·1 + 0 + ½·⅔ (the value scikit-learn's average_precision_score gives for this case).
        Assert.Equal(0.5 + 0.5 * 2.0 / 3, DetectionMetrics.Aupr([2.0], [3.0, 1.0]), 15);
        // One threshold holding both: precision ½ at recall 1.
        Assert.Equal(0.5, DetectionMetrics.Aupr([1.0], [1.0]), 15);
        // Ties between classes are flagged together: scores {2: pos, pos, neg}, {1: neg}.
        Assert.Equal(2.0 / 3, DetectionMetrics.Aupr([2.0, 1.0], [2.0, 2.0]), 15);
    }

    [Fact]
    public void Fpr95_counts_negatives_above_the_threshold_that_catches_95_percent()
    {
        var pos = Enumerable.Range(1, 100).Select(i => (double)i).ToArray();   // 1..100
        var neg = Enumerable.Range(0, 20).Select(i => (double)i).ToArray();     // 0..19
        // 95 of 100 positives are caught at threshold 6 (scores 6..100); negatives 6..19 are 14 of 20.
        Assert.Equal(14 / 20.0, DetectionMetrics.Fpr95(neg, pos), 15);
        Assert.Equal(0.0, DetectionMetrics.FprAtTpr(neg, pos, 0.8));    // threshold 21
        Assert.Equal(19 / 20.0, DetectionMetrics.FprAtTpr(neg, pos, 1.0), 15); // threshold 1: negatives 1..19
    }

    [Fact]
    public void The_area_under_the_roc_points_equals_the_auroc()
    {
        var rng = new Random(5);
        var neg = Enumerable.Range(0, 120).Select(_ => Math.Round(rng.NextDouble() * 5, 1)).ToArray();
        var pos = Enumerable.Range(0, 80).Select(_ => Math.Round(rng.NextDouble() * 5 + 1, 1)).ToArray();
        var roc = DetectionMetrics.RocCurve(neg, pos);
        Assert.Equal((0.0, 0.0), (roc[0].Fpr, roc[0].Tpr));
        Assert.Equal((1.0, 1.0), (roc[^1].Fpr, roc[^1].Tpr));
        double area = 0;
        for (int i = 1; i < roc.Length; i++)
        {
            Assert.True(roc[i].Fpr >= roc[i - 1].Fpr && roc[i].Tpr >= roc[i - 1].Tpr && roc[i].Threshold < roc[i - 1].Threshold);
            area += (roc[i].Fpr - roc[i - 1].Fpr) * (roc[i].Tpr + roc[i - 1].Tpr) / 2;
        }
        Assert.Equal(DetectionMetrics.Auroc(neg, pos), area, 12);
        var pr = DetectionMetrics.PrecisionRecallCurve(neg, pos);
        Assert.Equal(1.0, pr[^1].Recall);
        Assert.Equal(80 / 200.0, pr[^1].Precision, 15);
    }

    [Fact]
    public void Non_finite_or_empty_scores_are_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => DetectionMetrics.Auroc([1, double.NaN], [2]));
        Assert.Contains("position 1", e.Message);
        Assert.Throws<ArgumentException>(() => DetectionMetrics.Aupr([], [2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => DetectionMetrics.FprAtTpr([1], [2], 0));
    }
}
