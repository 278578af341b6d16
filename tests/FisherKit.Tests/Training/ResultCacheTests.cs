using FisherKit.Data;
using FisherKit.Training;

namespace FisherKit.Tests.Training;

[Collection(LeakChecks.Name)] // runs alone: seeds the process-wide random generator and sets FK_CACHE
public sealed class ResultCacheTests : IDisposable
{
    private const string OtherEngine = "TorchSharp 0.107.0, libtorch 2.10.0, oneDNN on (another machine)";
    private readonly TempFolder _dir = new();
    private readonly StringWriter _log = new();
    private readonly ImageDataset _train = TinyTraining.Data(64, seed: 1);
    private readonly ImageDataset _validation = TinyTraining.Data(32, seed: 2);
    private static readonly TrainingOptions Options = new() { Epochs = 2, BatchSize = 16, LearningRate = 0.01 };

    public void Dispose()
    {
        _train.Dispose();
        _validation.Dispose();
        _dir.Dispose();
    }

    private ResultCache Cache => new(_dir.File("trained")) { Log = _log };

    private TrainingRun FitOrLoad(nn.Module<Tensor, Tensor> model, ResultCache? cache = null, TrainingOptions? options = null) =>
        ClassifierTraining.FitOrLoad(model, TinyTraining.Spec().Description, _train, _validation, options ?? Options, cache ?? Cache, name: "tiny-cnn");

    private CacheKey KeyOf(nn.Module model) => ClassifierTraining.Key("tiny-cnn", TinyTraining.Spec().Description, model, _train, _validation, Options);

