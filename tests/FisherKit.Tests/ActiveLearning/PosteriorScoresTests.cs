using FisherKit.ActiveLearning;
using FisherKit.ActiveLearning.Acquisitions;
using FisherKit.ActiveLearning.Learners;
using FisherKit.Models;
using FisherKit.Training;

namespace FisherKit.Tests.ActiveLearning;

public sealed class PosteriorScoresTests
{
    private static Tensor Samples(double[][][] s) =>
        tensor(s.SelectMany(a => a.SelectMany(b => b)).ToArray(), [s.Length, s[0].Length, s[0][0].Length]);

    [Fact]
    public void Bald_of_two_confident_disagreeing_samples_is_log_two_and_entropy_terms_match_hand_values()
    {
        // Point 0: samples (1, 0) and (0, 1): p̄ = (½, ½), H[p̄] = log 2, each sample has entropy 0.
        // Point 1: samples (0.8, 0.2) twice: no disagreement, BALD 0, H = −0.8 log 0.8 − 0.2 log 0.2.
        using var s = Samples([[[1, 0], [0.8, 0.2]], [[0, 1], [0.8, 0.2]]]);
        using var bald = PosteriorScores.Bald(s);
        using var h = PosteriorScores.Entropy(s);
        using var vr = PosteriorScores.VariationRatios(s);
        using var ms = PosteriorScores.MeanStd(s);
        var b = bald.ToArray<double>();
        var e = h.ToArray<double>();
        Assert.Equal(Math.Log(2), b[0], 12);
        Assert.Equal(0, b[1], 12);
        Assert.Equal(Math.Log(2), e[0], 12);
        Assert.Equal(-0.8 * Math.Log(0.8) - 0.2 * Math.Log(0.2), e[1], 12);
        Assert.Equal(new[] { 0.5, 0.2 }, vr.ToArray<double>().Select(v => Math.Round(v, 12)));
        // Mean STD: each class of point 0 has values {1, 0}: population std ½; point 1 none.
        Assert.Equal(new[] { 0.5, 0.0 }, ms.ToArray<double>().Select(v => Math.Round(v, 12)));
    }

    [Fact]
    public void Max_entropy_picks_the_candidate_with_the_uniform_prediction()
    {
        var probs = new[] { new[] { 0.7, 0.2, 0.1 }, new[] { 0.4, 0.3, 0.3 }, new[] { 1 / 3.0, 1 / 3.0, 1 / 3.0 }, new[] { 0.5, 0.49, 0.01 } };
        var model = new LookupModel(TaskKind.Classification, probs, [probs]);
        var pool = Pools.WithIds(probs.Select(_ => new[] { 0.0 }).ToArray(), [0, 1, 2, 0], TaskKind.Classification, 3);
        using var labelled = new LabelledSet(pool.Count);
        var ctx = new AcquisitionContext(pool, labelled, [0, 1, 2, 3], model, 0);
        Assert.Equal([2L], new MaxEntropy(1).Select(ctx, 1));
        using var score = new MaxEntropy(1).Score(ctx);
        Assert.Equal(Math.Log(3), score.ToArray<double>()[2], 12);
    }

    [Fact]
    public void Scores_of_agreeing_samples_are_exactly_zero()
    {
        // Identical draws (S = 5): no spread. The one-pass E[p²] − p̄² left ~1e-9 in the standard deviation, which ranked candidates.
        using var scope = NewDisposeScope();
        var p = nn.functional.softmax(randn([1, 64, 3], float64, generator: new Generator(2)), 2).expand(5, 64, 3).contiguous();
        Assert.All(PosteriorScores.MeanStd(p).ToArray<double>(), v => Assert.Equal(0.0, v));
        Assert.All(PosteriorScores.Variance(p).ToArray<double>(), v => Assert.Equal(0.0, v));
        Assert.All(PosteriorScores.Bald(p).ToArray<double>(), v => Assert.Equal(0, v, 15));
    }

