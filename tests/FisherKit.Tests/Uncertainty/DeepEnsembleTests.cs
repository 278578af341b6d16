using FisherKit.Uncertainty;
using FisherKit.Models;
using FisherKit.Training;

namespace FisherKit.Tests.Uncertainty;

[Collection(LeakChecks.Name)] // runs alone: its reproducibility checks use the global random generator
public class DeepEnsembleTests
{
    private static EnsembleOptions Tiny(int members, RegressionHead head, string? cache = null, double dropout = 0) =>
        new(members, new UNetOptions(9, Depth: 2, BaseWidth: 8, Head: head, Dropout: dropout),
            new TrainingOptions { Epochs = 3, BatchSize = 8, LearningRate = 1e-2, Schedule = LearningRateSchedule.Cosine }, BaseSeed: 5, Cache: cache is null ? null : new ResultCache(cache));

    [Fact]
    public void A_two_member_ensemble_trains_and_its_loss_decreases()
    {
        using var data = new TinyTwiData();
        var reports = new List<TrainingProgress>();
        using var ensemble = DeepEnsemble.Train(Tiny(2, RegressionHead.Mean), data.Data, data.Data, new ProgressCallback<TrainingProgress>(reports.Add));
        Assert.Equal(2, ensemble.Members.Count);
        foreach (var h in ensemble.Histories)
        {
            var epochs = h.EpochEnds;
            Assert.Equal(3, epochs.Count);
            Assert.Equal(18, h.StepLosses.Count);                          // 48 samples / 8 per batch × 3 epochs
            Assert.True(epochs[^1].EpochTrainLoss < epochs[0].EpochTrainLoss, string.Join("; ", epochs));
            Assert.True(epochs[^1].ValidationLoss < epochs[0].ValidationLoss, string.Join("; ", epochs));
        }
        Assert.Equal(2 * 18, reports.Count(r => r.Event == TrainingEvent.Step));
        Assert.Equal(2 * 3, reports.Count(r => r.Event == TrainingEvent.EpochEnd));
        Assert.All(reports.Where(r => r.Event == TrainingEvent.EpochEnd), r => Assert.NotNull(r.Record!.ValidationLoss));
        Assert.Equal([0, 1], reports.Where(r => r.Event == TrainingEvent.Finished).Select(r => r.Member));

        // Different seeds give different members, so the epistemic part is positive.
        using var scope = NewDisposeScope();
        var members = ensemble.PredictMembers(data.Inputs);
        Assert.Equal(new long[] { 2, 48, 1, 16, 16 }, members.Means.shape);
        var p = ensemble.Predict(data.Inputs);
        Assert.True(p.EpistemicVariance.mean().ToDouble() > 0);
        Assert.True(allclose(p.Mean, members.Means.mean([0]), atol: 1e-6));
    }

