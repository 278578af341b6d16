using FisherKit.Metrics.Regression;

namespace FisherKit.Tests.Metrics;

public class RegressionMetricsTests
{
    [Fact]
    public void Rmse_and_mae_match_a_hand_computed_case()
    {
        double[] y = [1, 2, 3], mu = [1, 3, 5];
        Assert.Equal(Math.Sqrt(5.0 / 3.0), RegressionMetrics.Rmse(y, mu), 15);
        Assert.Equal(1.0, RegressionMetrics.MeanAbsoluteError(y, mu), 15);
    }

    [Fact]
    public void Gaussian_nll_matches_a_hand_computed_case()
    {
        // y = 1, μ = 0, σ² = 4: ½ ln(2π·4) + 1/8;  y = 2, μ = 2, σ² = 1: ½ ln(2π).
        double expected = 0.5 * ((0.5 * Math.Log(8 * Math.PI) + 0.125) + 0.5 * Math.Log(2 * Math.PI));
        Assert.Equal(expected, RegressionMetrics.GaussianNll([1, 2], [0, 2], [4, 1]), 14);
    }

    [Fact]
    public void Crps_at_the_mean_of_a_unit_gaussian_is_the_known_constant()
    {
        // CRPS(N(0,1), 0) = 2φ(0) − 1/√π = (√2 − 1)/√π.
        Assert.Equal((Math.Sqrt(2) - 1) / Math.Sqrt(Math.PI), RegressionMetrics.CrpsGaussian(0, 0, 1), 14);
        Assert.Equal(0.7, RegressionMetrics.CrpsGaussian(1.2, 0.5, 0), 15);
    }

    [Fact]
    public void Crps_closed_form_equals_the_integral_of_the_squared_cdf_difference()
    {
        foreach (var (y, mu, s) in new[] { (0.3, -0.2, 0.7), (5.0, 1.0, 2.0), (-1.0, -1.1, 0.05) })
        {
            // CRPS = ∫ (F(x) − 1{x ≥ y})² dx, split at y where the integrand jumps.
            double lo = mu - 15 * s - Math.Abs(y - mu), hi = mu + 15 * s + Math.Abs(y - mu);
            double left = DistributionTests.Simpson(x => Math.Pow(NormalDistribution.Cdf(x, mu, s), 2), lo, y, 20000);
            double right = DistributionTests.Simpson(x => Math.Pow(1 - NormalDistribution.Cdf(x, mu, s), 2), y, hi, 20000);
            Assert.Equal(left + right, RegressionMetrics.CrpsGaussian(y, mu, s), 9);
        }
    }

    [Fact]
    public void Coverage_counts_points_inside_k_standard_uncertainties()
    {
        double[] y = [0, 0, 0, 0], mu = [0.5, 1.5, -0.9, 3], u = [1, 1, 1, 1];
        var c = RegressionMetrics.Coverage(y, mu, u, 1);
        Assert.Equal(2, c.Covered);
        Assert.Equal(0.5, c.Observed);
        Assert.Equal(NormalDistribution.Erf(1 / Math.Sqrt(2)), c.NominalLevel, 15);
        Assert.Equal(4, RegressionMetrics.Coverage(y, mu, u, 3).Covered);
    }

    [Fact]
    public void Coverage_of_samples_from_a_known_gaussian_is_nominal_within_its_binomial_interval()
    {
        var (y, mu, u) = GaussianSample(20000, seed: 7, stdScale: 1.0);
        foreach (var k in new[] { 1.0, 2.0, 3.0 })
        {
            var c = RegressionMetrics.Coverage(y, mu, u, k);
            var ci = BinomialInterval.Wilson(c.Covered, c.Count, 0.999);
            Assert.True(ci.Contains(c.NominalLevel), $"k = {k}: observed {c.Observed}, nominal {c.NominalLevel}, interval [{ci.Lower}, {ci.Upper}]");
        }
        // The same check detects uncertainties that are 30 % too small.
        var (y2, mu2, u2) = GaussianSample(20000, seed: 7, stdScale: 0.7);
        var bad = RegressionMetrics.Coverage(y2, mu2, u2, 2);
        Assert.False(BinomialInterval.Wilson(bad.Covered, bad.Count, 0.999).Contains(bad.NominalLevel));
    }

