using FisherKit.Uncertainty;
using FisherKit.Models;

namespace FisherKit.Tests.Uncertainty;

[Collection(LeakChecks.Name)] // runs alone: its reproducibility checks use the global random generator
public class DeepEnsembleTests
{
    private static EnsembleOptions Tiny(int members, RegressionHead head, string? cache = null, double dropout = 0) =>
        new(members, new UNetOptions(9, Depth: 2, BaseWidth: 8, Head: head, Dropout: dropout),
            new RegressionTrainingOptions(Epochs: 3, BatchSize: 8, LearningRate: 1e-2), BaseSeed: 5, CacheDirectory: cache);

    [Fact]
    public void A_two_member_ensemble_trains_and_its_loss_decreases()
    {
        using var data = new TinyTwiData();
        var reports = new List<TrainingProgress>();
        using var ensemble = DeepEnsemble.Train(Tiny(2, RegressionHead.Mean), data.Data, data.Data, new SyncProgress<TrainingProgress>(reports.Add));
        Assert.Equal(2, ensemble.Members.Count);
        foreach (var h in ensemble.Histories)
        {
            Assert.Equal(3, h.Epochs.Count);
            Assert.Equal(18, h.StepLosses.Count);                          // 48 samples / 8 per batch × 3 epochs
            Assert.True(h.Epochs[^1].TrainLoss < h.Epochs[0].TrainLoss, string.Join("; ", h.Epochs));
            Assert.True(h.Epochs[^1].ValidationLoss < h.Epochs[0].ValidationLoss, string.Join("; ", h.Epochs));
        }
        Assert.Equal(2 * 18, reports.Count(r => r.Event == TrainingEvent.Step));
        Assert.Equal(2 * 3, reports.Count(r => r.Event == TrainingEvent.EpochEnd));
        Assert.All(reports.Where(r => r.Event == TrainingEvent.EpochEnd), r => Assert.NotNull(r.ValidationLoss));
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
            var options = Tiny(2, RegressionHead.Gaussian, dir) with { Training = new RegressionTrainingOptions(Epochs: 1, BatchSize: 8, MseWarmupEpochs: 0) };
            using var first = DeepEnsemble.Train(options, data.Data);
            Assert.Equal(0, first.LoadedFromCache);
            Assert.True(File.Exists(Path.Combine(first.CacheFolder!, "member-01.safetensors")));
            var reports = new List<TrainingProgress>();
            using var second = DeepEnsemble.Train(options, data.Data, progress: new SyncProgress<TrainingProgress>(reports.Add));
            Assert.Equal(2, second.LoadedFromCache);
            Assert.All(reports, r => Assert.Equal(TrainingEvent.LoadedFromCache, r.Event));
            Assert.Equal(first.Histories[1].StepLosses, second.Histories[1].StepLosses);
            var a = first.Predict(data.Inputs);
            var b = second.Predict(data.Inputs);
            Assert.True(allclose(a.Mean, b.Mean, rtol: 0, atol: 0) && allclose(a.Variance, b.Variance, rtol: 0, atol: 0));
            // Another configuration gets another key; Retrain trains again.
            Assert.NotEqual(DeepEnsemble.CacheKey(options, data.Data), DeepEnsemble.CacheKey(options with { BaseSeed = 6 }, data.Data));
            using var third = DeepEnsemble.Train(options with { Retrain = true }, data.Data);
            Assert.Equal(0, third.LoadedFromCache);
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
        var options = Tiny(1, RegressionHead.Mean) with { Training = new RegressionTrainingOptions(Epochs: 1, BatchSize: 8) };
        using var a = DeepEnsemble.Train(options, data.Data);
        using var b = DeepEnsemble.Train(options, data.Data);
        Assert.Equal(a.Histories[0].StepLosses, b.Histories[0].StepLosses);
    }

    [Fact]
    public void Mc_dropout_draws_differ_per_pass_and_are_reproducible()
    {
        using var data = new TinyTwiData(count: 16);
        using var scope = NewDisposeScope();
        using var ens = DeepEnsemble.Train(Tiny(1, RegressionHead.Gaussian, dropout: 0.2) with { Training = new RegressionTrainingOptions(Epochs: 1, BatchSize: 8) }, data.Data);
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
    public void Training_history_round_trips_through_json()
    {
        var path = Path.Combine(Path.GetTempPath(), $"fisherkit-history-{Guid.NewGuid():N}.json");
        try
        {
            var h = new RegressionTrainingHistory();
            h.Epochs.Add(new EpochRecord(1, 0.5, null, 1.25, true));
            h.Epochs.Add(new EpochRecord(2, 0.25, 0.3, 2.5, false));
            h.StepLosses.AddRange([0.7, 0.4]);
            h.Save(path);
            var back = RegressionTrainingHistory.Load(path);
            Assert.Equal(h.Epochs, back.Epochs);
            Assert.Equal(h.StepLosses, back.StepLosses);
            Assert.True(double.IsNaN(back.ValidationLosses[0]));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
