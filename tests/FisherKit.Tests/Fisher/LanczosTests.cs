using FisherKit.Fisher;
using FisherKit.Fisher.Curvature;
using FisherKit.Fisher.Likelihoods;

namespace FisherKit.Tests.Fisher;

public class LanczosTests
{
    /// <summary>A = Q diag(λ) Qᵀ (float64) with a random orthogonal Q, as a dense operator over one parameter tensor of length P.</summary>
    private static (DenseCurvature op, Tensor dense) Operator(double[] eigenvalues, long seed)
    {
        using var scope = NewDisposeScope();
        manual_seed(seed);
        int p = eigenvalues.Length;
        var (q, _) = linalg.qr(randn([p, p], float64));
        var a = (q * tensor(eigenvalues, float64)).mm(q.t());
        a = (a + a.t()) * 0.5;
        var layout = new ParameterLayout([("w", new long[] { p })]);
        return (new DenseCurvature(layout, a), scope.MoveToOuter(a));
    }

    /// <summary>
    /// The pairs against torch.linalg.eigh in float64: the k eigenvalues equal its top k, every vector is a unit
    /// eigenvector (‖Av − λv‖ tiny), and the vectors are orthonormal (so a repeated eigenvalue is found as often
    /// as it is asked for, with vectors spanning its eigenspace).
    /// </summary>
    private static void AssertTopPairs(DenseCurvature op, Tensor dense, int k, int? iterations = null)
    {
        using var scope = NewDisposeScope();
        var expected = linalg.eigvalsh(dense).ToArray<double>().OrderByDescending(e => e).Take(k).ToArray();
        double norm = Math.Abs(expected[0]);
        var (values, vectors) = Lanczos.TopEigenpairs(op, op.Layout, k, iterations);
        Assert.Equal(k, values.Length);
        Assert.Equal(k, vectors.Length);
        for (int i = 0; i < k; i++)
            Assert.True(Math.Abs(values[i] - expected[i]) <= 1e-10 * norm, $"λ{i}: expected {expected[i]:R}, got {values[i]:R}");
        var v = stack(vectors.Select(x => x.Flatten()).ToList(), 1);           // (P, k)
        foreach (var x in vectors) x.Dispose();
        var residual = dense.mm(v) - v * tensor(values, float64);
        var r = (residual * residual).sum([0]).sqrt().ToArray<double>();
        for (int i = 0; i < k; i++) Assert.True(r[i] <= 1e-9 * norm, $"‖Av − λv‖ of pair {i} is {r[i]:R}");
        var gram = v.t().mm(v) - eye(k, dtype: float64);
        Assert.True(gram.abs().max().ToDouble() <= 1e-10, "the eigenvectors are not orthonormal");
    }

    [Fact]
    public void A_repeated_top_eigenvalue_comes_back_as_often_as_asked()
    {
        // Seven distinct eigenvalues in eight dimensions: one Krylov sequence holds one vector of the eigenspace of 5
        // and spans at most seven dimensions; the second 5 comes from the restart after its breakdown.
        var (op, dense) = Operator([5, 5, 3, 2, 1, 0.5, 0.25, 0.1], seed: 1);
        using (op) using (dense)
        {
            AssertTopPairs(op, dense, 3);
            AssertTopPairs(op, dense, 8);
        }
        // A triple eigenvalue on top: 13 distinct eigenvalues in 15 dimensions (Lanczos found 2, 2, 0.67 before).
        var (op2, dense2) = Operator([.. Enumerable.Repeat(2.0, 3), .. Enumerable.Range(0, 12).Select(i => 1.0 / (i + 1.5))], seed: 2);
        using (op2) using (dense2) AssertTopPairs(op2, dense2, 4);
    }

