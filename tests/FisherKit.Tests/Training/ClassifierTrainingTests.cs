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
public sealed class ClassifierTrainingTests
{
    [Fact]
    public void Training_lowers_the_loss_and_fits_data_that_can_be_fitted()
    {
        using var train = TinyTraining.Data(256, seed: 1);
        using var validation = TinyTraining.Data(128, seed: 2);
        using var model = TinyTraining.Spec().Build(seed: 0);
        var (lossBefore, _) = ClassifierTraining.Evaluate(model, validation);
        var history = ClassifierTraining.Fit(model, train, validation, new TrainingOptions { Epochs = 8, BatchSize = 32, LearningRate = 0.01 });
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
            history = ClassifierTraining.Fit(model, train, null, new TrainingOptions { Epochs = 2, BatchSize = 16, Seed = seed, LearningRate = 0.01 });
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
        ClassifierTraining.Fit(model, train, null, new TrainingOptions { Epochs = 1, BatchSize = 64, Optimizer = OptimizerKind.Sgd, Momentum = 0, LearningRate = lr });

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
        var history = ClassifierTraining.Fit(model, train, validation, new TrainingOptions { Epochs = 2, BatchSize = 10, RecordEvery = 3 }, progress: new ProgressCallback<TrainingProgress>(p => { if (p.Event is TrainingEvent.Record or TrainingEvent.EpochEnd) calls.Add(p.History.Records.Count); }));
        Assert.Equal([0.3, 0.6, 0.9, 1.0, 1.3, 1.6, 1.9, 2.0], history.Records.Select(r => Math.Round(r.EpochProgress, 10)));
        Assert.Equal([3L, 6, 9, 10, 13, 16, 19, 20], history.Records.Select(r => r.Step));
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8], calls);
        Assert.All(history.Records, r => Assert.Equal(r.EpochProgress == r.Epoch, r.ValidationLoss is not null && r.ValidationAccuracy is not null));
        Assert.All(history.Records, r => Assert.Equal(r.EndOfEpoch, r.EpochTrainLoss is not null && r.EpochTrainAccuracy is not null));
        Assert.Equal(2, history.EpochEnds.Count);
        var (loss, accuracy) = ClassifierTraining.Evaluate(model, validation);
        Assert.Equal(loss, history.FinalValidationLoss!.Value, 12);
        Assert.Equal(accuracy, history.FinalValidationAccuracy!.Value, 12);
        Assert.All(history.Records, r => Assert.InRange(r.TrainAccuracy!.Value, 0, 1));
        Assert.Equal(20, history.StepLosses.Count);
        // The epoch's mean is the mean of its step losses weighted by the batch sizes (all 10 here).
        Assert.Equal(history.StepLosses.Take(10).Average(), history.EpochEnds[0].EpochTrainLoss!.Value, 12);
    }

    [Fact]
    public void Evaluate_equals_the_mean_cross_entropy_and_accuracy_computed_directly()
    {
        using var data = TinyTraining.Data(70, seed: 4);
        using var model = TinyTraining.Spec(dropout: true).Build(seed: 2);
        model.train();
        var (loss, accuracy) = ClassifierTraining.Evaluate(model, data, batchSize: 16);
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
        var history = ClassifierTraining.Fit(model, train, null, new TrainingOptions { Epochs = 4, BatchSize = 32, LearningRate = 0.01, Schedule = LearningRateSchedule.Cosine });
        var expected = Enumerable.Range(0, 4).Select(e => 0.01 * (1 + Math.Cos(Math.PI * e / 4)) / 2);
        Assert.Equal(expected.Select(v => Math.Round(v, 12)), history.Records.Select(r => Math.Round(r.LearningRate, 12)));
    }

    [Fact]
    public void A_non_finite_loss_stops_the_run_naming_epoch_and_step()
    {
        using var train = TinyTraining.Data(32, seed: 1);
        using var model = nn.Sequential(nn.Flatten(), nn.Linear(64, 4), new Lambda("poison", x => x * double.NaN));
        var e = Assert.Throws<InvalidOperationException>(() => ClassifierTraining.Fit(model, train, null, new TrainingOptions { Epochs = 1, BatchSize = 8 }));
        Assert.Contains("epoch 1, step 1", e.Message);
        Assert.False(model.training);
    }

    [Fact]
    public void A_model_with_fewer_outputs_than_classes_and_bad_options_are_refused()
    {
        using var train = TinyTraining.Data(16, seed: 1);
        using var model = nn.Sequential(nn.Flatten(), nn.Linear(64, 3));
        Assert.Contains("3 outputs", Assert.Throws<ArgumentException>(() => ClassifierTraining.Fit(model, train, null, new TrainingOptions { Epochs = 1 })).Message);
        ArgumentOutOfRangeException Refused(TrainingOptions o) => Assert.Throws<ArgumentOutOfRangeException>(() => ClassifierTraining.Fit(model, train, null, o));
        Assert.Equal("Epochs", Refused(new TrainingOptions { Epochs = 0 }).ParamName);
        Assert.Equal("LearningRate", Refused(new TrainingOptions { LearningRate = double.NaN }).ParamName);
        Assert.Equal("RecordEvery", Refused(new TrainingOptions { RecordEvery = 0 }).ParamName);
        Assert.Equal("WarmupEpochs", Refused(new TrainingOptions { WarmupEpochs = -1 }).ParamName);
        Assert.Throws<ArgumentException>(() => ClassifierTraining.Fit(model, train, null, new TrainingOptions { EqualBatches = true }));
    }

    [Fact]
    public void Training_and_evaluation_leave_no_tensors_behind()
    {
        using var train = TinyTraining.Data(48, seed: 1);
        using var model = TinyTraining.Spec(dropout: true).Build(seed: 0);
        var before = LeakChecks.SettledCount();   // finalizes what earlier tests and the model's construction left to the GC
        ClassifierTraining.Fit(model, train, train, new TrainingOptions { Epochs = 2, BatchSize = 16, RecordEvery = 1 });
        ClassifierTraining.Evaluate(model, train);
        Assert.Equal(before, Tensor.TotalCount);
    }

    [Fact]
    public void Training_can_be_cancelled()
    {
        using var train = TinyTraining.Data(64, seed: 1);
        using var model = TinyTraining.Spec().Build(seed: 0);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => ClassifierTraining.Fit(model, train, null, new TrainingOptions { Epochs = 1 }, cancellationToken: cts.Token));
    }

    [Fact]
    public void The_history_round_trips_through_json_reads_the_earlier_format_and_refuses_malformed_json()
    {
        var h = new TrainingHistory([
            new TrainingRecord(1, 5, 0.5, 1.25, 0.5, null, null, 1e-3, 2.5),
            new TrainingRecord(1, 10, 1, 0.75, 0.75, 0.8, 0.7, 1e-3, 5) { EndOfEpoch = true, EpochTrainLoss = 1.0, EpochTrainAccuracy = 0.625 },
        ], [1.5, 1.0, double.NaN], "cross-entropy");
        var back = TrainingHistory.FromJson(h.ToJson());
        Assert.Equal(h.Records, back.Records);
        Assert.Equal(h.StepLosses, back.StepLosses);
        Assert.Equal("cross-entropy", back.Loss);
        Assert.Equal(0.7, back.FinalValidationAccuracy);
        // A classifier's history as the weight cache stored it before the one training loop: an array of records.
        var old = TrainingHistory.FromJson("[{\"Epoch\":1,\"Step\":5,\"EpochProgress\":0.5,\"TrainLoss\":1.25,\"TrainAccuracy\":0.5,\"LearningRate\":0.001,\"ElapsedSeconds\":2.5}," +
                                           "{\"Epoch\":1,\"Step\":10,\"EpochProgress\":1,\"TrainLoss\":0.75,\"TrainAccuracy\":0.75,\"ValidationLoss\":0.8,\"ValidationAccuracy\":0.7,\"LearningRate\":0.001,\"ElapsedSeconds\":5}]");
        Assert.Equal([false, true], old.Records.Select(r => r.EndOfEpoch));
        Assert.Equal(h.Records.Select(r => r with { EndOfEpoch = false, EpochTrainLoss = null, EpochTrainAccuracy = null }), old.Records.Select(r => r with { EndOfEpoch = false }));
        Assert.Throws<InvalidDataException>(() => TrainingHistory.FromJson("{not json"));
        Assert.Throws<InvalidDataException>(() => TrainingHistory.FromJson("{\"format\":\"something else\"}"));
    }
}

/// <summary>A module that applies a function (TorchSharp has no Lambda layer).</summary>
internal sealed class Lambda(string name, Func<Tensor, Tensor> function) : nn.Module<Tensor, Tensor>(name)
{
    public override Tensor forward(Tensor input) => function(input);
}
