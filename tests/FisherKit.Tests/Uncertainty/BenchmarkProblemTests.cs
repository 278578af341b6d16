using FisherKit.Uncertainty.Benchmark;

namespace FisherKit.Tests.Uncertainty;

public class BenchmarkProblemTests
{
    [Theory]
    [InlineData(-0.9)]
    [InlineData(-0.3)]
    [InlineData(0.0)]
    [InlineData(0.45)]
    [InlineData(1.0)]
    public void Legendre_polynomials_match_their_closed_forms(double x)
    {
        Assert.Equal(1, BenchmarkProblem.LegendreP(0, x), 14);
        Assert.Equal(x, BenchmarkProblem.LegendreP(1, x), 14);
        Assert.Equal((3 * x * x - 1) / 2, BenchmarkProblem.LegendreP(2, x), 13);
        Assert.Equal((5 * x * x * x - 3 * x) / 2, BenchmarkProblem.LegendreP(3, x), 13);
        Assert.Equal((35 * Math.Pow(x, 4) - 30 * x * x + 3) / 8, BenchmarkProblem.LegendreP(4, x), 13);
        Assert.Equal((63 * Math.Pow(x, 5) - 70 * Math.Pow(x, 3) + 15 * x) / 8, BenchmarkProblem.LegendreP(5, x), 13);
    }

    [Fact]
    public void Multi_indices_come_in_order_of_total_degree()
    {
        var m = BenchmarkProblem.MultiIndices(2, 7);
        Assert.Equal([[0, 0], [1, 0], [0, 1], [2, 0], [1, 1], [0, 2], [3, 0]], m.Select(a => a.ToArray()).ToArray());
        Assert.Equal(10, BenchmarkProblem.MultiIndices(3, 10).Select(a => string.Join(",", a)).Distinct().Count());
    }

    [Fact]
    public void Each_family_s_basis_matches_its_formula()
    {
        var x = new double[,] { { 0.3, -0.7 }, { -1, 0.2 }, { 0.9, 0.9 } };
        var trig = BenchmarkProblem.Create(new BenchmarkSettings { Family = BasisFamily.Trigonometric, Dimension = 2, Terms = 4, Seed = 3 });
        var rbf = BenchmarkProblem.Create(new BenchmarkSettings { Family = BasisFamily.RadialBumps, Dimension = 2, Terms = 3, Seed = 4 });
        var leg = BenchmarkProblem.Create(new BenchmarkSettings { Family = BasisFamily.Legendre, Dimension = 2, Terms = 6, Seed = 5 });
        var pt = trig.Basis(x);
        var pr = rbf.Basis(x);
        var pl = leg.Basis(x);
        for (int i = 0; i < 3; i++)
        {
            for (int k = 0; k < 4; k++)
            {
                var w = trig.Direction(k);
                Assert.Equal(1, Math.Sqrt(w[0] * w[0] + w[1] * w[1]), 12);
                Assert.InRange(trig.Frequency(k), 1, 4);
                double t = trig.Frequency(k) * (w[0] * x[i, 0] + w[1] * x[i, 1]);
                Assert.Equal(k % 2 == 0 ? Math.Sin(t) : Math.Cos(t), pt[i, k], 13);
            }
            for (int k = 0; k < 3; k++)
            {
                var c = rbf.Direction(k);
                double r2 = Math.Pow(x[i, 0] - c[0], 2) + Math.Pow(x[i, 1] - c[1], 2);
                Assert.Equal(Math.Exp(-r2 / (2 * 0.5 * 0.5 * 2)), pr[i, k], 13);
            }
            double a = x[i, 0], b = x[i, 1];
            double[] expected = [1, a, b, (3 * a * a - 1) / 2, a * b, (3 * b * b - 1) / 2];
            for (int k = 0; k < 6; k++) Assert.Equal(expected[k], pl[i, k], 13);
        }
        // f = Σ a_k φ_k.
        var f = leg.Function(x);
        for (int i = 0; i < 3; i++) Assert.Equal(Enumerable.Range(0, 6).Sum(k => leg.Coefficients[k] * pl[i, k]), f[i], 12);
    }

    [Fact]
    public void Problems_and_data_sets_are_reproducible_from_their_seeds_and_the_noise_has_the_set_size()
    {
        var settings = new BenchmarkSettings { Family = BasisFamily.Trigonometric, Dimension = 3, Terms = 10, NoiseLevel = 0.2, Seed = 11 };
        var a = BenchmarkProblem.Create(settings);
        var b = BenchmarkProblem.Create(settings);
        Assert.Equal(a.Coefficients, b.Coefficients);
        Assert.NotEqual(a.Coefficients, BenchmarkProblem.Create(settings with { Seed = 12 }).Coefficients);
        Assert.Equal(0.2 * a.FunctionStd, a.NoiseStd, 12);
        var d1 = a.Sample(4000, seed: 5);
        var d2 = b.Sample(4000, seed: 5);
        Assert.Equal(d1.Targets, d2.Targets);
        Assert.NotEqual(d1.Targets, a.Sample(4000, seed: 6).Targets);
        var residual = d1.Targets.Zip(d1.Function, (y, f) => y - f).ToArray();
        double sd = Math.Sqrt(residual.Select(r => r * r).Average());
        Assert.InRange(sd / a.NoiseStd, 0.95, 1.05);                      // ±5 % is > 4 standard errors for n = 4000
        Assert.All(d1.Inputs.Cast<double>(), v => Assert.InRange(v, -1, 1));
        Assert.Same(d1.Inputs, d1.NoisyInputs);
        var noisy = a.Sample(4000, seed: 5, inputNoise: [0.1, 0, 0.3]);
        var dx = Enumerable.Range(0, 4000).Select(i => noisy.NoisyInputs[i, 2] - noisy.Inputs[i, 2]).ToArray();
        Assert.InRange(Math.Sqrt(dx.Select(v => v * v).Average()), 0.285, 0.315);
        Assert.All(Enumerable.Range(0, 4000), i => Assert.Equal(noisy.Inputs[i, 1], noisy.NoisyInputs[i, 1]));
    }

    [Fact]
    public void Bad_settings_and_inputs_raise_clear_errors()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BenchmarkProblem.Create(new BenchmarkSettings { Terms = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => BenchmarkProblem.Create(new BenchmarkSettings { Dimension = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => BenchmarkProblem.Create(new BenchmarkSettings { NoiseLevel = -0.1 }));
        var p = BenchmarkProblem.Create(new BenchmarkSettings { Dimension = 2 });
        var e = Assert.Throws<ArgumentException>(() => p.Basis(new double[3, 3]));
        Assert.Contains("d = 2", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => p.Sample(10, 0, inputNoise: [-0.1]));
        Assert.Throws<ArgumentException>(() => p.Sample(10, 0, inputNoise: [0.1, 0.1, 0.1]));
        Assert.Throws<ArgumentException>(() => p.Basis(new double[,] { { double.NaN, 0 } }));
    }
}
