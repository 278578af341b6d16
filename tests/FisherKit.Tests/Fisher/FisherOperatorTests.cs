using FisherKit.Fisher;
using FisherKit.Fisher.Curvature;
using FisherKit.Fisher.Likelihoods;

namespace FisherKit.Tests.Fisher;

public class FisherOperatorTests
{
    public static TheoryData<string> Nets => new() { "mlp", "cnn" };

    private static (nn.Module<Tensor, Tensor> model, Tensor x, Tensor y) Case(string net)
    {
        var (m, x) = net == "mlp" ? ((nn.Module<Tensor, Tensor>)TinyNets.Mlp(11), TinyNets.Inputs(11, 7, 3)) : (TinyNets.Cnn(12), TinyNets.Inputs(12, 5, 1, 6, 6));
        manual_seed(99);
        var y = randint(0, 3, [x.shape[0]]);
        return (m, x, y);
    }

    /// <summary>Σ_n over inputs of a brute-force matrix, divided by N.</summary>
    private static double[,] MeanOver(nn.Module<Tensor, Tensor> model, Tensor x, Func<BruteForceFisher, long, double[,]> perInput)
    {
        double[,]? acc = null;
        long n = x.shape[0];
        for (long i = 0; i < n; i++)
        {
            var f = perInput(BruteForceFisher.At(model, x.narrow(0, i, 1)), i);
            acc ??= new double[f.GetLength(0), f.GetLength(1)];
            for (int a = 0; a < f.GetLength(0); a++)
                for (int b = 0; b < f.GetLength(1); b++)
                    acc[a, b] += f[a, b] / n;
        }
        return acc!;
    }

    private static void AssertClose(double[,] expected, Tensor actual, double rtol)
    {
        var a = actual.ToDoubleArray();
        int p = expected.GetLength(0);
        double scale = 0;
        foreach (var v in expected) scale = Math.Max(scale, Math.Abs(v));
        for (int i = 0; i < p; i++)
            for (int j = 0; j < p; j++)
                Assert.True(Math.Abs(expected[i, j] - a[i * p + j]) <= rtol * scale, $"entry ({i},{j}): expected {expected[i, j]:R}, got {a[i * p + j]:R}");
    }

    [Theory, MemberData(nameof(Nets))]
    public void True_fisher_dense_matrix_equals_the_brute_force_mean_of_per_input_fishers(string net)
    {
        var (model, x, _) = Case(net);
        using var _m = model;
        var op = FisherOperator.FromTensors(model, new Categorical(), x, batchSize: 3);
        using var dense = op.ToDense();
        AssertClose(MeanOver(model, x, (bf, _) => bf.Matrix()), dense, 1e-10);
    }

    [Fact]
    public void Disposing_an_operator_from_tensors_releases_its_batch_views_and_leaves_the_data_to_the_caller()
    {
        var (model, x, _) = Case("mlp");
        using var _m = model;
        var op = FisherOperator.FromTensors(model, new Categorical(), x, batchSize: 2);
        using (var before = op.ToDense()) { }
        op.Dispose();
        op.Dispose();                                   // twice is harmless
        Assert.False(x.IsInvalid);
        using var again = FisherOperator.FromTensors(model, new Categorical(), x, batchSize: 2);
        using var dense = again.ToDense();              // the caller's inputs still work
        Assert.True(dense.isfinite().all().item<bool>());
    }

    [Theory, MemberData(nameof(Nets))]
    public void Products_diagonal_blocks_and_trace_agree_with_the_dense_matrix(string net)
    {
        var (model, x, _) = Case(net);
        using var _m = model;
        var op = FisherOperator.FromTensors(model, new Categorical(), x, batchSize: 4);
        using var dense = op.ToDense();
        manual_seed(5);
        using var v = ParamVector.RandnLike(model);
        using var vf = v.Flatten().to(float64);
        using var fv = op.MatVec(v);
        using var fvf = fv.Flatten();
        using var expected = dense.mv(vf);
        Assert.True(fvf.allclose(expected, rtol: 1e-9, atol: 1e-12), "MatVec differs from the dense product");
        using var q = vf.dot(expected);
        Assert.Equal(q.ToDouble(), op.QuadraticForm(v), 9);
        using var diag = op.Diagonal();
        using var df = diag.Flatten();
        using var dd = dense.diagonal();
        Assert.True(df.allclose(dd, rtol: 1e-9, atol: 1e-14), "Diagonal differs");
        using var tr = dense.trace();
        Assert.Equal(tr.ToDouble(), op.Trace(), 9);
        var layout = op.Layout;
        for (int i = 0; i < layout.Entries.Count; i++)
        {
            using var block = op.Block(layout.Entries[i].name);
            using var sub = dense.narrow(0, layout.Offsets[i], layout.Length(i)).narrow(1, layout.Offsets[i], layout.Length(i));
            Assert.True(block.allclose(sub, rtol: 1e-9, atol: 1e-14), $"block {layout.Entries[i].name} differs");
        }
        var (rows, signs) = op.FactorRows();
        using (rows) using (signs)
        using (var rebuilt = (rows * signs.unsqueeze(1)).t().mm(rows))
            Assert.True(rebuilt.allclose(dense, rtol: 1e-9, atol: 1e-14), "the factor rows do not rebuild the matrix");
    }

