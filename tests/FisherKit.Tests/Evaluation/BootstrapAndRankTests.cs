using FisherKit.Metrics.Detection;

namespace FisherKit.Tests.Evaluation;

public class BootstrapAndRankTests
{
    private static (double[] neg, double[] pos) Gaussians(int n, int seed)
    {
        var rng = new Random(seed);
        return (Enumerable.Range(0, n).Select(_ => rng.NextNormal()).ToArray(), Enumerable.Range(0, n).Select(_ => rng.NextNormal() + 1).ToArray());
    }

    [Fact]
    public void Bootstrap_intervals_contain_the_estimate_and_shrink_with_more_data()
    {
        var (n1, p1) = Gaussians(50, 1);
        var (n2, p2) = Gaussians(800, 2);
        var small = Bootstrap.Interval(n1, p1, DetectionMetrics.Auroc, resamples: 500, seed: 1);
        var large = Bootstrap.Interval(n2, p2, DetectionMetrics.Auroc, resamples: 500, seed: 1);
        foreach (var ci in new[] { small, large })
        {
            Assert.InRange(ci.Estimate, ci.Lower, ci.Upper);
            Assert.Equal(0.95, ci.Level);
        }
        Assert.Equal(DetectionMetrics.Auroc(n2, p2), large.Estimate);
        // The standard error of AUROC falls like 1/√n: 16× the data, about ¼ of the width.
        Assert.True(large.Width < 0.5 * small.Width, $"{small} vs {large}");
        // For two unit Gaussians one apart, AUROC = Φ(1/√2) = 0.760; with 800 + 800 samples its standard
        // error is about 0.012, so the estimate lies within ±0.04.
        Assert.InRange(large.Estimate, 0.72, 0.80);
    }

    [Fact]
    public void Bootstrap_intervals_are_reproducible_from_the_seed()
    {
        var (n, p) = Gaussians(100, 4);
        var a = Bootstrap.Interval(n, p, DetectionMetrics.Fpr95, resamples: 200, seed: 7);
        var b = Bootstrap.Interval(n, p, DetectionMetrics.Fpr95, resamples: 200, seed: 7);
        var c = Bootstrap.Interval(n, p, DetectionMetrics.Fpr95, resamples: 200, seed: 8);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Quantiles_interpolate_between_order_statistics()
    {
        double[] v = [1, 2, 4, 8];
        Assert.Equal(1, Bootstrap.Quantile(v, 0));
        Assert.Equal(8, Bootstrap.Quantile(v, 1));
        Assert.Equal(3, Bootstrap.Quantile(v, 0.5));        // h = 1.5 → 2 + ½·2
        Assert.Equal(2.4, Bootstrap.Quantile(v, 0.4), 14);  // h = 1.2 → 2 + 0.2·(4 − 2)
    }

    [Fact]
    public void Empirical_cdf_ranks_count_reference_values_at_or_below()
    {
        var cdf = new EmpiricalCdf([3, 1, 2, 2]);
        Assert.Equal(0.0, cdf.Rank(0.5));
        Assert.Equal(0.25, cdf.Rank(1));
        Assert.Equal(0.75, cdf.Rank(2));
        Assert.Equal(0.75, cdf.Rank(2.5));
        Assert.Equal(1.0, cdf.Rank(3));
        Assert.Equal(1.0, cdf.Rank(100));
        Assert.Equal([0.25, 1.0], cdf.Ranks([1.5, 4]));
    }

    [Fact]
    public void A_rank_curve_of_the_reference_itself_starts_at_one_half_and_rises_with_shifts()
    {
        var reference = Enumerable.Range(1, 200).Select(i => (double)i).ToArray();
        var curve = RankCurve.Compute("s", reference,
            [(0.0, reference), (1.0, reference.Select(v => v + 100).ToArray()), (2.0, reference.Select(v => v + 1000).ToArray())]);
        // Distinct reference values ranked against themselves: ranks i/N, mean (N + 1)/2N.
        Assert.Equal(201 / 400.0, curve.Points[0].MeanRank, 14);
        Assert.Equal(10 / 200.0, curve.Points[0].FractionAboveAlarm, 14);   // ranks 0.955 .. 1
        // Shifted by 100: values 101..300, ranks min(v, 200)/200, mean = (Σ_{101}^{200} v/200 + 100)/200.
        double expected = (Enumerable.Range(101, 100).Sum(v => v / 200.0) + 100) / 200;
        Assert.Equal(expected, curve.Points[1].MeanRank, 14);
        Assert.Equal(1.0, curve.Points[2].MeanRank);
        Assert.Equal(1.0, curve.Points[2].FractionAboveAlarm);
        Assert.True(curve.Points[0].StandardError > 0);
    }
}
