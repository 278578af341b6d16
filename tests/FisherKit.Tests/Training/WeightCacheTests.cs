using FisherKit.Data;
using FisherKit.Training;

namespace FisherKit.Tests.Training;

[Collection(LeakChecks.Name)] // runs alone: seeds and draws from the process-wide random generator
public sealed class WeightCacheTests : IDisposable
{
    private readonly TempFolder _dir = new();
    private readonly ImageDataset _train = TinyTraining.Data(64, seed: 1);
    private readonly ImageDataset _validation = TinyTraining.Data(32, seed: 2);
    private static readonly TrainingOptions Options = new() { Epochs = 2, BatchSize = 16, LearningRate = 0.01 };

    public void Dispose()
    {
        _train.Dispose();
        _validation.Dispose();
        _dir.Dispose();
    }

    private WeightCache Cache => new(_dir.File("models"));

    private TrainingRun FitOrLoad(nn.Module<Tensor, Tensor> model, bool retrain = false, TrainingOptions? options = null) =>
        new ClassifierTrainer(options ?? Options).FitOrLoad(model, TinyTraining.Spec().Description, _train, _validation, retrain, Cache, name: "tiny-cnn");

    [Fact]
    public void A_configuration_is_trained_once_then_loaded_with_the_same_weights_and_curves()
    {
        using var first = TinyTraining.Spec().Build(seed: 0);
        var trained = FitOrLoad(first);
        Assert.False(trained.FromCache);
        Assert.True(File.Exists(trained.WeightsPath));
        Assert.Equal(Path.Combine(Cache.Folder, trained.Key + ".safetensors"), trained.WeightsPath);
        Assert.StartsWith("tiny-cnn-", Path.GetFileName(trained.WeightsPath), StringComparison.Ordinal);

        using var second = TinyTraining.Spec().Build(seed: 0);
        var loaded = FitOrLoad(second);
        Assert.True(loaded.FromCache);
        Assert.Equal(trained.Key, loaded.Key);
        Assert.Equal(TinyTraining.Weights(first), TinyTraining.Weights(second));
        Assert.Equal(trained.History.Records, loaded.History.Records);
        Assert.False(second.training);
        Assert.Single(Directory.GetFiles(Cache.Folder));   // no temporary file left behind
    }

    [Fact]
    public void Retrain_trains_again_and_replaces_the_file()
    {
        using var first = TinyTraining.Spec().Build(seed: 0);
        var a = FitOrLoad(first);
        var stamp = File.GetLastWriteTimeUtc(a.WeightsPath);
        using var second = TinyTraining.Spec().Build(seed: 0);
        var b = FitOrLoad(second, retrain: true);
        Assert.False(b.FromCache);
        Assert.Equal(a.Key, b.Key);
        Assert.True(File.GetLastWriteTimeUtc(b.WeightsPath) >= stamp);
        Assert.Equal(TinyTraining.Weights(first), TinyTraining.Weights(second));   // deterministic: the same weights again
    }

    [Fact]
    public void The_key_changes_with_architecture_parameters_initial_weights_data_and_options_only()
    {
        using var model = TinyTraining.Spec().Build(seed: 0);
        using var otherInit = TinyTraining.Spec().Build(seed: 1);
        using var dropout = TinyTraining.Spec(dropout: true).Build(seed: 0);
        using var bigger = (TinyTraining.Spec() with { Hidden = 17 }).Build(seed: 0);
        using var moreData = TinyTraining.Data(65, seed: 1);
        using var renamed = TinyTraining.Data(64, seed: 1, name: "another name");
        var arch = TinyTraining.Spec().Description;
        TrainingKey Key(nn.Module m, string? a = null, ImageDataset? train = null, ImageDataset? validation = null, TrainingOptions? o = null, bool noValidation = false) =>
            TrainingKey.Create("k", a ?? arch, m, train ?? _train, noValidation ? null : validation ?? _validation, o ?? Options);
        var baseKey = Key(model);
        var variants = new[]
        {
            Key(model, a: "another architecture"), Key(otherInit), Key(dropout), Key(bigger), Key(model, train: moreData),
            Key(model, validation: moreData), Key(model, noValidation: true), Key(model, o: Options with { Epochs = 3 }),
            Key(model, o: Options with { Seed = 1 }), Key(model, o: Options with { LearningRate = 0.02 }),
            Key(model, o: Options with { Optimizer = OptimizerKind.Sgd }), Key(model, o: Options with { BatchSize = 8 }),
        };
        Assert.All(variants, k => Assert.NotEqual(baseKey.Hash, k.Hash));
        Assert.Equal(variants.Length, variants.Select(k => k.Hash).Distinct().Count());
        Assert.Equal(baseKey, Key(model, o: Options with { RecordEvery = 7 }));   // how often curves are recorded does not change the weights
        Assert.Equal(baseKey, Key(model, train: renamed));                         // the content counts, not the name
        Assert.Equal(16, baseKey.Hash.Length);
        Assert.Equal($"k-{baseKey.Hash}", baseKey.ToString());
    }

