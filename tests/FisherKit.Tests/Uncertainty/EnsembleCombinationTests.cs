using FisherKit.Metrics.Regression;
using FisherKit.Uncertainty;

namespace FisherKit.Tests.Uncertainty;

public class EnsembleCombinationTests
{
    [Fact]
    public void The_plain_combination_is_mean_aleatoric_plus_spread_of_means()
    {
        using var scope = NewDisposeScope();
        // Three members at one pixel: means 1, 2, 6; variances 0.5, 1, 1.5.
        var means = tensor(new double[] { 1, 2, 6 }, [3, 1]);
        var vars = tensor(new double[] { 0.5, 1, 1.5 }, [3, 1]);
        var p = EnsembleCombination.Combine(means, vars);
        Assert.Equal(3.0, p.Mean.ToDouble(), 14);
        Assert.Equal(1.0, p.AleatoricVariance.ToDouble(), 14);
        Assert.Equal((4 + 1 + 9) / 3.0, p.EpistemicVariance.ToDouble(), 14);
        Assert.Equal(1 + 14 / 3.0, p.Variance.ToDouble(), 14);
        Assert.Equal(3, p.Members);
        // Mean-only members have no aleatoric part.
        var q = EnsembleCombination.Combine(means);
        Assert.Equal(0.0, q.AleatoricVariance.ToDouble());
        Assert.Equal(14 / 3.0, q.Variance.ToDouble(), 14);
    }

    [Fact]
    public void The_finite_ensemble_correction_is_the_student_t_predictive_variance()
    {
        using var scope = NewDisposeScope();
        var means = tensor(new double[] { 1, 2, 3, 6 }, [4, 1]);
        var p = EnsembleCombination.Combine(means, null, EnsembleCorrection.FiniteEnsemble);
        // s² = 14/3 (unbiased), variance of t_{M−1}(μ̄, s²(1 + 1/M)) = s²(1 + 1/M)(M − 1)/(M − 3).
        double s2 = 14.0 / 3.0, m = 4;
        Assert.Equal(s2 * (1 + 1 / m) * (m - 1) / (m - 3), p.EpistemicVariance.ToDouble(), 12);
        Assert.Equal(3.5 * 5, p.EpistemicVariance.ToDouble(), 12);               // (M+1)/(M−3) × plain
        Assert.Equal(3, p.DegreesOfFreedom);
        Assert.Throws<ArgumentOutOfRangeException>(() => EnsembleCombination.Combine(means.narrow(0, 0, 3), null, EnsembleCorrection.FiniteEnsemble));
    }

    [Fact]
    public void The_local_posterior_correction_adds_the_mean_local_variance()
    {
        using var scope = NewDisposeScope();
        var means = tensor(new double[] { 1, 3 }, [2, 1]);
        var local = tensor(new double[] { 0.2, 0.4 }, [2, 1]);
        var p = EnsembleCombination.Combine(means, null, EnsembleCorrection.LocalPosterior, local);
        Assert.Equal(1.0 + 0.3, p.EpistemicVariance.ToDouble(), 14);
        Assert.Throws<ArgumentException>(() => EnsembleCombination.Combine(means, null, EnsembleCorrection.LocalPosterior));
        Assert.Throws<ArgumentException>(() => EnsembleCombination.Combine(means, null, EnsembleCorrection.None, local));
    }

    [Fact]
    public void For_gaussian_member_means_the_corrected_interval_covers_a_new_draw_at_the_t_level()
    {
        // Members are M = 5 draws from N(θ, 1); a further draw is the "truth". The plain 1.96σ interval
        // covers it with probability P(|t₄| ≤ 1.96√((M−1)/(M+1))) ≈ 0.82, the corrected one with
        // P(|t₄| ≤ 1.96√((M−1)/(M−3))) ≈ 0.95 (closed forms from the t posterior predictive).
        const int m = 5, reps = 20000;
        var rng = new Random(17);
        var data = new double[reps * m];
        var truth = new double[reps];
        for (int r = 0; r < reps; r++)
        {
            double theta = 10 * rng.NextDouble();
            for (int k = 0; k < m; k++) data[k * reps + r] = theta + rng.NextNormal();
            truth[r] = theta + rng.NextNormal();
        }
        using var scope = NewDisposeScope();
        var means = tensor(data, [m, reps]);
        foreach (var (corr, bound) in new[] { (EnsembleCorrection.None, 1.96 * Math.Sqrt((m - 1.0) / (m + 1.0))), (EnsembleCorrection.FiniteEnsemble, 1.96 * Math.Sqrt((m - 1.0) / (m - 3.0))) })
        {
            var p = EnsembleCombination.Combine(means, null, corr);
            var cov = RegressionMetrics.Coverage(truth, p.Mean.ToArray<double>(), p.Std().ToArray<double>(), 1.96);
            double expected = StudentTDistribution.CoverageLevel(bound, m - 1);
            var ci = BinomialInterval.Wilson(cov.Covered, cov.Count, 0.999);
            Assert.True(ci.Contains(expected), $"{corr}: observed {cov.Observed}, expected {expected}");
        }
    }

    [Fact]
    public void Bad_member_predictions_raise_clear_errors()
    {
        using var scope = NewDisposeScope();
        var means = tensor(new double[] { 1, 2 }, [2, 1]);
        Assert.Contains("negative", Assert.Throws<ArgumentException>(() => EnsembleCombination.Combine(means, tensor(new double[] { 1, -1 }, [2, 1]))).Message);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => EnsembleCombination.Combine(tensor(new double[] { 1, double.NaN }, [2, 1]))).Message);
        Assert.Throws<ArgumentException>(() => EnsembleCombination.Combine(means, ones(3, 1)));
        Assert.Contains("floating-point", Assert.Throws<ArgumentException>(() => EnsembleCombination.Combine(ones(2, 3, dtype: int64))).Message);
        Assert.Contains("floating-point", Assert.Throws<ArgumentException>(() => EnsembleCombination.Combine(means, ones(2, 1, dtype: int64))).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => EnsembleCombination.Combine(means, correction: (EnsembleCorrection)64));
    }

    [Fact]
    public void Scaling_converts_means_and_variances_to_physical_units()
    {
        using var scope = NewDisposeScope();
        var p = EnsembleCombination.Combine(tensor(new double[] { 1, 3 }, [2, 1]), tensor(new double[] { 2, 2 }, [2, 1]));
        var s = p.Scaled(10);
        Assert.Equal(20.0, s.Mean.ToDouble(), 12);
        Assert.Equal(200.0, s.AleatoricVariance.ToDouble(), 12);
        Assert.Equal(100.0, s.EpistemicVariance.ToDouble(), 12);
        Assert.Equal(Math.Sqrt(300), s.Std().ToDouble(), 12);
    }

}