    [Fact]
    public void Members_are_cached_as_safetensors_and_reloaded_without_training()
    {
        var dir = Path.Combine(Path.GetTempPath(), "fisherkit-ensemble-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var data = new TinyTwiData(count: 16);
            using var scope = NewDisposeScope();
            var options = Tiny(2, RegressionHead.Gaussian, dir) with { Training = new TrainingOptions { Epochs = 1, BatchSize = 8, WarmupEpochs = 0, Schedule = LearningRateSchedule.Cosine } };
            using var first = DeepEnsemble.Train(options, data.Data);
            Assert.Equal(0, first.LoadedFromCache);
            Assert.True(File.Exists(first.Runs[1].WeightsPath));
            Assert.StartsWith(Path.Combine(dir, "unet-ensembles", "member-01-"), first.Runs[1].Folder, StringComparison.Ordinal);
            var reports = new List<TrainingProgress>();
            using var second = DeepEnsemble.Train(options, data.Data, progress: new ProgressCallback<TrainingProgress>(reports.Add));
            Assert.Equal(2, second.LoadedFromCache);
            Assert.All(reports, r => Assert.Equal(TrainingEvent.LoadedFromCache, r.Event));
            Assert.Equal([0, 1], reports.Select(r => r.Member));
            Assert.Equal(first.Histories[1].StepLosses, second.Histories[1].StepLosses);
            Assert.Equal(first.Histories[1].Records, second.Histories[1].Records);
            var a = first.Predict(data.Inputs);
            var b = second.Predict(data.Inputs);
            Assert.True(allclose(a.Mean, b.Mean, rtol: 0, atol: 0) && allclose(a.Variance, b.Variance, rtol: 0, atol: 0));
            // Another configuration gets another key; Retrain trains again.
            using var other = DeepEnsemble.Train(options with { BaseSeed = 6, Members = 1 }, data.Data);
            Assert.NotEqual(first.Runs[0].Key!.Hash, other.Runs[0].Key!.Hash);
            using var third = DeepEnsemble.Train(options with { Cache = options.Cache! with { Retrain = true } }, data.Data);
            Assert.Equal(0, third.LoadedFromCache);
            Assert.All(third.Runs, r => Assert.Equal("trained again (Retrain)", r.Note));
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Training_is_reproducible_from_the_seeds()
    {
        using var data = new TinyTwiData(count: 16);
        using var scope = NewDisposeScope();
        var options = Tiny(1, RegressionHead.Mean) with { Training = new TrainingOptions { Epochs = 1, BatchSize = 8, Schedule = LearningRateSchedule.Cosine } };
        using var a = DeepEnsemble.Train(options, data.Data);
        using var b = DeepEnsemble.Train(options, data.Data);
        Assert.Equal(a.Histories[0].StepLosses, b.Histories[0].StepLosses);
        Assert.Equal(2, a.Histories[0].StepLosses.Count);
    }

    [Fact]
    public void Mc_dropout_draws_differ_per_pass_and_are_reproducible()
    {
        using var data = new TinyTwiData(count: 16);
        using var scope = NewDisposeScope();
        using var ens = DeepEnsemble.Train(Tiny(1, RegressionHead.Gaussian, dropout: 0.2) with { Training = new TrainingOptions { Epochs = 1, BatchSize = 8, Schedule = LearningRateSchedule.Cosine } }, data.Data);
        var model = ens.Members[0];
        var s1 = McDropout.Sample(model, data.Inputs, passes: 4, seed: 3);
        var s2 = McDropout.Sample(model, data.Inputs, passes: 4, seed: 3);
        Assert.Equal(new long[] { 4, 16, 1, 16, 16 }, s1.Means.shape);
        Assert.True(allclose(s1.Means, s2.Means, rtol: 0, atol: 0));
        Assert.False(allclose(s1.Means[0], s1.Means[1]));
        var p = McDropout.Predict(model, data.Inputs, passes: 4, seed: 3);
        Assert.True(allclose(p.Mean, s1.Means.mean([0]), atol: 1e-6));
        Assert.True(allclose(p.AleatoricVariance, s1.Variances!.mean([0]), atol: 1e-6));
        Assert.False(model.training, "the model is back in evaluation mode");
        using var plain = new UNet(new UNetOptions(9, Depth: 2, BaseWidth: 4));
        Assert.Throws<ArgumentException>(() => McDropout.Predict(plain, data.Inputs));
    }

    [Fact]
    public void Histories_written_by_the_earlier_regression_trainer_are_read()
    {
        // RegressionTrainingHistory.Save of FisherKit before the one training loop.
        const string old = "{\"Epochs\":[{\"Epoch\":1,\"TrainLoss\":0.5,\"ValidationLoss\":null,\"ElapsedSeconds\":1.25,\"UsedMse\":true}," +
                           "{\"Epoch\":2,\"TrainLoss\":0.25,\"ValidationLoss\":0.3,\"ElapsedSeconds\":2.5,\"UsedMse\":false}],\"StepLosses\":[0.7,0.4,0.3,0.2]}";
        var h = TrainingHistory.FromJson(old);
        Assert.Equal([0.7, 0.4, 0.3, 0.2], h.StepLosses);
        Assert.Equal(2, h.EpochEnds.Count);
        Assert.Equal([0.5, 0.25], h.EpochEnds.Select(r => r.EpochTrainLoss!.Value));
        Assert.Equal([true, false], h.EpochEnds.Select(r => r.WarmUp));
        Assert.Equal([2L, 4], h.EpochEnds.Select(r => r.Step));
        Assert.Null(h.EpochEnds[0].ValidationLoss);
        Assert.Equal(0.3, h.FinalValidationLoss);
        var back = TrainingHistory.FromJson(h.ToJson());
        Assert.Equal(h.Records, back.Records);
        Assert.Equal(h.StepLosses, back.StepLosses);
    }
}
