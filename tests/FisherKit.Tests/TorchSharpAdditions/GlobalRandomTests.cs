using FisherKit.ActiveLearning;
using FisherKit.ActiveLearning.Learners;
using FisherKit.Detection;
using FisherKit.Models;
using FisherKit.Tests.Training;
using FisherKit.Tests.Uncertainty;
using FisherKit.Training;
using FisherKit.Uncertainty;

namespace FisherKit.Tests.TorchSharpAdditions;

/// <summary>
/// GlobalRandom.Fork: seeded draws inside the block, the caller's random stream untouched after it; and every FisherKit
/// call that seeds the global generator (initial weights, training, MC-dropout passes) leaves the caller's stream as it was.
/// </summary>
[Collection(LeakChecks.Name)] // runs alone: seeds and draws from the process-wide random generator
public sealed class GlobalRandomTests
{
    private static float[] Draw(int n = 8)
    {
        using var t = randn([n]);
        return t.ToArray<float>();
    }

    /// <summary>What the caller's stream gives next when nothing happens in between: seed 1234, skip one draw, draw.</summary>
    private static float[] CallersNextDraws()
    {
        manual_seed(1234);
        Draw();
        return Draw();
    }

    /// <summary>The same stream with <paramref name="call"/> in between the two draws.</summary>
    private static float[] CallersNextDrawsAround(Action call)
    {
        manual_seed(1234);
        Draw();
        call();
        return Draw();
    }

    [Fact]
    public void Inside_the_block_the_draws_are_those_after_manual_seed()
    {
        manual_seed(77);
        var expected = Draw(16);
        manual_seed(5);
        float[] inside;
        using (GlobalRandom.Fork(77))
            inside = Draw(16);
        Assert.Equal(expected, inside);
    }

    [Fact]
    public void After_the_block_the_callers_stream_goes_on_where_it_was()
    {
        var expected = CallersNextDraws();
        Assert.Equal(expected, CallersNextDrawsAround(() =>
        {
            using var fork = GlobalRandom.Fork(3);
            Draw(1000);
        }));
        // Without the fork the stream would have been reset: the check above can fail.
        Assert.NotEqual(expected, CallersNextDrawsAround(() => manual_seed(3)));
    }

    [Fact]
    public void The_stream_is_put_back_after_an_exception_and_after_a_dispose_scope_ends_inside_the_block()
    {
        var expected = CallersNextDraws();
        Assert.Equal(expected, CallersNextDrawsAround(() =>
        {
            try
            {
                using var fork = GlobalRandom.Fork(3);
                Draw();
                throw new InvalidOperationException("inside");
            }
            catch (InvalidOperationException) { }
        }));
        Assert.Equal(expected, CallersNextDrawsAround(() =>
        {
            IDisposable fork;
            using (NewDisposeScope())
            {
                fork = GlobalRandom.Fork(3);   // the saved state must not belong to this scope
                Draw();
            }
            fork.Dispose();
            fork.Dispose();                    // a second dispose does nothing
        }));
    }

    [Fact]
    public void FisherKit_calls_that_seed_the_global_generator_leave_the_callers_stream_as_it_was()
    {
        var expected = CallersNextDraws();
        var spec = TinyTraining.Spec(dropout: true);

        Assert.Equal(expected, CallersNextDrawsAround(() => spec.Build(seed: 0).Dispose()));

        using var model = spec.Build(seed: 0);
        using var train = TinyTraining.Data(64, seed: 1);
        Assert.Equal(expected, CallersNextDrawsAround(() =>
            ClassifierTraining.Fit(model, train, null, new TrainingOptions { Epochs = 1, BatchSize = 32, Seed = 9 })));

        var (images, labels) = TinyModels.Data(8, seed: 2);
        using var imagesOwned = images;
        using var labelsOwned = labels;
        Assert.Equal(expected, CallersNextDrawsAround(() => new McDropoutScore(model, samples: 3, seed: 4).Score(images)));

        var mlp = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Dropout(0.5), nn.Linear(16, 3));
        using var learner = new NetworkModel(TaskKind.Classification, mlp, seed: 1,
            new TrainingOptions { Epochs = 1, BatchSize = 8, MinSteps = 2 });
        using var x = randn([16, 4], generator: new Generator(5));
        using var y = tensor(Enumerable.Range(0, 16).Select(i => (long)(i % 3)).ToArray());
        Assert.Equal(expected, CallersNextDrawsAround(() => learner.Fit(x, y, seed: 3)));
        Assert.Equal(expected, CallersNextDrawsAround(() => learner.SamplePredictions(x, 3, seed: 11).Dispose()));

        using var data = new TinyTwiData(count: 8);
        var options = new EnsembleOptions(1, new UNetOptions(9, Depth: 2, BaseWidth: 4, Head: RegressionHead.Gaussian, Dropout: 0.2),
            new TrainingOptions { Epochs = 1, BatchSize = 8 }, BaseSeed: 5);
        DeepEnsemble? ensemble = null;
        Assert.Equal(expected, CallersNextDrawsAround(() => ensemble = DeepEnsemble.Train(options, data.Data)));
        using (ensemble)
        {
            var samples = (MemberPredictions?)null;
            Assert.Equal(expected, CallersNextDrawsAround(() => samples = McDropout.Sample(ensemble!.Members[0], data.Inputs, passes: 2, seed: 6)));
            samples!.Dispose();
        }
    }
}