    [Fact]
    public void A_configuration_is_trained_once_then_loaded_with_the_same_weights_and_curves()
    {
        using var first = TinyTraining.Spec().Build(seed: 0);
        var trained = FitOrLoad(first);
        Assert.False(trained.FromCache);
        Assert.Equal("trained (nothing cached yet)", trained.Note);
        Assert.Equal(Path.Combine(Cache.Root, "models", trained.Key!.ToString()["models/".Length..]), trained.Folder);
        Assert.StartsWith("tiny-cnn-", Path.GetFileName(trained.Folder), StringComparison.Ordinal);
        Assert.Equal([ResultCache.HistoryFile, ResultCache.KeyFile, ResultCache.WeightsFile], Directory.GetFiles(trained.Folder!).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        using var second = TinyTraining.Spec().Build(seed: 0);
        var reports = new List<TrainingProgress>();
        var loaded = ClassifierTraining.FitOrLoad(second, TinyTraining.Spec().Description, _train, _validation, Options, Cache, new ProgressCallback<TrainingProgress>(reports.Add), "tiny-cnn");
        Assert.True(loaded.FromCache);
        Assert.Equal(trained.Key, loaded.Key);
        Assert.Equal(TinyTraining.Weights(first), TinyTraining.Weights(second));
        Assert.Equal(trained.History.Records, loaded.History.Records);
        Assert.Equal(trained.History.StepLosses, loaded.History.StepLosses);
        Assert.Equal([TrainingEvent.LoadedFromCache], reports.Select(r => r.Event));
        Assert.False(second.training);
        Assert.Equal("", _log.ToString());
    }

    [Fact]
    public void Retrain_trains_again_and_replaces_the_entry()
    {
        using var first = TinyTraining.Spec().Build(seed: 0);
        var a = FitOrLoad(first);
        using var second = TinyTraining.Spec().Build(seed: 0);
        var b = FitOrLoad(second, Cache with { Retrain = true });
        Assert.False(b.FromCache);
        Assert.Equal("trained again (Retrain)", b.Note);
        Assert.Equal(a.Key, b.Key);
        Assert.Equal(TinyTraining.Weights(first), TinyTraining.Weights(second));   // deterministic: the same weights again
        Assert.True(Cache.Open(a.Key!).IsValid);
    }

    [Fact]
    public void The_key_is_built_from_values_the_same_values_give_the_same_key_and_any_change_another()
    {
        using var model = TinyTraining.Spec().Build(seed: 0);
        using var sameModel = TinyTraining.Spec().Build(seed: 0);
        using var otherInit = TinyTraining.Spec().Build(seed: 1);
        using var dropout = TinyTraining.Spec(dropout: true).Build(seed: 0);
        using var bigger = (TinyTraining.Spec() with { Hidden = 17 }).Build(seed: 0);
        using var moreData = TinyTraining.Data(65, seed: 1);
        using var renamed = TinyTraining.Data(64, seed: 1, name: "another name");
        var arch = TinyTraining.Spec().Description;
        CacheKey Key(nn.Module m, string? a = null, ImageDataset? train = null, ImageDataset? validation = null, TrainingOptions? o = null, bool noValidation = false, string name = "k") =>
            ClassifierTraining.Key(name, a ?? arch, m, train ?? _train, noValidation ? null : validation ?? _validation, o ?? Options);
        var baseKey = Key(model);
        Assert.Equal(baseKey, Key(sameModel));                                     // built again from the same values
        Assert.Equal(baseKey.Text, Key(sameModel).Text);
        Assert.Equal(baseKey, Key(model, o: Options with { RecordEvery = 7 }));    // how often curves are recorded does not change the weights
        Assert.Equal(baseKey, Key(model, train: renamed));                         // the content counts, not the name
        var variants = new[]
        {
            Key(model, a: "another architecture"), Key(otherInit), Key(dropout, a: TinyTraining.Spec(dropout: true).Description), Key(bigger), Key(model, train: moreData),
            Key(model, validation: moreData), Key(model, noValidation: true), Key(model, o: Options with { Epochs = 3 }),
            Key(model, o: Options with { Seed = 1 }), Key(model, o: Options with { LearningRate = 0.02 }),
            Key(model, o: Options with { Optimizer = OptimizerKind.Sgd }), Key(model, o: Options with { BatchSize = 8 }),
            Key(model, o: Options with { Schedule = LearningRateSchedule.Cosine }), Key(model, o: Options with { WeightDecayPerPoint = 1 }),
            Key(model, name: "other"),
        };
        Assert.All(variants, k => Assert.NotEqual(baseKey.Hash, k.Hash));
        Assert.Equal(variants.Length, variants.Select(k => k.Hash).Distinct().Count());
        Assert.Equal(16, baseKey.Hash.Length);
        Assert.Equal($"models/k-{baseKey.Hash}", baseKey.ToString());
        // The engine is part of the key (compared on load) but not of the folder's hash.
        var elsewhere = baseKey.WithEngine(OtherEngine);
        Assert.NotEqual(baseKey, elsewhere);
        Assert.Equal(baseKey.Hash, elsewhere.Hash);
        Assert.Contains("oneDNN", baseKey.Engine);
        Assert.Contains("engine", baseKey.Difference(elsewhere));
        Assert.Equal("nothing", baseKey.Difference(Key(sameModel)));
        Assert.Equal(baseKey, CacheKey.Parse(baseKey.Text));
    }

    private sealed record SettingsV1(int Epochs, double Rate, string Mode);

    private sealed record RenamedSettings(int Epochs, double Rate, string Mode);

    [Fact]
    public void Settings_enter_the_key_by_their_values_not_by_their_type()
    {
        var a = CacheKey.For("s").WithSettings("settings", new SettingsV1(3, 0.1, "x"));
        Assert.Equal(a, CacheKey.For("s").WithSettings("settings", new RenamedSettings(3, 0.1, "x")));
        Assert.NotEqual(a, CacheKey.For("s").WithSettings("settings", new SettingsV1(3, 0.1000001, "x")));
        Assert.DoesNotContain("SettingsV1", a.Text);
        Assert.Equal(a, CacheKey.For("s").With("settings", "{\"Epochs\":3,\"Rate\":0.1,\"Mode\":\"x\"}"));
        Assert.Throws<ArgumentException>(() => a.With("settings", "again"));
        Assert.NotEqual(CacheKey.For("s").With("a", 1L).With("b", 2L).Hash, CacheKey.For("s").With("b", 2L).With("a", 1L).Hash);
        Assert.NotEqual(CacheKey.For("s").With("a", "b=c").Hash, CacheKey.For("s").With("a=b", "c").Hash);
    }

    [Fact]
    public void Weights_trained_by_another_engine_are_retrained_with_a_message_never_reused()
    {
        using var first = TinyTraining.Spec().Build(seed: 0);
        var a = FitOrLoad(first);
        var entry = Cache.Open(a.Key!);
        File.WriteAllText(entry.PathOf(ResultCache.KeyFile), a.Key!.WithEngine(OtherEngine).Text);
        Assert.False(Cache.Open(a.Key!).IsValid);
        Assert.Contains(OtherEngine, Cache.Open(a.Key!).Problem);
        using var second = TinyTraining.Spec().Build(seed: 0);
        var b = FitOrLoad(second);
        Assert.False(b.FromCache);
        Assert.StartsWith("retrained: ", b.Note, StringComparison.Ordinal);
        Assert.Contains("retraining models/tiny-cnn", _log.ToString());
        Assert.Contains(OtherEngine, _log.ToString());
        Assert.True(Cache.Open(a.Key!).IsValid);   // replaced by this engine's weights
        using var third = TinyTraining.Spec().Build(seed: 0);
        Assert.True(FitOrLoad(third).FromCache);
    }

    [Theory]
    [InlineData(ResultCache.WeightsFile, "could not be read")]
    [InlineData(ResultCache.HistoryFile, "could not be read")]
    [InlineData(ResultCache.KeyFile, "could not be read")]
    [InlineData(null, "incomplete")]
    public void A_damaged_or_incomplete_entry_is_retrained_with_a_message(string? damaged, string expected)
    {
        using var first = TinyTraining.Spec().Build(seed: 0);
        var a = FitOrLoad(first);
        var entry = Cache.Open(a.Key!);
        if (damaged is null) File.Delete(entry.PathOf(ResultCache.KeyFile));   // a write that never finished
        else File.WriteAllBytes(entry.PathOf(damaged), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
        using var second = TinyTraining.Spec().Build(seed: 0);
        var before = TinyTraining.Weights(second);
        var b = FitOrLoad(second);
        Assert.False(b.FromCache);
        Assert.Contains(expected, b.Note);
        Assert.Contains(expected, _log.ToString());
        Assert.Equal(TinyTraining.Weights(first), TinyTraining.Weights(second));   // trained (deterministically) from its own initial weights
        Assert.NotEqual(before, TinyTraining.Weights(second));
        using var third = TinyTraining.Spec().Build(seed: 0);
        Assert.True(FitOrLoad(third).FromCache);
    }

    [Fact]
    public void Weights_stored_for_another_key_are_retrained_even_under_a_matching_key_file()
    {
        // Two runs writing one folder at once (another engine or other data, same folder hash) can leave one run's
        // weights beside the other's key.json; the weights were loaded silently.
        using var first = TinyTraining.Spec().Build(seed: 0);
        var a = FitOrLoad(first);
        var entry = Cache.Open(a.Key!);
        using (var other = TinyTraining.Spec().Build(seed: 5))
            other.SaveSafetensors(entry.PathOf(ResultCache.WeightsFile), new Dictionary<string, string> { [ResultCache.KeyMetadata] = a.Key!.WithEngine(OtherEngine).Text });
        Assert.True(Cache.Open(a.Key!).IsValid);
        using var second = TinyTraining.Spec().Build(seed: 0);
        var b = FitOrLoad(second);
        Assert.False(b.FromCache);
        Assert.Contains("weights", b.Note);
        Assert.Contains(OtherEngine, _log.ToString());
        Assert.Equal(TinyTraining.Weights(first), TinyTraining.Weights(second));
        using var third = TinyTraining.Spec().Build(seed: 0);
        Assert.True(FitOrLoad(third).FromCache);
    }

    [Theory]
    [InlineData("[null]")]
    [InlineData("[{\"Epoch\":1},null]")]
    [InlineData("{\"Epochs\":[null]}")]
    [InlineData("{\"format\":\"fisherkit-training-history/2\",\"records\":[null]}")]
    [InlineData("{\"format\":\"fisherkit-training-history/2\",\"format\":\"fisherkit-training-history/2\"}")]
    public void A_history_that_is_JSON_but_damaged_is_retrained_with_a_message(string history)
    {
        // These made LoadOrTrain fail (NullReferenceException, ArgumentException) or loaded a null record.
        Assert.Throws<InvalidDataException>(() => TrainingHistory.FromJson(history));
        using var first = TinyTraining.Spec().Build(seed: 0);
        var a = FitOrLoad(first);
        File.WriteAllText(Cache.Open(a.Key!).PathOf(ResultCache.HistoryFile), history);
        using var second = TinyTraining.Spec().Build(seed: 0);
        var b = FitOrLoad(second);
        Assert.False(b.FromCache);
        Assert.Contains("could not be read", _log.ToString());
        Assert.Equal(TinyTraining.Weights(first), TinyTraining.Weights(second));
        using var third = TinyTraining.Spec().Build(seed: 0);
        Assert.True(FitOrLoad(third).FromCache);
    }

    [Fact]
    public void Weights_that_do_not_fit_the_model_are_not_loaded_and_the_model_is_unchanged()
    {
        using var first = TinyTraining.Spec().Build(seed: 0);
        var a = FitOrLoad(first);
        using var bigger = (TinyTraining.Spec() with { Hidden = 17 }).Build(seed: 0);
        var key = KeyOf(bigger);
        var entry = Cache.Open(key);
        Directory.CreateDirectory(entry.Folder);
        foreach (var f in Directory.GetFiles(a.Folder!)) File.Copy(f, entry.PathOf(Path.GetFileName(f)));
        first.SaveSafetensors(entry.PathOf(ResultCache.WeightsFile), new Dictionary<string, string> { [ResultCache.KeyMetadata] = key.Text });   // past the key check: the shapes are what is tested
        entry.Commit();
        var before = TinyTraining.Weights(bigger);
        bool trained = false;
        var run = Cache.LoadOrTrain(bigger, key, () =>
        {
            Assert.Equal(before, TinyTraining.Weights(bigger));   // nothing of the file was copied in
            trained = true;
            return new TrainingHistory();
        });
        Assert.True(trained);
        Assert.False(run.FromCache);
        Assert.Contains("could not be read", _log.ToString());
        Assert.Contains("expects", _log.ToString());   // the shape that does not fit
    }

    [Fact]
    public void Entries_are_written_atomically_and_a_failed_training_leaves_no_valid_entry()
    {
        using var first = TinyTraining.Spec().Build(seed: 0);
        var a = FitOrLoad(first);
        Assert.Empty(Directory.GetFiles(a.Folder!, "*.tmp", SearchOption.AllDirectories).Concat(Directory.GetFiles(a.Folder!, ".*")));
        // Retraining that fails removes the key first: the old payload is never taken for the new one.
        using var second = TinyTraining.Spec().Build(seed: 0);
        Assert.Throws<InvalidOperationException>(() => (Cache with { Retrain = true }).LoadOrTrain(second, a.Key!, () => throw new InvalidOperationException("interrupted")));
        Assert.False(Cache.Open(a.Key!).IsValid);
        Assert.Contains("incomplete", Cache.Open(a.Key!).Problem);
        // A write that fails halfway leaves neither the file nor a temporary file.
        var entry = Cache.Open(a.Key!);
        Assert.Throws<IOException>(() => entry.Write("partial.bin", tmp => { File.WriteAllBytes(tmp, [1, 2, 3]); throw new IOException("disk full"); }));
        Assert.False(File.Exists(entry.PathOf("partial.bin")));
        Assert.Empty(Directory.GetFiles(entry.Folder, ".*"));
    }

    [Fact]
    public void The_default_cache_lives_under_FK_CACHE_when_it_is_set()
    {
        var saved = Environment.GetEnvironmentVariable(DataCache.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(DataCache.EnvironmentVariable, _dir.Path);
            Assert.Equal(Path.Combine(_dir.Path, ResultCache.FolderName), ResultCache.Default.Root);
            using var model = TinyTraining.Spec().Build(seed: 0);
            var run = ClassifierTraining.FitOrLoad(model, TinyTraining.Spec().Description, _train, null, Options, name: "under-fk-cache");
            Assert.StartsWith(Path.Combine(_dir.Path, ResultCache.FolderName, "models", "under-fk-cache-"), run.Folder, StringComparison.Ordinal);
            Environment.SetEnvironmentVariable(DataCache.EnvironmentVariable, null);
            if (DataCache.FindRepositoryRoot() is { } repo)   // not found when FK_OUT builds the tests outside the repository
                Assert.Equal(Path.Combine(repo, "data", "cache", ResultCache.FolderName), ResultCache.Default.Root);
            else
                Assert.Throws<DirectoryNotFoundException>(() => ResultCache.Default);
        }
        finally
        {
            Environment.SetEnvironmentVariable(DataCache.EnvironmentVariable, saved);
        }
    }

    [Fact]
    public void Names_that_are_not_file_safe_are_refused()
    {
        Assert.Throws<ArgumentException>(() => CacheKey.For("../escape"));
        Assert.Throws<ArgumentException>(() => CacheKey.For("a b"));
        Assert.Throws<ArgumentException>(() => CacheKey.For("a//b"));
        Assert.Throws<ArgumentException>(() => CacheKey.For("/rooted"));
        Assert.Equal("ok.name_1/sub-", CacheKey.For("ok.name_1/sub").ToString()[..14]);
        Assert.Equal("D-optimal___init_k-centre", CacheKey.SafeName("D-optimal | init k-centre"));
        Assert.Throws<InvalidDataException>(() => CacheKey.Parse("{not json"));
        Assert.Throws<InvalidDataException>(() => CacheKey.Parse("{\"format\":\"x\"}"));
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
        var x = a.Images;
        Assert.NotEqual(DataFingerprint.Of(x), DataFingerprint.Of(x, null));
        Assert.NotEqual(DataFingerprint.Of(x), DataFingerprint.Of(x.to(ScalarType.Float64)));
        Assert.NotEqual(DataFingerprint.Of(x), DataFingerprint.Of(x.reshape(20, -1)));
    }
}
