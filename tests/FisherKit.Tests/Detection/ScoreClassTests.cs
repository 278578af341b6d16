using FisherKit.Detection;
using TorchSharp.Modules;
using FisherKit.Models;
using FisherKit.Tests.TorchSharpAdditions;

namespace FisherKit.Tests.Detection;

[Collection(LeakChecks.Name)]
public class ScoreClassTests
{
    [Fact]
    public void Logit_scores_equal_their_formulas_on_the_model_outputs()
    {
        using var model = TinyModels.TrainedMlp();
        var (x, _) = TinyModels.Data(16, seed: 3);
        using (x)
        {
            using var scope = NewDisposeScope();
            Tensor logits;
            using (no_grad()) logits = model.call(x).to(ScalarType.Float64);
            var z = logits.ToArray<double>();
            var msp = new MaxSoftmaxScore(model).Score(x);
            var ent = new PredictiveEntropyScore(model).Score(x);
            var energy = new EnergyScore(model).Score(x);
            for (int i = 0; i < 16; i++)
            {
                var row = z.Skip(i * 4).Take(4).ToArray();
                var mx = row.Max();
                var e = row.Select(v => Math.Exp(v - mx)).ToArray();
                var p = e.Select(v => v / e.Sum()).ToArray();
                Assert.Equal(1 - p.Max(), msp[i], 6);
                Assert.Equal(-p.Sum(v => v > 0 ? v * Math.Log(v) : 0), ent[i], 6);
                Assert.Equal(-(mx + Math.Log(e.Sum())), energy[i], 5);
            }
        }
    }

    [Fact]
    public void Mc_dropout_without_dropping_has_no_disagreement_and_with_dropping_some()
    {
        var (x, _) = TinyModels.Data(8, seed: 5);
        using (x)
        {
            using var off = TinyModels.TrainedMlp(dropout: 0.0);
            Assert.All(new McDropoutScore(off, samples: 5).Score(x), v => Assert.Equal(0, v, 12));
            using var on = TinyModels.TrainedMlp(dropout: 0.5);
            var mi = new McDropoutScore(on, samples: 10, seed: 1).Score(x);
            Assert.Contains(mi, v => v > 1e-4);
            // Reproducible from the seed, and the model is left in evaluation mode.
            Assert.Equal(mi, new McDropoutScore(on, samples: 10, seed: 1).Score(x));
            Assert.All(on.NamedModulesWithSelf(), m => Assert.False(m.module.training));
        }
    }

