using FisherKit.ActiveLearning.Learners;

namespace FisherKit.Tests.ActiveLearning;

public sealed class RidgeRegressionTests
{
    private static double[,] RandomMatrix(int n, int d, int seed)
    {
        var rng = new Random(seed);
        var m = new double[n, d];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) m[i, j] = rng.NextDouble() * (j + 1) * 3 - 1;
        return m;
    }

    private static Tensor T(double[,] m) => tensor(m.Cast<double>().ToArray(), [m.GetLength(0), m.GetLength(1)]);

    [Fact]
    public void Ridge_solution_satisfies_the_optimality_conditions_of_the_penalised_objective()
    {
        // MATLAB ridge(y, X, λ, 0) minimises Σ(y − b0 − Xb)² + λ Σ_j (s_j b_j)², s_j the column standard deviations (n − 1).
        int n = 25, d = 4;
        var x = RandomMatrix(n, d, 1);
        var rng = new Random(2);
        var y = Enumerable.Range(0, n).Select(i => 1.5 + x[i, 0] - 2 * x[i, 2] + rng.NextDouble()).ToArray();
        double lambda = 0.7;
        using var model = new RidgeRegression(d, lambda);
        using var xt = T(x);
        using var yt = tensor(y);
        model.Fit(xt, yt, 0);
        var b = model.Weight.ToArray<double>();
        var b0 = model.Bias.ToArray<double>()[0];
        var r = Enumerable.Range(0, n).Select(i => y[i] - b0 - Enumerable.Range(0, d).Sum(j => x[i, j] * b[j])).ToArray();
        Assert.Equal(0, r.Sum(), 9);
        for (int j = 0; j < d; j++)
        {
            var col = Enumerable.Range(0, n).Select(i => x[i, j]).ToArray();
            var mean = col.Average();
            var s2 = col.Sum(v => (v - mean) * (v - mean)) / (n - 1);
            var grad = -2 * Enumerable.Range(0, n).Sum(i => x[i, j] * r[i]) + 2 * lambda * s2 * b[j];
            Assert.Equal(0, grad, 8);
        }
    }

    [Fact]
    public void Ridge_without_penalty_recovers_exact_linear_coefficients()
    {
        var x = RandomMatrix(12, 3, 5);
        var coef = new[] { 1.0, -2.0, 0.5 };
        var y = Enumerable.Range(0, 12).Select(i => 2 + Enumerable.Range(0, 3).Sum(j => coef[j] * x[i, j])).ToArray();
        using var model = new RidgeRegression(3, lambda: 0);
        using var xt = T(x);
        using var yt = tensor(y);
        model.Fit(xt, yt, 0);
        Assert.Equal(coef, model.Weight.ToArray<double>().Select(v => Math.Round(v, 10)));
        Assert.Equal(2, model.Bias.ToArray<double>()[0], 10);
        using var p = model.Predict(xt);
        Assert.True(p.squeeze(1).allclose(yt, 0, 1e-10));
    }

    [Fact]
    public void A_constant_column_gets_a_zero_coefficient()
    {
        var x = RandomMatrix(10, 2, 3);
        for (int i = 0; i < 10; i++) x[i, 1] = 4;
        using var model = new RidgeRegression(2, 0.01);
        using var xt = T(x);
        using var yt = tensor(Enumerable.Range(0, 10).Select(i => 3 * x[i, 0]).ToArray());
        model.Fit(xt, yt, 0);
        Assert.Equal(0, model.Weight.ToArray<double>()[1], 12);
    }
}