    [Fact]
    public void Sampling_a_network_without_dropout_is_refused()
    {
        // A network without dropout gives identical MC samples: BALD and the other spread scores would rank by rounding noise.
        manual_seed(3);
        var net = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 3));
        using var model = new NetworkModel(TaskKind.Classification, net, seed: 1);
        Assert.False(model.HasDropout);
        using var x = randn([16, 4], generator: new Generator(5));
        using var pool = new PoolHolder(PoolData.Classification(x, zeros([16], int64), 3));
        using var labelled = new LabelledSet(16);
        var ctx = new AcquisitionContext(pool.Pool, labelled, Enumerable.Range(0, 16).Select(i => (long)i).ToList(), model, 7);
        var e = Assert.Throws<InvalidOperationException>(() => new Bald(samples: 5).Score(ctx));
        Assert.Contains("no dropout layer", e.Message);
        Assert.Throws<InvalidOperationException>(() => new MeanStd(samples: 5).Score(ctx));
        // The entropy of the mean prediction needs no spread: it works, and equals the entropy of the plain prediction.
        using var entropy = new MaxEntropy(samples: 3).Score(ctx);
        using var p = model.Predict(x);
        var expected = p.ToArray<double>().Chunk(3).Select(r => -r.Sum(v => v * Math.Log(v))).ToArray();
        Assert.All(expected.Zip(entropy.ToArray<double>()), pair => Assert.Equal(pair.First, pair.Second, 12));
    }

    [Fact]
    public void Mc_dropout_samples_differ_and_are_reproducible_from_the_seed()
    {
        var net = nn.Sequential(nn.Linear(4, 32), nn.ReLU(), new McDropoutLayer(0.5), nn.Linear(32, 3));
        using var model = new NetworkModel(TaskKind.Classification, net, seed: 1);
        using var x = randn([6, 4], generator: new Generator(5));
        using var a = model.SamplePredictions(x, 4, seed: 11);
        using var b = model.SamplePredictions(x, 4, seed: 11);
        using var bald = PosteriorScores.Bald(a);
        Assert.True(a.allclose(b, 0, 0));
        Assert.True(bald.ToArray<double>().All(v => v > 0));
    }

    [Fact]
    public void Mc_dropout_samples_equal_full_forward_passes_with_the_same_masks()
    {
        // SamplePredictions computes the layers before the first dropout once; the result must equal T
        // complete forward passes that draw their masks from a generator with the same seed.
        var net = nn.Sequential(nn.Linear(4, 16), nn.Tanh(), nn.Linear(16, 16), nn.ReLU(), new McDropoutLayer(0.3), nn.Linear(16, 8), nn.ReLU(), new McDropoutLayer(0.5), nn.Linear(8, 3));
        using var model = new NetworkModel(TaskKind.Classification, net, seed: 2, predictBatchSize: 4);
        using var x = randn([10, 4], generator: new Generator(5));
        using var got = model.SamplePredictions(x, 3, seed: 17);

        using var g = new Generator(17);
        var dropouts = net.named_modules().Select(m => m.module).OfType<McDropoutLayer>().ToList();
        foreach (var d in dropouts) { d.Generator = g; d.train(true); }
        var expected = new List<Tensor>();
        using (no_grad())
            for (int s = 0; s < 3; s++)
            {
                // the same batches of 4 as the model's prediction
                var parts = new List<Tensor>();
                for (long i = 0; i < 10; i += 4)
                    using (var xb = x.narrow(0, i, Math.Min(4, 10 - i)))
                        parts.Add(net.call(xb));
                using var z = cat(parts, 0);
                foreach (var t in parts) t.Dispose();
                expected.Add(nn.functional.softmax(z.to(ScalarType.Float64), 1));
            }
        foreach (var d in dropouts) { d.Generator = null; d.train(false); }
        using var want = stack(expected, 0);
        foreach (var t in expected) t.Dispose();
        Assert.Equal(want.shape, got.shape);
        Assert.True(got.allclose(want, 1e-6, 1e-9));
        using var spread = got.std(0);
        Assert.True(spread.max().item<double>() > 1e-3);
    }

    [Fact]
    public void Classification_only_scores_refuse_regression()
    {
        var model = new LookupModel(TaskKind.Regression, [[1.0], [2.0]], [[[1.0], [2.0]]]);
        var pool = Pools.WithIds([[0.0], [1.0]]);
        using var labelled = new LabelledSet(2);
        var ctx = new AcquisitionContext(pool, labelled, [0, 1], model, 0);
        Assert.Throws<NotSupportedException>(() => new Bald(1).Select(ctx, 1));
        Assert.Equal(2, new EnsembleVariance(1).Select(ctx, 2).Count);
    }
}

/// <summary>Keeps the tensors of a pool alive for a test and disposes them after.</summary>
internal sealed class PoolHolder(PoolData pool) : IDisposable
{
    public PoolData Pool { get; } = pool;

    public void Dispose()
    {
        Pool.Inputs.Dispose();
        Pool.Targets?.Dispose();
        Pool.TestInputs?.Dispose();
        Pool.TestTargets?.Dispose();
    }
}