    [Fact]
    public void Mc_dropout_runs_the_layers_before_the_first_dropout_once_and_gives_the_values_of_whole_passes()
    {
        manual_seed(11);
        using var model = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(0.3), nn.Flatten(),
                                        nn.Linear(4 * 3 * 3, 8), nn.ReLU(), nn.Dropout(0.5), nn.Linear(8, 3));
        model.eval();
        using var x = rand(5, 1, 8, 8);
        var (shared, stochastic) = model.SplitAtFirstDropout();
        Assert.Equal(3, shared.Count);
        Assert.Equal(6, stochastic.Count);
        using var scope = NewDisposeScope();
        var score = new McDropoutScore(model, samples: 6, seed: 4);
        score.SampleProbabilities(x);   // first call: ConvolutionWorkspace's probe may run the network once more
        int convolutionCalls = 0;
        var counted = ((nn.Module<Tensor, Tensor>)model[0]).register_forward_hook((m, i, o) => { convolutionCalls++; return o; });
        var fast = score.SampleProbabilities(x);
        Assert.Equal(1, convolutionCalls);   // the layers before the first dropout run once, not 6 times
        counted.remove();
        // The same S passes the obvious way: the whole network each time, masks from the same seed.
        Tensor expected;
        using (no_grad())
        using (ModuleMode.MonteCarloDropout(model))
        {
            manual_seed(4);
            expected = stack(Enumerable.Range(0, 6).Select(_ => nn.functional.softmax(model.call(x).to(ScalarType.Float64), 1)).ToArray(), 0);
        }
        Assert.Equal(expected.shape, fast.shape);
        Assert.True(fast.allclose(expected, rtol: 0, atol: 1e-12), $"largest difference {(fast - expected).abs().max().ToDouble():G3}");
        Assert.True(fast.std(0).max().ToDouble() > 1e-3, "the passes differ (dropout is active)");
        // The shared part in several calls (a tiny workspace budget) gives the same values.
        using (new WorkspaceBudget(1))
        {
            var chunked = score.SampleProbabilities(x);
            Assert.True(chunked.allclose(expected, rtol: 0, atol: 1e-12));
        }
        // A module that is not a Sequential, or one whose first layer drops, runs whole.
        using var dropsFirst = nn.Sequential(nn.Dropout(0.5), nn.Linear(2, 2));
        Assert.Empty(dropsFirst.SplitAtFirstDropout().Deterministic);
        using var notSequential = new Wrapped(model);
        Assert.Empty(notSequential.SplitAtFirstDropout().Deterministic);
    }

    [Fact]
    public void Mc_dropout_needs_a_dropout_layer()
    {
        using var model = nn.Sequential(nn.Flatten(), nn.Linear(4, 2));
        Assert.Throws<ArgumentException>(() => new McDropoutScore(model));
    }

    [Fact]
    public void An_ensemble_of_identical_members_does_not_disagree_and_different_members_do()
    {
        var (x, _) = TinyModels.Data(8, seed: 6);
        using (x)
        using (var a = TinyModels.TrainedMlp())
        using (var b = TinyModels.TrainedCnn())
        {
            Assert.All(new EnsembleScore([a, a, a]).Score(x), v => Assert.Equal(0, v, 12));
            var mixed = new EnsembleScore([a, b]);
            using var scope = NewDisposeScope();
            var p = mixed.MemberProbabilities(x);
            Assert.Equal([2L, 8, 4], p.shape);
            var expected = ScoreFunctions.Disagreement(p, SampleMeasure.MutualInformation).ToArray<double>();
            Assert.Equal(expected, mixed.Score(x));
            Assert.Contains(expected, v => v > 0);
        }
    }

    [Fact]
    public void The_backpropagated_response_of_a_convolution_is_its_transpose_applied_to_its_output()
    {
        manual_seed(4);
        using var conv = nn.Conv2d(2, 3, 3, padding: 1, dtype: ScalarType.Float64);
        using var model = nn.Sequential(conv, nn.ReLU(), nn.Flatten(), nn.Linear(3 * 6 * 6, 2, dtype: ScalarType.Float64));
        using var scope = NewDisposeScope();
        var x = rand([2, 2, 6, 6], ScalarType.Float64);
        var score = new LocalSpatialEntropyScore(model, conv, window: 3, bins: 4);
        var maps = score.ResponseMaps(x);
        // a = conv(x) is affine in x, so ∇ₓ ½‖a‖² = Wᵀ a = conv_transpose2d(a, W).
        var a = nn.functional.conv2d(x, conv.weight, conv.bias, padding: [1]);
        var expected = nn.functional.conv_transpose2d(a, conv.weight, padding: [1]).abs().sum(1);
        Assert.True(maps.allclose(expected, rtol: 1e-10, atol: 1e-12));
        var activation = new LocalSpatialEntropyScore(model, conv, ResponseMapKind.Activations).ResponseMaps(x);
        Assert.True(activation.allclose(a.detach().abs().sum(1)));
        Assert.All(score.Score(x), v => Assert.InRange(v, 0, 2));
    }

    [Fact]
    public void Scores_leave_no_tensors_behind_and_no_gradients_on_the_model()
    {
        using var model = TinyModels.TrainedCnn();
        model.zero_grad();
        var (x, y) = TinyModels.Data(20, seed: 8);
        using (x)
        using (y)
        {
            using var maha = MahalanobisScore.Fit(FeatureExtractors.Penultimate(model), x, y);
            IDetectionScore[] scores = [new MaxSoftmaxScore(model), new EnergyScore(model), new EnsembleScore([model, model]),
                maha, new LocalSpatialEntropyScore(model, (nn.Module<Tensor, Tensor>)model[0], window: 3)];
            long before = LeakChecks.SettledCount();
            foreach (var s in scores)
            {
                var v = s.ScoreAll(x, batchSize: 7);
                Assert.Equal(20, v.Length);
                Assert.All(v, d => Assert.True(double.IsFinite(d)));
                Assert.False(string.IsNullOrWhiteSpace(s.Description));
            }
            Assert.Equal(before, Tensor.TotalCount);
            Assert.All(model.parameters(), p => Assert.Null(p.grad));
        }
    }

    [Fact]
    public void The_recorder_hands_out_what_the_layer_saw()
    {
        using var model = TinyModels.TrainedMlp();
        using var scope = NewDisposeScope();
        var x = rand(3, 1, 8, 8);
        using var recorder = new ActivationRecorder((nn.Module<Tensor, Tensor>)model[4], ActivationPoint.Input);
        Assert.False(recorder.HasRecord);
        using (no_grad())
        {
            model.eval();
            var logits = model.call(x);
            var h = recorder.Take();
            var again = nn.functional.linear(h, ((Linear)model[4]).weight, ((Linear)model[4]).bias);
            Assert.True(again.allclose(logits, atol: 1e-6));
        }
        Assert.Throws<InvalidOperationException>(() => recorder.Take());
    }

    /// <summary>A module that only calls another: not a Sequential, so MC dropout runs it whole.</summary>
    private sealed class Wrapped(nn.Module<Tensor, Tensor> inner) : nn.Module<Tensor, Tensor>("wrapped")
    {
        public override Tensor forward(Tensor x) => inner.call(x);
    }
}
