using FisherKit.Data;
using FisherKit.Models;
using TorchSharp.Modules;
using FisherKit.Training;

namespace FisherKit.Tests.Training;

/// <summary>Small data and networks shared by the training tests.</summary>
internal static class TinyTraining
{
    /// <summary>A CNN of the notebooks' family sized for 1×8×8 images and 4 classes (a few thousand parameters).</summary>
    public static ConvNetSpec Spec(bool dropout = false) => new()
    {
        InputSize = TinyModels.Side, Classes = TinyModels.Classes, Conv1Channels = 4, Conv2Channels = 6, Hidden = 16,
        ConvDropout = dropout ? 0.25 : 0, DenseDropout = dropout ? 0.5 : 0,
    };

    /// <summary>The synthetic prototype images of <see cref="TinyModels.Data"/> as a data set.</summary>
    public static ImageDataset Data(int n, long seed, string? name = null)
    {
        var (x, y) = TinyModels.Data(n, seed);
        using (x)
        using (y)
            return new ImageDataset(x, y, name: name ?? $"tiny-{seed}");
    }

    public static float[][] Weights(nn.Module model) => model.named_parameters().Select(p => p.parameter.ToArray<float>()).ToArray();
}

[Collection(LeakChecks.Name)] // runs alone: seeds and draws from the process-wide random generator
public sealed class ClassifierTrainerTests
{
    [Fact]
    public void Training_lowers_the_loss_and_fits_data_that_can_be_fitted()
    {
        using var train = TinyTraining.Data(256, seed: 1);
        using var validation = TinyTraining.Data(128, seed: 2);
        using var model = TinyTraining.Spec().Build(seed: 0);
        var (lossBefore, _) = ClassifierTrainer.Evaluate(model, validation);
        var history = new ClassifierTrainer(new TrainingOptions { Epochs = 8, BatchSize = 32, LearningRate = 0.01 }).Fit(model, train, validation);
        Assert.True(history.FinalValidationLoss < 0.5 * lossBefore, $"validation loss {lossBefore} -> {history.FinalValidationLoss}");
        Assert.True(history.FinalValidationAccuracy > 0.9, history.ToString());
        Assert.False(model.training);
    }

    [Fact]
    public void The_same_seed_gives_the_same_weights_and_curves_and_another_seed_others()
    {
        using var train = TinyTraining.Data(96, seed: 1);
        float[][] Run(long seed, out TrainingHistory history)
        {
            using var model = TinyTraining.Spec(dropout: true).Build(seed: 0);
            history = new ClassifierTrainer(new TrainingOptions { Epochs = 2, BatchSize = 16, Seed = seed, LearningRate = 0.01 }).Fit(model, train);
            return TinyTraining.Weights(model);
        }
        var a = Run(5, out var ha);
        var b = Run(5, out var hb);
        var c = Run(6, out _);
        Assert.Equal(a, b);
        Assert.Equal(ha.Records.Select(r => r.TrainLoss), hb.Records.Select(r => r.TrainLoss));
        Assert.NotEqual(a[0], c[0]);
    }