    [Theory, MemberData(nameof(Nets))]
    public void Lanczos_finds_the_top_eigenvalues_of_the_dense_matrix(string net)
    {
        var (model, x, _) = Case(net);
        using var _m = model;
        var op = FisherOperator.FromTensors(model, new Categorical(), x);
        using var dense = op.ToDense();
        using var ev = linalg.eigvalsh(dense);
        var expected = ev.ToDoubleArray().OrderByDescending(e => e).Take(3).ToArray();
        var (values, vectors) = op.TopEigen(3, iterations: (int)Math.Min(op.Size, 60));
        for (int i = 0; i < 3; i++)
        {
            Assert.True(Math.Abs(values[i] - expected[i]) <= 1e-8 * expected[0], $"λ{i}: expected {expected[i]:R}, got {values[i]:R}");
            // Rayleigh quotient of the returned vector gives its eigenvalue.
            Assert.True(Math.Abs(op.QuadraticForm(vectors[i]) - expected[i]) <= 1e-7 * expected[0]);
            vectors[i].Dispose();
        }
    }

    [Fact]
    public void Hutchinson_trace_lies_within_its_stated_error()
    {
        var (model, x, _) = Case("mlp");
        using var _m = model;
        var op = FisherOperator.FromTensors(model, new Categorical(), x);
        var exact = op.Trace();
        var (estimate, se) = op.HutchinsonTrace(200, seed: 3);
        Assert.True(se > 0 && se < 0.5 * exact, $"standard error {se} for trace {exact}");
        Assert.True(Math.Abs(estimate - exact) <= 4 * se, $"estimate {estimate} ± {se}, exact {exact}");
        // More probes, smaller error: the variance of a Rademacher probe is 2 Σ_{i≠j} A_ij², so se ~ 1/√m.
        var (_, se800) = op.HutchinsonTrace(800, seed: 4);
        Assert.InRange(se / se800, 1.5, 2.7);
    }

    [Fact]
    public void Empirical_fisher_uses_the_observed_labels()
    {
        var (model, x, y) = Case("cnn");
        using var _m = model;
        var op = FisherOperator.FromTensors(model, new Categorical(), x, y, batchSize: 2, kind: FisherKind.Empirical);
        using var dense = op.ToDense();
        var labels = y.ToArray<long>();
        AssertClose(MeanOver(model, x, (bf, i) =>
        {
            var g = bf.ClassGradients[labels[i]];
            var m = new double[g.Length, g.Length];
            for (int a = 0; a < g.Length; a++) for (int b = 0; b < g.Length; b++) m[a, b] = g[a] * g[b];
            return m;
        }), dense, 1e-10);
    }

    [Fact]
    public void Monte_carlo_fisher_is_a_fixed_matrix_that_converges_to_the_true_fisher()
    {
        var (model, x, _) = Case("mlp");
        using var _m = model;
        var mc = FisherOperator.FromTensors(model, new Categorical(), x, kind: FisherKind.MonteCarlo, monteCarloSamples: 4000, seed: 1);
        var exact = FisherOperator.FromTensors(model, new Categorical(), x);
        using var dmc = mc.ToDense();
        using var dtrue = exact.ToDense();
        using var again = mc.ToDense();
        Assert.True(dmc.allclose(again, rtol: 0, atol: 0), "the Monte-Carlo matrix changed between calls");
        using var diff = dmc - dtrue;
        var rel = diff.norm().ToDouble() / dtrue.norm().ToDouble();
        Assert.True(rel < 0.05, $"relative Frobenius error {rel} with 4000 samples");
    }

