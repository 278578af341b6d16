using FisherKit.Metrics.Regression;
using FisherKit.Uncertainty.Benchmark;

namespace FisherKit.Tests.Uncertainty;

public class ReferenceRegressionTests
{
    [Fact]
    public void A_straight_line_gives_the_textbook_estimates_and_t_interval()
    {
        double[] x = [0, 1, 2, 3, 4, 5];
        double[] y = [1.1, 2.9, 5.2, 7.1, 8.8, 11.2];
        var phi = new double[6, 2];
        for (int i = 0; i < 6; i++) { phi[i, 0] = 1; phi[i, 1] = x[i]; }
        var r = ReferenceRegression.Fit(phi, y);
        double xm = x.Average(), ym = y.Average();
        double sxx = x.Sum(v => (v - xm) * (v - xm)), sxy = x.Zip(y, (a, b) => (a - xm) * (b - ym)).Sum();
        double b1 = sxy / sxx, b0 = ym - b1 * xm;
        Assert.Equal(b0, r.Coefficients[0], 12);
        Assert.Equal(b1, r.Coefficients[1], 12);
        double s2 = x.Zip(y, (a, b) => Math.Pow(b - b0 - b1 * a, 2)).Sum() / 4;
        Assert.Equal(s2, r.ResidualVariance, 12);
        Assert.Equal(4, r.DegreesOfFreedom);
        // At x* = 2.5 and 7: mean b0 + b1 x*, standard error s·√(1/n + (x* − x̄)²/Sxx), t_4 interval.
        var p = r.Predict(new double[,] { { 1, 2.5 }, { 1, 7 } });
        foreach (var (i, xs) in new[] { (0, 2.5), (1, 7.0) })
        {
            double se = Math.Sqrt(s2 * (1.0 / 6 + (xs - xm) * (xs - xm) / sxx));
            Assert.Equal(b0 + b1 * xs, p.Mean[i], 12);
            Assert.Equal(se * se * 4 / 2, p.EpistemicVariance[i], 12);        // t variance ν/(ν − 2) × scale²
            double half = p.IntervalFactor(0.95) * p.EpistemicStd[i];
            Assert.Equal(2.7764451051977987 * se, half, 6);                    // t_{0.975, 4}
            Assert.Equal(se, r.Scale(new double[,] { { 1, xs } })[0], 12);
            // A new observation: t_4 with scale √(s² + se²).
            Assert.Equal(2.7764451051977987 * Math.Sqrt(s2 + se * se), p.ObservationIntervalFactor(0.95) * p.Std[i], 6);
        }
    }

    [Fact]
    public void The_reference_covers_the_true_function_at_the_nominal_rate()
    {
        // 3000 data sets from one problem (new design and noise each time), three fixed test points: the t intervals
        // must cover f at 68/95/99 % within 3 binomial standard errors.
        var problem = BenchmarkProblem.Create(new BenchmarkSettings { Family = BasisFamily.Trigonometric, Dimension = 2, Terms = 5, NoiseLevel = 0.3, Seed = 2 });
        var test = new double[,] { { 0.1, -0.2 }, { 0.8, 0.7 }, { -0.95, 0.4 } };
        var truth = problem.Function(test);
        var testBasis = problem.Basis(test);
        const int replicates = 3000;
        var covered = new int[3];
        int trials = 0;
        for (int r = 0; r < replicates; r++)
        {
            var data = problem.Sample(25, seed: 1000 + r);
            var p = ReferenceRegression.Fit(problem.Basis(data.Inputs), data.Targets).Predict(testBasis);
            var u = p.EpistemicStd;
            for (int j = 0; j < 3; j++)
            {
                double k = p.IntervalFactor(UqEvaluation.Levels[j]);
                for (int i = 0; i < 3; i++) if (Math.Abs(p.Mean[i] - truth[i]) <= k * u[i]) covered[j]++;
            }
            trials += 3;
        }
        for (int j = 0; j < 3; j++)
        {
            double level = UqEvaluation.Levels[j], observed = covered[j] / (double)trials;
            double se = Math.Sqrt(level * (1 - level) / trials);
            Assert.True(Math.Abs(observed - level) <= 3 * se, $"level {level}: observed {observed:F4}, 3σ band ±{3 * se:F4}");
        }
    }