    [Fact]
    public void Calibration_curve_of_a_known_gaussian_follows_the_diagonal_and_agrees_with_coverage()
    {
        var (y, mu, u) = GaussianSample(20000, seed: 3, stdScale: 1.0);
        var curve = RegressionMetrics.Calibration(y, mu, u, CalibrationCurve.DefaultLevels(9));
        for (int j = 0; j < curve.NominalLevels.Length; j++)
        {
            var direct = RegressionMetrics.CoverageAtLevel(y, mu, u, curve.NominalLevels[j]);
            Assert.Equal(direct.Observed, curve.ObservedCoverage[j], 15);
            Assert.True(curve.Lower[j] <= curve.NominalLevels[j] + 0.01 && curve.NominalLevels[j] - 0.01 <= curve.Upper[j]);
        }
        Assert.True(curve.MaxAbsoluteError < 0.02, $"max |obs − nominal| = {curve.MaxAbsoluteError}");
        var over = RegressionMetrics.Calibration(y, mu, u.Select(s => 0.5 * s).ToArray());
        Assert.True(over.MeanSignedError < -0.1, "halved uncertainties must show as over-confidence");
    }

    [Fact]
    public void Interval_width_and_rms_uncertainty_match_hand_computation()
    {
        Assert.Equal(2 * 1.9599639845400536 * 2, RegressionMetrics.MeanIntervalWidth([1, 3], 0.95), 12);
        Assert.Equal(Math.Sqrt(5), RegressionMetrics.RmsUncertainty([1, 3]), 14);
    }

    [Fact]
    public void Ranks_average_ties_and_correlations_match_hand_cases()
    {
        Assert.Equal(new[] { 3.5, 1, 3.5, 2 }, RegressionMetrics.Ranks([3, 1, 3, 2]));
        Assert.Equal(1.0, RegressionMetrics.Pearson([1, 2, 3], [2, 4, 6]), 15);
        Assert.Equal(-1.0, RegressionMetrics.Pearson([1, 2, 3], [3, 2, 1]), 15);
        // Pearson of (1,2,3,4) and (1,3,2,4): cov = 4, var = 5 each → 0.8.
        Assert.Equal(0.8, RegressionMetrics.Pearson([1, 2, 3, 4], [1, 3, 2, 4]), 14);
        // u equal to |error| correlates perfectly; u monotone in |error| has Spearman 1.
        double[] y = [0, 0, 0, 0], mu = [0.1, -0.5, 2, 1];
        var c = RegressionMetrics.ErrorCorrelation(y, mu, [0.1, 0.5, 2, 1]);
        Assert.Equal(1.0, c.Pearson, 14);
        Assert.Equal(1.0, RegressionMetrics.ErrorCorrelation(y, mu, [1, 2, 9, 3]).Spearman, 14);
        Assert.True(double.IsNaN(RegressionMetrics.ErrorCorrelation(y, mu, [1, 1, 1, 1]).Pearson));
        // Spearman without ties: 1 − 6Σd²/(n(n² − 1)); ranks (1,2,3,4,5) against (2,1,4,3,5): Σd² = 4, n = 5 → 0.8.
        Assert.Equal(0.8, RegressionMetrics.Spearman([10, 20, 30, 40, 50], [0.2, 0.1, 7, 3, 9]), 14);
        Assert.Equal(-1.0, RegressionMetrics.Spearman([1, 2, 3], [30, 20, 10]), 15);   // any decreasing map
        Assert.True(double.IsNaN(RegressionMetrics.Spearman([1, 2, 3], [5, 5, 5])));
    }