    [Fact]
    public void An_operator_of_rank_below_k_gives_k_pairs_with_zero_eigenvalues()
    {
        // Rank 2 in 8 dimensions: the Krylov space breaks down after 3 vectors; k = 4 pairs were 3 before.
        var (op, dense) = Operator([4, 1, 0, 0, 0, 0, 0, 0], seed: 3);
        using (op) using (dense) AssertTopPairs(op, dense, 4);
        // Rank 3 in 50 dimensions with the default Krylov dimension (40 < 50).
        var (op2, dense2) = Operator([9, 3, 1, .. new double[47]], seed: 4);
        using (op2) using (dense2) AssertTopPairs(op2, dense2, 6);
        // The zero operator: every vector is an eigenvector.
        var (op3, dense3) = Operator(new double[6], seed: 5);
        using (op3) using (dense3)
        {
            var (values, vectors) = Lanczos.TopEigenpairs(op3, op3.Layout, 6);
            Assert.Equal(new double[6], values);
            foreach (var x in vectors) x.Dispose();
        }
    }

    [Fact]
    public void To_low_rank_of_a_fisher_of_lower_rank_keeps_the_asked_rank()
    {
        // Two inputs, four classes: the true Fisher has rank ≤ 2·3 = 6 among 44 parameters.
        using var model = TinyNets.Mlp(31);
        using var x = TinyNets.Inputs(31, 2, 3);
        using var op = FisherOperator.FromTensors(model, new Categorical(), x);
        using var dense = op.ToDense();
        using var low = op.ToLowRank(8);
        Assert.Equal(8, low.Rank);
        var expected = linalg.eigvalsh(dense).ToArray<double>().OrderByDescending(e => e).Take(8).ToArray();
        for (int i = 0; i < 8; i++)
            Assert.True(Math.Abs(low.Eigenvalues[i] - expected[i]) <= 1e-9 * expected[0], $"λ{i}: expected {expected[i]:R}, got {low.Eigenvalues[i]:R}");
        using var rebuilt = low.ToDense();
        Assert.True(rebuilt.allclose(dense, rtol: 1e-8, atol: 1e-10 * expected[0]), "the rank-8 factor does not rebuild the Fisher");
        using var gram = low.Basis.t().mm(low.Basis);
        Assert.True(gram.allclose(eye(8, dtype: float64), rtol: 0, atol: 1e-10), "the basis is not orthonormal");
    }

    [Fact]
    public void Residual_norms_of_a_low_rank_factor_are_those_of_its_pairs_under_the_fisher()
    {
        // The MLP's Fisher over 20 inputs: rank ≤ 60 > 44 parameters. Few iterations leave the lower pairs unconverged,
        // so the residuals range from round-off to a sizeable fraction of λ; each must equal ‖F u − λ u‖ computed densely.
        using var model = TinyNets.Mlp(32);
        using var x = TinyNets.Inputs(32, 20, 3);
        using var op = FisherOperator.FromTensors(model, new Categorical(), x);
        using var dense = op.ToDense();
        using var ev = linalg.eigvalsh(dense);
        double top = ev.max().ToDouble();
        foreach (int iterations in new[] { 8, 12, 44 })
        {
            using var low = op.ToLowRank(5, iterations: iterations);
            Assert.NotNull(low.ResidualNorms);
            Assert.Equal(5, low.ResidualNorms!.Length);
            var u = low.Basis;                                   // owned by low
            using var r = dense.mm(u) - u * tensor(low.Eigenvalues, float64);
            var expected = (r * r).sum([0]).sqrt().ToArray<double>();
            for (int i = 0; i < 5; i++)
                Assert.True(Math.Abs(low.ResidualNorms[i] - expected[i]) <= 1e-9 * top,
                    $"{iterations} iterations, pair {i}: residual {low.ResidualNorms[i]:R}, ‖Fu − λu‖ = {expected[i]:R}");
            if (iterations == 8) Assert.True(expected.Max() > 1e-6 * top, "8 iterations should leave a pair unconverged");
            if (iterations == 44) Assert.True(expected.Max() <= 1e-9 * top, "the full Krylov space gives exact pairs");
        }
        using var given = new LowRankCurvature(op.Layout, eye(op.Size, 2, dtype: float64), [1.0, 0.5]);
        Assert.Null(given.ResidualNorms);
    }
}