    [Fact]
    public void Regression_fisher_of_a_linear_model_has_its_closed_form()
    {
        // f(x) = w·x + b with y ~ N(f, σ²): F = (1/N) Σ [x;1][x;1]ᵀ / σ².
        manual_seed(21);
        using var model = nn.Sequential(nn.Linear(3, 1));
        model.to(float64);
        using var x = randn([10, 3], float64);
        const double sigma = 0.7;
        var op = FisherOperator.FromTensors(model, new Gaussian(sigma), x);
        using var dense = op.ToDense();
        using var xb = cat([x, ones([10, 1], float64)], 1);
        using var expected = xb.t().mm(xb) / (10 * sigma * sigma);
        Assert.True(dense.allclose(expected, rtol: 1e-12, atol: 1e-14));
    }

    [Fact]
    public void Heteroscedastic_fisher_of_a_linear_model_has_its_closed_form()
    {
        // Outputs (μ, s), s = log σ²: the output Fisher is diag(1/σ², 1/2), so
        // F = (1/N) Σ kron(diag(1/σ_n², 1/2), [x;1][x;1]ᵀ) arranged as (W rows, then b).
        manual_seed(22);
        using var model = nn.Sequential(nn.Linear(2, 2));
        model.to(float64);
        using var x = randn([6, 2], float64);
        var op = FisherOperator.FromTensors(model, new HeteroscedasticGaussian(), x);
        using var dense = op.ToDense();
        var xs = x.ToDoubleArray();
        double[,] expected = new double[6, 6];
        double[] s;
        using (no_grad())
        using (var outp = model.call(x))
            s = outp.ToDoubleArray();
        // parameter order: W[0,0], W[0,1], W[1,0], W[1,1], b[0], b[1]
        int[] wIndex = [0, 1, 2, 3];
        for (int n = 0; n < 6; n++)
        {
            double[] feat = [xs[2 * n], xs[2 * n + 1], 1];
            double[] weight = [Math.Exp(-s[2 * n + 1]), 0.5];
            for (int o = 0; o < 2; o++)
            {
                int[] idx = [2 * o, 2 * o + 1, 4 + o];
                for (int a = 0; a < 3; a++)
                    for (int b = 0; b < 3; b++)
                        expected[idx[a], idx[b]] += weight[o] * feat[a] * feat[b] / 6;
            }
        }
        AssertClose(expected, dense, 1e-12);
    }

    [Fact]
    public void Heteroscedastic_loss_hessian_has_its_closed_form_and_averages_to_the_fisher()
    {
        var d = new HeteroscedasticGaussian();
        using var f = tensor(new double[] { 0.3, -0.4 }, [1, 2]);   // μ = 0.3, s = −0.4
        using var y = tensor(new double[] { 1.1 });
        using var h = d.OutputHessian(f, y);
        double r = 1.1 - 0.3, e = Math.Exp(0.4);
        double[] expected = [e, r * e, r * e, 0.5 * r * r * e];
        var got = h.ToDoubleArray();
        for (int i = 0; i < 4; i++) Assert.Equal(expected[i], got[i], 12);
        // E_y[H] over y ~ N(μ, σ²) is the Fisher diag(1/σ², 1/2): the mixed term vanishes and E[r²] = σ².
        using var fisher = d.OutputFisher(f);
        var fi = fisher.ToDoubleArray();
        Assert.Equal(e, fi[0], 12);
        Assert.Equal(0, fi[1], 12);
        Assert.Equal(0.5, fi[3], 12);
    }

    [Fact]
    public void Ggn_equals_the_true_fisher_for_a_softmax_classifier()
    {
        var (model, x, y) = Case("mlp");
        using var _m = model;
        using var ggn = FisherOperator.FromTensors(model, new Categorical(), x, y, kind: FisherKind.GeneralizedGaussNewton).ToDense();
        using var fisher = FisherOperator.FromTensors(model, new Categorical(), x).ToDense();
        Assert.True(ggn.allclose(fisher, rtol: 1e-10, atol: 1e-14));
    }