    [Fact]
    public void Too_few_points_mismatched_shapes_and_dependent_bases_are_refused()
    {
        var phi = new double[5, 3];
        for (int i = 0; i < 5; i++) { phi[i, 0] = 1; phi[i, 1] = i; phi[i, 2] = i * i; }
        var e = Assert.Throws<ArgumentException>(() => ReferenceRegression.Fit(phi, [1, 2, 3, 4, 6]));
        Assert.Contains("too few", e.Message);
        Assert.Throws<ArgumentException>(() => ReferenceRegression.Fit(new double[10, 2], new double[9]));
        var dependent = new double[10, 2];
        for (int i = 0; i < 10; i++) { dependent[i, 0] = i; dependent[i, 1] = 2 * i; }
        Assert.Contains("linearly dependent", Assert.Throws<ArgumentException>(() => ReferenceRegression.Fit(dependent, Enumerable.Range(0, 10).Select(i => i + 0.1 * (i % 3)).ToArray())).Message);
        var line = new double[10, 2];
        for (int i = 0; i < 10; i++) { line[i, 0] = 1; line[i, 1] = i; }
        var fit = ReferenceRegression.Fit(line, Enumerable.Range(0, 10).Select(i => i + 0.1 * (i % 3)).ToArray());
        Assert.Throws<ArgumentException>(() => fit.Predict(new double[2, 3]));
        Assert.Throws<ArgumentException>(() => ReferenceRegression.Fit(line, Enumerable.Range(0, 10).Select(i => 2.0 * i).ToArray()));
    }

    [Fact]
    public void Benchmark_measures_count_coverage_and_aggregate_with_t_intervals()
    {
        var reference = new FisherKit.Uncertainty.Regression.RegressionPrediction("ref", [0, 0, 0, 0], [1, 1, 1, 1], [1, 1, 1, 1]);
        var p = new FisherKit.Uncertainty.Regression.RegressionPrediction("m", [0, 0, 0, 0], [4, 4, 4, 4], [0.5, 0.5, 0.5, 0.5], [0.5, 0.5, 0.5, 0.5]);
        Assert.Equal([5, 5, 5, 5], p.Variance);
        Assert.Equal([1, 1, 1, 1], p.AleatoricVariance);
        var s = UqEvaluation.Score(p, [0.5, 1.5, 2.5, 4.5], [0, 0, 0, 0], reference, "toy");
        Assert.Equal(0.5, s.CoverageF68);                   // |error| ≤ 0.994·2 = 1.99: 0.5 and 1.5
        Assert.Equal(0.75, s.CoverageF95);                  // ≤ 1.96·2 = 3.92
        Assert.Equal(1.0, s.CoverageF99);                   // ≤ 2.576·2 = 5.15
        Assert.Equal(2, s.RatioMedian, 12);
        Assert.Equal(RegressionMetrics.GaussianNll([0, 0, 0, 0], [0, 0, 0, 0], [5, 5, 5, 5]), s.Nll, 12);
        var (mean, lo, hi) = UqEvaluation.MeanInterval([1, 2, 3, 4]);
        Assert.Equal(2.5, mean);
        Assert.Equal(2.5 - 3.182446305284263 * Math.Sqrt(5.0 / 3) / 2, lo, 6);
        Assert.Equal(5 - lo, hi, 9);
        var summary = UqEvaluation.Aggregate([s, s with { Replicate = 1, Rmse = s.Rmse + 1 }]);
        Assert.Single(summary);
        Assert.Equal(2, summary[0].Replicates);
        Assert.Equal(s.Rmse + 0.5, summary[0]["RMSE"], 12);
        var table = summary.ToDataFrame();
        Assert.Equal(3 + 3 * UqScore.Measures.Length, table.Columns.Count);
        Assert.Throws<ArgumentException>(() => new FisherKit.Uncertainty.Regression.RegressionPrediction("bad", [0, 0], [1], [1, 1]));
        Assert.Throws<ArgumentException>(() => new FisherKit.Uncertainty.Regression.RegressionPrediction("bad", [0], [-1], [1]));
    }
}