    [Fact]
    public void A_damaged_file_is_retrained_and_replaced()
    {
        using var first = TinyTraining.Spec().Build(seed: 0);
        var a = FitOrLoad(first);
        File.WriteAllBytes(a.WeightsPath, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
        using var second = TinyTraining.Spec().Build(seed: 0);
        Assert.False(Cache.TryLoad(second, a.Key, out _, out var reason));
        Assert.Contains("could not be read", reason);
        var b = FitOrLoad(second);
        Assert.False(b.FromCache);
        using var third = TinyTraining.Spec().Build(seed: 0);
        Assert.True(Cache.TryLoad(third, a.Key, out _, out _));
        Assert.Equal(TinyTraining.Weights(second), TinyTraining.Weights(third));
    }

    [Fact]
    public void A_file_written_for_another_configuration_is_not_loaded_and_the_model_is_unchanged()
    {
        using var first = TinyTraining.Spec().Build(seed: 0);
        var a = FitOrLoad(first);
        using var other = TinyTraining.Spec().Build(seed: 0);
        var otherKey = TrainingKey.Create("tiny-cnn", "something else", other, _train, _validation, Options);
        File.Copy(a.WeightsPath, Cache.PathOf(otherKey));
        var before = TinyTraining.Weights(other);
        Assert.False(Cache.TryLoad(other, otherKey, out _, out var reason));
        Assert.Contains("another configuration", reason);
        Assert.Equal(before, TinyTraining.Weights(other));
    }

    [Fact]
    public void The_file_is_plain_safetensors_with_the_key_and_history_in_its_metadata()
    {
        using var model = TinyTraining.Spec().Build(seed: 0);
        var run = FitOrLoad(model);
        var tensors = Safetensors.Load(run.WeightsPath, out var metadata);
        try
        {
            Assert.Equal(model.named_parameters().Select(p => p.name).Order(), tensors.Keys.Order());
            Assert.Equal(run.Key.Text, metadata[WeightCache.KeyEntry]);
            Assert.Equal(run.History.Records, TrainingHistory.FromJson(metadata[WeightCache.HistoryEntry]).Records);
            Assert.Contains("format: " + TrainingKey.Format, run.Key.Text);
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    [Fact]
    public void Names_that_are_not_file_safe_are_refused()
    {
        Assert.Throws<ArgumentException>(() => TrainingKey.FromText("../escape", "x"));
        Assert.Throws<ArgumentException>(() => TrainingKey.FromText("a b", "x"));
        Assert.Equal("ok.name_1-", TrainingKey.FromText("ok.name_1", "x").ToString()[..10]);
    }

    [Fact]
    public void Data_fingerprints_follow_content_and_order()
    {
        using var a = TinyTraining.Data(20, seed: 1);
        using var b = TinyTraining.Data(20, seed: 1, name: "b");
        using var c = TinyTraining.Data(20, seed: 2);
        using var reversed = a.Subset(Enumerable.Range(0, 20).Reverse().Select(i => (long)i).ToArray());
        using var scope = NewDisposeScope();
        using var changed = a.Map(x =>
        {
            var y = x.clone();
            y[0, 0, 0, 0] = tensor(new[] { 0.123f }, [1]).reshape([]);
            return y;
        });
        Assert.Equal(DataFingerprint.Of(a), DataFingerprint.Of(b));
        Assert.NotEqual(DataFingerprint.Of(a), DataFingerprint.Of(c));
        Assert.NotEqual(DataFingerprint.Of(a), DataFingerprint.Of(reversed));
        Assert.NotEqual(DataFingerprint.Of(a), DataFingerprint.Of(changed));
        Assert.Equal(64, DataFingerprint.Of(a).Length);
    }
}