    [Fact]
    public void One_sgd_step_on_the_whole_set_is_minus_the_rate_times_the_mean_cross_entropy_gradient()
    {
        using var train = TinyTraining.Data(40, seed: 3);
        using var model = TinyTraining.Spec().Build(seed: 7);
        using var reference = TinyTraining.Spec().Build(seed: 7);
        const double lr = 0.1;
        new ClassifierTrainer(new TrainingOptions { Epochs = 1, BatchSize = 64, Optimizer = OptimizerKind.Sgd, Momentum = 0, LearningRate = lr }).Fit(model, train);

        using var scope = NewDisposeScope();
        var ps = reference.parameters().Cast<Tensor>().ToList();
        var loss = nn.functional.cross_entropy(reference.call(train.Images), train.Labels);
        var grads = SafeAutograd.grad([loss], ps);
        foreach (var ((name, trained), (p, g)) in model.named_parameters().Zip(ps.Zip(grads)))
        {
            var expected = (p.detach() - g! * lr).ToArray<float>();
            var actual = trained.ToArray<float>();
            for (int i = 0; i < expected.Length; i++)
                Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-6 + 1e-5 * Math.Abs(expected[i]), $"{name}[{i}]: {actual[i]} vs {expected[i]}");
        }
    }

    [Fact]
    public void Records_come_every_n_batches_and_at_each_epoch_end_with_validation_values_only_there()
    {
        using var train = TinyTraining.Data(100, seed: 1);
        using var validation = TinyTraining.Data(20, seed: 2);
        using var model = TinyTraining.Spec().Build(seed: 0);
        var calls = new List<int>();
        var history = new ClassifierTrainer(new TrainingOptions { Epochs = 2, BatchSize = 10, RecordEvery = 3 })
            .Fit(model, train, validation, onProgress: h => calls.Add(h.Records.Count));
        Assert.Equal([0.3, 0.6, 0.9, 1.0, 1.3, 1.6, 1.9, 2.0], history.Records.Select(r => Math.Round(r.EpochProgress, 10)));
        Assert.Equal([3L, 6, 9, 10, 13, 16, 19, 20], history.Records.Select(r => r.Step));
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8], calls);
        Assert.All(history.Records, r => Assert.Equal(r.EpochProgress == r.Epoch, r.ValidationLoss is not null && r.ValidationAccuracy is not null));
        Assert.Equal(2, history.EpochEnds.Count);
        var (loss, accuracy) = ClassifierTrainer.Evaluate(model, validation);
        Assert.Equal(loss, history.FinalValidationLoss!.Value, 12);
        Assert.Equal(accuracy, history.FinalValidationAccuracy!.Value, 12);
        Assert.All(history.Records, r => Assert.InRange(r.TrainAccuracy, 0, 1));
    }

    [Fact]
    public void Evaluate_equals_the_mean_cross_entropy_and_accuracy_computed_directly()
    {
        using var data = TinyTraining.Data(70, seed: 4);
        using var model = TinyTraining.Spec(dropout: true).Build(seed: 2);
        model.train();
        var (loss, accuracy) = ClassifierTrainer.Evaluate(model, data, batchSize: 16);
        Assert.True(model.training, "the mode is restored");
        using var scope = NewDisposeScope();
        model.eval();
        using var _ = no_grad();
        var z = model.call(data.Images).to(ScalarType.Float64);
        var logp = nn.functional.log_softmax(z, 1).ToDoubleArray();
        var labels = data.LabelArray();
        double expectedLoss = -Enumerable.Range(0, 70).Average(i => logp[i * 4 + labels[i]]);
        double expectedAccuracy = Enumerable.Range(0, 70).Average(i => Enumerable.Range(0, 4).MaxBy(c => logp[i * 4 + c]) == labels[i] ? 1.0 : 0.0);
        Assert.Equal(expectedLoss, loss, 5);
        Assert.Equal(expectedAccuracy, accuracy, 12);
    }

    [Fact]
    public void The_cosine_schedule_lowers_the_rate_each_epoch()
    {
        using var train = TinyTraining.Data(32, seed: 1);
        using var model = TinyTraining.Spec().Build(seed: 0);
        var history = new ClassifierTrainer(new TrainingOptions { Epochs = 4, BatchSize = 32, LearningRate = 0.01, Schedule = LearningRateSchedule.Cosine }).Fit(model, train);
        var expected = Enumerable.Range(0, 4).Select(e => 0.01 * (1 + Math.Cos(Math.PI * e / 4)) / 2);
        Assert.Equal(expected.Select(v => Math.Round(v, 12)), history.Records.Select(r => Math.Round(r.LearningRate, 12)));
    }

    [Fact]
    public void A_non_finite_loss_stops_the_run_naming_epoch_and_step()
    {
        using var train = TinyTraining.Data(32, seed: 1);
        using var model = nn.Sequential(nn.Flatten(), nn.Linear(64, 4), new Lambda("poison", x => x * double.NaN));
        var e = Assert.Throws<InvalidOperationException>(() => new ClassifierTrainer(new TrainingOptions { Epochs = 1, BatchSize = 8 }).Fit(model, train));
        Assert.Contains("epoch 1, step 1", e.Message);
        Assert.False(model.training);
    }

    [Fact]
    public void A_model_with_fewer_outputs_than_classes_and_bad_options_are_refused()
    {
        using var train = TinyTraining.Data(16, seed: 1);
        using var model = nn.Sequential(nn.Flatten(), nn.Linear(64, 3));
        Assert.Contains("3 outputs", Assert.Throws<ArgumentException>(() => new ClassifierTrainer(new TrainingOptions { Epochs = 1 }).Fit(model, train)).Message);
        Assert.Equal("Epochs", Assert.Throws<ArgumentOutOfRangeException>(() => new ClassifierTrainer(new TrainingOptions { Epochs = 0 })).ParamName);
        Assert.Equal("LearningRate", Assert.Throws<ArgumentOutOfRangeException>(() => new ClassifierTrainer(new TrainingOptions { LearningRate = double.NaN })).ParamName);
        Assert.Equal("RecordEvery", Assert.Throws<ArgumentOutOfRangeException>(() => new ClassifierTrainer(new TrainingOptions { RecordEvery = 0 })).ParamName);
    }

    [Fact]
    public void Training_and_evaluation_leave_no_tensors_behind()
    {
        using var train = TinyTraining.Data(48, seed: 1);
        using var model = TinyTraining.Spec(dropout: true).Build(seed: 0);
        var before = LeakChecks.SettledCount();   // finalizes what earlier tests and the model's construction left to the GC
        new ClassifierTrainer(new TrainingOptions { Epochs = 2, BatchSize = 16, RecordEvery = 1 }).Fit(model, train, train);
        ClassifierTrainer.Evaluate(model, train);
        Assert.Equal(before, Tensor.TotalCount);
    }

    [Fact]
    public void Training_can_be_cancelled()
    {
        using var train = TinyTraining.Data(64, seed: 1);
        using var model = TinyTraining.Spec().Build(seed: 0);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => new ClassifierTrainer(new TrainingOptions { Epochs = 1 }).Fit(model, train, cancellationToken: cts.Token));
    }

    [Fact]
    public void The_history_round_trips_through_json_and_malformed_json_is_refused()
    {
        var h = new TrainingHistory([
            new TrainingRecord(1, 5, 0.5, 1.25, 0.5, null, null, 1e-3, 2.5),
            new TrainingRecord(1, 10, 1, 0.75, 0.75, 0.8, 0.7, 1e-3, 5),
        ]);
        var back = TrainingHistory.FromJson(h.ToJson());
        Assert.Equal(h.Records, back.Records);
        Assert.Equal(0.7, back.FinalValidationAccuracy);
        Assert.Throws<InvalidDataException>(() => TrainingHistory.FromJson("{not json"));
    }
}

/// <summary>A module that applies a function (TorchSharp has no Lambda layer).</summary>
internal sealed class Lambda(string name, Func<Tensor, Tensor> function) : nn.Module<Tensor, Tensor>(name)
{
    public override Tensor forward(Tensor input) => function(input);
}