    [Fact]
    public void Solves_and_representations_agree_with_dense_linear_algebra()
    {
        var (model, x, _) = Case("mlp");
        using var _m = model;
        var op = FisherOperator.FromTensors(model, new Categorical(), x);
        using var dense = op.ToDense();
        manual_seed(8);
        using var b = ParamVector.RandnLike(model);
        using var bf = b.Flatten();
        const double damping = 0.1;
        using var a = dense + eye(op.Size, dtype: float64) * damping;
        using var expected = linalg.solve(a, bf.unsqueeze(1)).squeeze(1);
        using (var cg = op.Solve(b, damping)) using (var cgf = cg.Flatten())
            Assert.True(cgf.allclose(expected, rtol: 1e-7, atol: 1e-9), "CG solve differs");
        using (var dc = new DenseCurvature(op.Layout, dense))
        using (var ds = dc.Solve(b, damping)) using (var dsf = ds.Flatten())
            Assert.True(dsf.allclose(expected, rtol: 1e-10, atol: 1e-12));
        using var low = op.ToLowRank((int)op.Size, iterations: (int)op.Size);
        using var lowDense = low.ToDense();
        Assert.True(lowDense.allclose(dense, rtol: 1e-6, atol: 1e-9), "a full-rank Lanczos factor rebuilds the matrix");
        using (var ls = low.Solve(b, damping)) using (var lsf = ls.Flatten())
            Assert.True(lsf.allclose(expected, rtol: 1e-6, atol: 1e-8));
        using var blocks = op.ToBlockDiagonal();
        using var bd = blocks.ToDense();
        using var diagonalOp = op.ToDiagonal();
        Assert.Equal(op.Trace(), blocks.Trace(), 9);
        Assert.Equal(op.Trace(), diagonalOp.Trace(), 9);
    }

    [Fact]
    public async Task From_tensors_checks_the_batch_size_and_the_number_of_targets()
    {
        var (model, x, y) = Case("mlp");                // 7 inputs, 7 labels
        using var _m = model;
        // batchSize 0 looped forever: run it on another thread so that a hang fails the test instead of the run.
        var zero = await Task.Run(() => Record.Exception(() => FisherOperator.FromTensors(model, new Categorical(), x, batchSize: 0)))
                             .WaitAsync(TimeSpan.FromSeconds(60));     // TimeoutException: FromTensors did not return
        var e0 = Assert.IsType<ArgumentOutOfRangeException>(zero);
        Assert.Equal("batchSize", e0.ParamName);
        Assert.Equal(0, e0.ActualValue);
        var eNeg = Assert.Throws<ArgumentOutOfRangeException>(() => FisherOperator.FromTensors(model, new Categorical(), x, batchSize: -3));
        Assert.Equal(-3, eNeg.ActualValue);
        Assert.Contains("-3", eNeg.Message);
        // Targets longer or shorter than the inputs were cut to the inputs' length or read short without a word.
        foreach (long count in new long[] { 5, 9 })
        {
            using var labels = randint(0, 3, [count]);
            foreach (var kind in new[] { FisherKind.True, FisherKind.Empirical })
            {
                var e = Assert.Throws<ArgumentException>(() => FisherOperator.FromTensors(model, new Categorical(), x, labels, batchSize: 3, kind: kind));
                Assert.Equal("targets", e.ParamName);
                Assert.Contains($"{count} targets", e.Message);
                Assert.Contains("7 inputs", e.Message);
            }
        }
        // The constructor checks each batch the same way.
        using var short4 = y.narrow(0, 0, 4);
        var eb = Assert.Throws<ArgumentException>(() => new FisherOperator(model, new Categorical(), [(x, short4)], kind: FisherKind.Empirical));
        Assert.Contains("4 targets", eb.Message);
        // Valid input still works: a batch size larger than the data set gives one batch, equal to the brute-force mean.
        using var op = FisherOperator.FromTensors(model, new Categorical(), x, y, batchSize: 100, kind: FisherKind.Empirical);
        using var byTwo = FisherOperator.FromTensors(model, new Categorical(), x, y, batchSize: 2, kind: FisherKind.Empirical);
        using var d1 = op.ToDense();
        using var d2 = byTwo.ToDense();
        Assert.True(d1.allclose(d2, rtol: 1e-10, atol: 1e-14));
    }

    [Fact]
    public void Bad_input_gives_clear_errors()
    {
        var (model, x, _) = Case("mlp");
        using var _m = model;
        Assert.Contains("targets", Assert.Throws<ArgumentException>(() => FisherOperator.FromTensors(model, new Categorical(), x, kind: FisherKind.Empirical)).Message);
        var op = FisherOperator.FromTensors(model, new Categorical(), x);
        op.MaxDenseSize = 10;
        Assert.Contains("MaxDenseSize", Assert.Throws<InvalidOperationException>(() => op.ToDense()).Message);
        using var bad = ParamVector.ZerosLike(TinyNets.Mlp(1, hidden: 9));
        Assert.Throws<ArgumentException>(() => op.MatVec(bad));
        Assert.Contains("even number", Assert.Throws<ArgumentException>(() => FisherOperator.FromTensors(TinyNets.Mlp(1, classes: 3), new HeteroscedasticGaussian(), x).Trace()).Message);
    }
}
