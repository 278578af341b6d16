using FisherKit.ActiveLearning;
using FisherKit.ActiveLearning.Acquisitions;
using FisherKit.Fisher;
using FisherKit.Fisher.Curvature;
using FisherKit.Fisher.Likelihoods;
using FisherKit.ActiveLearning.Learners;

namespace FisherKit.Tests.ActiveLearning;

public sealed class FisherEmbeddingTests
{
    private static NetworkModel Mlp(int classes = 4)
    {
        var net = nn.Sequential(nn.Linear(3, 5), nn.Tanh(), nn.Linear(5, classes));
        net.to(float64);
        return new NetworkModel(TaskKind.Classification, net, seed: 2);
    }

    /// <summary>The dense true Fisher of one input, by the toolkit's operator (per-sample factors, float64).</summary>
    private static Tensor DenseFisher(NetworkModel model, Tensor x) =>
        FisherOperator.FromTensors(model.Network, new Categorical(), x, kind: FisherKind.True, normalization: Normalization.Sum).ToDense();

    [Fact]
    public void Last_layer_embedding_factors_the_last_layer_block_of_the_dense_Fisher()
    {
        using var model = Mlp();
        using var scope = NewDisposeScope();
        var x = randn([3, 3], float64, generator: new Generator(1));
        var e = FisherEmbeddings.LastLayer(model, x);                     // (3, 4, 24)
        Assert.Equal(new long[] { 3, 4, 24 }, e.shape);
        for (int n = 0; n < 3; n++)
        {
            var f = DenseFisher(model, x.narrow(0, n, 1));
            var p = f.shape[0];
            var block = f.narrow(0, p - 24, 24).narrow(1, p - 24, 24);
            var en = e[n];
            Assert.True(en.t().mm(en).allclose(block, 1e-9, 1e-12));
        }
    }

    [Fact]
    public void Last_layer_embedding_of_a_non_finite_output_names_it()
    {
        // NaN fails the check that the last Linear layer gives the network output, which blamed the network's structure.
        using var model = Mlp();
        using var scope = NewDisposeScope();
        var x = randn([3, 3], float64, generator: new Generator(1));
        x[1, 2] = tensor(double.NaN);
        var e = Assert.Throws<InvalidOperationException>(() => FisherEmbeddings.LastLayer(model, x));
        Assert.Contains("NaN or infinite", e.Message);
    }

    [Fact]
    public void Random_subspaces_are_drawn_per_run_and_repeat_for_the_same_run_and_round()
    {
        // Each repeat of an experiment (its own run seed, hence acquisition seed) draws its own subspaces; before, they
        // came from (projection seed, round) alone and every repeat shared them.
        using var model = Mlp();
        using var x = randn([6, 3], float64, generator: new Generator(1));
        using var pool = new PoolHolder(PoolData.Classification(x, zeros([6], int64), 4));
        using var labelled = new LabelledSet(6);
        float[] Directions(long acquisitionSeed, int round)
        {
            var ctx = new AcquisitionContext(pool.Pool, labelled, [0L, 1, 2, 3, 4, 5], model, acquisitionSeed, round);
            using var embedding = FisherProjection.RandomSubspace(3).Prepare(model, ctx);
            return embedding.Directions!.SelectMany(d => { using var f = d.Flatten(); return f.to(float32).ToArray<float>(); }).ToArray();
        }
        Assert.Equal(Directions(5, 2), Directions(5, 2));
        Assert.NotEqual(Directions(5, 2), Directions(6, 2));
    }

    [Fact]
    public void Subspace_embedding_gives_the_projected_dense_Fisher()
    {
        using var model = Mlp();
        using var scope = NewDisposeScope();
        var x = randn([2, 3], float64, generator: new Generator(4));
        using var g = new Generator(6);
        var dirs = Enumerable.Range(0, 3).Select(_ => ParamVector.RandnLike(model.Network, g)).ToList();
        var s = stack(dirs.Select(d => d.Flatten()).ToList(), 1);         // (P, 3)
        var e = FisherEmbeddings.Subspace(model, x, dirs);
        for (int n = 0; n < 2; n++)
        {
            var en = e[n];
            var expected = s.t().mm(DenseFisher(model, x.narrow(0, n, 1))).mm(s);
            Assert.True(en.t().mm(en).allclose(expected, 1e-8, 1e-10));
        }
        foreach (var d in dirs) d.Dispose();
    }

    [Fact]
    public void Top_eigenvector_projection_diagonalises_the_Fisher_of_its_inputs()
    {
        using var model = Mlp(classes: 3);
        using var scope = NewDisposeScope();
        var x = randn([10, 3], float64, generator: new Generator(8));
        var pool = PoolData.Classification(x, zeros([10], int64), 3);
        using var labelled = new LabelledSet(10);
        var all = Enumerable.Range(0, 10).Select(i => (long)i).ToList();
        var ctx = new AcquisitionContext(pool, labelled, all, model, 3);
        using var emb = FisherProjection.TopEigenvectors(4).Prepare(model, ctx);
        var e = emb.Embed(x);                                             // (10, 3, 4)
        var sum = e.reshape(-1, 4).t().mm(e.reshape(-1, 4));              // Uᵀ F U
        var dense = FisherOperator.FromTensors(model.Network, new Categorical(), x, normalization: Normalization.Sum).ToDense();
        var top = linalg.eigvalsh(dense).flip(0).narrow(0, 0, 4);
        Assert.True(sum.diagonal().allclose(top, 1e-6, 1e-9));
        Assert.True((sum - sum.diagonal().diag()).abs().max().ToDouble() < 1e-6 * top[0].ToDouble());
    }

    [Fact]
    public void Ridge_regression_embedding_is_the_input_with_a_one()
    {
        using var ridge = new RidgeRegression(3);
        using var scope = NewDisposeScope();
        var x = tensor(new double[] { 1, 2, 3, -1, 0.5, 4 }, [2, 3]);
        var e = FisherEmbeddings.LastLayer(ridge, x);
        Assert.True(e.squeeze(1).allclose(tensor(new double[] { 1, 2, 3, 1, -1, 0.5, 4, 1 }, [2, 4]), 0, 1e-14));
    }

    [Fact]
    public void D_optimal_acquisition_on_a_ridge_model_picks_the_design_point_with_the_largest_leverage()
    {
        // For a linear-Gaussian model with A = λI + Σ_L (x,1)(x,1)ᵀ the D-optimal single point maximises (x,1)ᵀA⁻¹(x,1).
        using var scope = NewDisposeScope();
        var xs = randn([20, 2], float64, generator: new Generator(2));
        var pool = PoolData.Regression(xs, zeros([20], float64));
        using var labelled = new LabelledSet(20);
        using (var y = zeros([3], float64)) labelled.Add([0, 1, 2], y, 0);
        using var ridge = new RidgeRegression(2);
        var cands = labelled.Unlabelled();
        var ctx = new AcquisitionContext(pool, labelled, cands, ridge, 0);
        var pick = new OptimalDesignAcquisition(DesignCriterion.DOptimal, priorPrecision: 0.1).Select(ctx, 1)[0];
        var phi = cat([xs, ones([20, 1], float64)], 1);
        var l = phi.narrow(0, 0, 3);
        var ainv = linalg.inv(eye(3, dtype: float64) * 0.1 + l.t().mm(l));
        var lev = (phi.mm(ainv) * phi).sum(1).ToArray<double>();
        Assert.Equal(cands.OrderByDescending(u => lev[u]).First(), pick);
    }
}