    [Fact]
    public void Evaluate_collects_the_individual_metrics()
    {
        var (y, mu, u) = GaussianSample(500, seed: 11, stdScale: 1.2);
        var r = RegressionMetrics.Evaluate(y, mu, u);
        Assert.Equal(RegressionMetrics.Rmse(y, mu), r.Rmse);
        Assert.Equal(RegressionMetrics.Crps(y, mu, u), r.Crps);
        Assert.Equal(RegressionMetrics.GaussianNll(y, mu, u.Select(s => s * s).ToArray()), r.Nll, 14);
        Assert.Equal(RegressionMetrics.Coverage(y, mu, u, 2).Observed, r.Coverage[1].Observed);
        Assert.Equal(RegressionReport.Columns.Length, r.Row.Length);
        Assert.Contains("RMSE", r.ToString());
    }

    [Fact]
    public void Bad_input_raises_clear_argument_errors()
    {
        var e1 = Assert.Throws<ArgumentException>(() => RegressionMetrics.Rmse([1, 2], [1]));
        Assert.Contains("equal lengths", e1.Message);
        var e2 = Assert.Throws<ArgumentException>(() => RegressionMetrics.Rmse([1, 2], [1, double.NaN]));
        Assert.Contains("mean[1]", e2.Message);
        Assert.Contains("NaN", e2.Message);
        var e3 = Assert.Throws<ArgumentException>(() => RegressionMetrics.Coverage([1, 2], [1, 2], [0.1, -0.2], 2));
        Assert.Contains("negative", e3.Message);
        var e4 = Assert.Throws<ArgumentException>(() => RegressionMetrics.GaussianNll([1], [1], [0]));
        Assert.Contains("zero", e4.Message);
        Assert.Throws<ArgumentException>(() => RegressionMetrics.Crps([1], [1], [double.NaN]));
        Assert.Throws<ArgumentException>(() => RegressionMetrics.Rmse([], []));
        Assert.Throws<ArgumentOutOfRangeException>(() => RegressionMetrics.CoverageAtLevel([1], [1], [1], 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => RegressionMetrics.Coverage([1], [1], [1], -1));
    }

    [Fact]
    public void Tensor_overloads_select_the_masked_elements()
    {
        using var scope = NewDisposeScope();
        var y = tensor(new double[] { 1, 2, 3, 4, 100, 100 }, [1, 1, 2, 3]);
        var mu = tensor(new double[] { 1, 3, 5, 4, 0, 0 }, [1, 1, 2, 3]);
        var mask = tensor(new bool[] { true, true, true, true, false, false }, [2, 3]);
        Assert.Equal(RegressionMetrics.Rmse([1, 2, 3, 4], [1, 3, 5, 4]), RegressionMetrics.Rmse(y, mu, mask), 15);
        var u = ones_like(y);
        var r = RegressionMetrics.Evaluate(y, mu, u, mask);
        Assert.Equal(4, r.Count);
        Assert.Throws<ArgumentException>(() => RegressionMetrics.Evaluate(y, mu, ones(3)));
    }

    [Fact]
    public void Tensor_overloads_refuse_unequal_shapes_masks_that_do_not_broadcast_and_mask_values_other_than_0_and_1()
    {
        using var scope = NewDisposeScope();
        // Six values each, but [2, 3] against [3, 2] would pair the wrong elements.
        var y = arange(6, dtype: float64).reshape(2, 3);
        var mu = arange(6, dtype: float64).reshape(3, 2);
        var u = ones(2, 3, dtype: float64);
        Assert.Contains("same shape", Assert.Throws<ArgumentException>(() => RegressionMetrics.Rmse(y, mu)).Message);
        Assert.Contains("same shape", Assert.Throws<ArgumentException>(() => RegressionMetrics.GaussianNll(y, mu, u)).Message);
        Assert.Contains("variance [3, 2]", Assert.Throws<ArgumentException>(() => RegressionMetrics.GaussianNll(y, y, u.reshape(3, 2))).Message);
        Assert.Contains("same shape", Assert.Throws<ArgumentException>(() => RegressionMetrics.Crps(y, mu, u)).Message);
        Assert.Contains("same shape", Assert.Throws<ArgumentException>(() => RegressionMetrics.Coverage(y, mu, u, 2)).Message);
        Assert.Contains("same shape", Assert.Throws<ArgumentException>(() => RegressionMetrics.Calibration(y, mu, u)).Message);
        Assert.Contains("same shape", Assert.Throws<ArgumentException>(() => RegressionMetrics.Evaluate(y, y, u.reshape(3, 2))).Message);
        // A mask [3] or [2, 1] broadcasts to [2, 3]; [2] does not: named, not libtorch's expand error.
        var e = Assert.Throws<ArgumentException>(() => RegressionMetrics.Rmse(y, y, ones(2, dtype: ScalarType.Bool)));
        Assert.Contains("mask of shape [2] does not broadcast to the values of shape [2, 3]", e.Message);
        Assert.Throws<ArgumentException>(() => RegressionMetrics.Rmse(y, y, ones(1, 2, 3, dtype: ScalarType.Bool)));
        Assert.Equal(0, RegressionMetrics.Rmse(y, y, ones(3, dtype: ScalarType.Bool)));
        Assert.Equal(0, RegressionMetrics.Rmse(y, y, ones(2, 1)));
        // A mask selects; a 2 is no weight.
        Assert.Contains("only 0 and 1", Assert.Throws<ArgumentException>(() => RegressionMetrics.Rmse(y, y, full(2, 3, 2.0))).Message);
        Assert.Contains("does not broadcast", Assert.Throws<ArgumentException>(() => RegionContrast.Of(y, ones(2, dtype: ScalarType.Bool))).Message);
    }

    [Fact]
    public void Spearman_and_ranks_refuse_NaN_as_Pearson_does_and_rank_infinities()
    {
        Assert.Contains("a[1]", Assert.Throws<ArgumentException>(() => RegressionMetrics.Pearson([1, double.NaN, 3], [1, 2, 3])).Message);
        Assert.Contains("values[1] is NaN", Assert.Throws<ArgumentException>(() => RegressionMetrics.Spearman([1, double.NaN, 3], [1, 2, 3])).Message);
        Assert.Contains("values[0] is NaN", Assert.Throws<ArgumentException>(() => RegressionMetrics.Spearman([1, 2, 3], [double.NaN, 2, 3])).Message);
        Assert.Contains("values[2] is NaN", Assert.Throws<ArgumentException>(() => RegressionMetrics.Ranks([3, 1, double.NaN])).Message);
        Assert.Throws<ArgumentException>(() => RegressionMetrics.Spearman([1, 2], [1]));
        // ±∞ have a place in the order: ranks (3, 1, 2) against (3, 1, 2).
        Assert.Equal(1.0, RegressionMetrics.Spearman([double.PositiveInfinity, double.NegativeInfinity, 0], [5, -1, 2]), 15);
    }

    [Fact]
    public void Region_contrast_compares_means_inside_and_outside_a_region()
    {
        using var scope = NewDisposeScope();
        var u = tensor(new double[] { 1, 2, 3, 4, 5, 6 }, [1, 1, 2, 3]);
        var region = tensor(new bool[] { true, false, false, true, false, false }, [2, 3]);
        var aperture = tensor(new bool[] { true, true, true, true, true, false }, [2, 3]);
        var c = RegionContrast.Of(u, region, aperture);
        Assert.Equal(2.5, c.Inside, 15);                                     // (1 + 4)/2
        Assert.Equal((2 + 3 + 5) / 3.0, c.Outside, 15);                     // 6 lies outside the aperture
        Assert.Equal(2, c.InsideCount);
        Assert.Equal(2.5 / (10 / 3.0), c.Ratio, 14);
        Assert.Throws<ArgumentException>(() => RegionContrast.Of(u, zeros([2, 3], @bool)));
    }

    /// <summary>y ~ N(μ, σ²) with random μ, σ; the stated u is stdScale·σ. Box–Muller on a seeded System.Random.</summary>
    internal static (double[] y, double[] mu, double[] u) GaussianSample(int n, int seed, double stdScale)
    {
        var rng = new Random(seed);
        var y = new double[n];
        var mu = new double[n];
        var u = new double[n];
        for (int i = 0; i < n; i++)
        {
            mu[i] = 4 * rng.NextDouble() - 2;
            double s = 0.1 + rng.NextDouble();
            double z = rng.NextNormal();
            y[i] = mu[i] + s * z;
            u[i] = stdScale * s;
        }
        return (y, mu, u);
    }
}
