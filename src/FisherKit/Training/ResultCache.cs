using FisherKit.Data;
using FisherKit.Files;
using static TorchSharp.torch;

namespace FisherKit.Training;

/// <summary>
/// FisherKit's one cache of trained weights and results: one folder per <see cref="CacheKey"/>,
/// <c>&lt;root&gt;/&lt;name&gt;-&lt;hash&gt;/</c>, holding the payload (for a trained model
/// <c>weights.safetensors</c> and <c>history.json</c>; for an active-learning run its checkpoint) and
/// <c>key.json</c>, the whole key including the engine. The root is <c>data/cache/trained</c> of the
/// repository, or <c>$FK_CACHE/trained</c> (<see cref="DataCache.Root"/>).
/// </summary>
/// <remarks>
/// An entry counts only when its stored key, and the copy of it in the weights' metadata
/// (<see cref="KeyMetadata"/>), equal the one asked for: one written by another engine
/// (see <see cref="CacheKey.Engine"/>), an unreadable or damaged one, or one without <c>key.json</c> (a
/// write that never finished) is retrained and replaced, with a message on <see cref="Log"/> (standard
/// error by default) that says why; it is never reused silently and never makes the caller fail. Every
/// file is written under a temporary name and renamed (<see cref="AtomicFile"/>), and <c>key.json</c> is
/// written last and removed first when an entry is replaced, so a reader never takes a half-written entry
/// for a whole one. <see cref="Retrain"/> trains again even where a valid entry exists (and replaces it).
/// To clear the cache, delete the folder.
/// </remarks>
/// <example>
/// <code>
/// var cache = ResultCache.Default with { Retrain = retrain };
/// var run = cache.LoadOrTrain(model, key, () => ClassifierTraining.Fit(model, train, validation, options));
/// Console.WriteLine(run);   // "models/fmnist-cnn-3f2a…: loaded from …" or "…: trained (nothing cached yet) …"
/// </code>
/// </example>
public sealed record ResultCache
{
    /// <summary>The file of an entry that holds its key.</summary>
    public const string KeyFile = "key.json";

    /// <summary>The weights of a trained model in its entry.</summary>
    public const string WeightsFile = "weights.safetensors";

    /// <summary>The learning curves of a trained model in its entry.</summary>
    public const string HistoryFile = "history.json";

    /// <summary>The metadata entry of <see cref="WeightsFile"/> that holds the key's <see cref="CacheKey.Text"/>, compared on load.</summary>
    public const string KeyMetadata = "fisherkit.key";

    /// <summary>The folder of the cache under <see cref="DataCache.Root"/>.</summary>
    public const string FolderName = "trained";

    private static int _legacyNoted;

    /// <summary>A cache in <paramref name="root"/> (created when the first entry is written).</summary>
    public ResultCache(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = Path.GetFullPath(root);
    }

    /// <summary>The cache under the data cache: <c>data/cache/trained</c>, or <c>$FK_CACHE/trained</c> when <c>FK_CACHE</c> is set (read on each call).</summary>
    public static ResultCache Default => new(DataCache.PathOf(FolderName));

    /// <summary>The folder holding the entries.</summary>
    public string Root { get; }

    /// <summary>Train (or compute) again even where a valid entry exists, and replace it.</summary>
    public bool Retrain { get; init; }

    /// <summary>Where messages about retrained entries go (null: standard error).</summary>
    public TextWriter? Log { get; init; }

    /// <summary>The folder of <paramref name="key"/>'s entry.</summary>
    public string FolderOf(CacheKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Path.Combine([Root, .. key.ToString().Split('/')]);
    }

    /// <summary>
    /// The entry of <paramref name="key"/>, checked: <see cref="CacheEntry.IsValid"/> when its stored key
    /// equals <paramref name="key"/>; otherwise <see cref="CacheEntry.Problem"/> says why not (no entry, a
    /// write that never finished, another engine or other values, an unreadable key). Nothing is changed.
    /// </summary>
    public CacheEntry Open(CacheKey key)
    {
        var folder = FolderOf(key);
        var keyPath = Path.Combine(folder, KeyFile);
        if (!File.Exists(keyPath))
            return new CacheEntry(this, (key, folder, Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any()
                ? $"the entry {folder} is incomplete (its {KeyFile} is missing: a write that never finished)"
                : null, Exists: false));
        try
        {
            var stored = CacheKey.Parse(File.ReadAllText(keyPath));
            return stored.Equals(key)
                ? new CacheEntry(this, (key, folder, null, Exists: true))
                : new CacheEntry(this, (key, folder, $"the entry {folder} was made with {key.Difference(stored)}", Exists: true));
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return new CacheEntry(this, (key, folder, $"the key of the entry {folder} could not be read ({e.Message})", Exists: true));
        }
    }

    /// <summary>
    /// Loads <paramref name="model"/>'s weights and learning curves from the entry of <paramref name="key"/>,
    /// or runs <paramref name="train"/> (which trains <paramref name="model"/> in place and returns its
    /// history) and stores them. A missing, invalid or unreadable entry, or <see cref="Retrain"/>, trains;
    /// the reason is in <see cref="TrainingRun.Note"/> and, unless there simply was no entry yet, on
    /// <see cref="Log"/>. <paramref name="progress"/> gets <see cref="TrainingEvent.LoadedFromCache"/> when
    /// the weights are loaded. A loaded model is left in evaluation mode.
    /// </summary>
    public TrainingRun LoadOrTrain(nn.Module model, CacheKey key, Func<TrainingHistory> train, IProgress<TrainingProgress>? progress = null, int member = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(train);
        var entry = Open(key);
        string note;
        if (Retrain) note = entry.Exists ? "trained again (Retrain)" : "trained (nothing cached yet)";
        else if (entry.IsValid)
        {
            var problem = TryLoad(model, entry, out var cached);
            if (problem is null)
            {
                model.eval();
                progress?.Report(new TrainingProgress(TrainingEvent.LoadedFromCache, member, cached.Last?.Epoch ?? 0, cached.Last?.Epoch ?? 0, cached.Steps, cached.Steps, double.NaN, cached, TimeSpan.Zero));
                return new TrainingRun(key, entry.Folder, cached, FromCache: true, $"loaded from {entry.Folder}");
            }
            note = Retraining(key, problem);
        }
        else if (entry.Problem is { } problem) note = Retraining(key, problem);
        else
        {
            NoteLegacyFolders();
            note = "trained (nothing cached yet)";
        }
        entry.Invalidate();
        var history = train();
        model.SaveSafetensors(entry.PathOf(WeightsFile), new Dictionary<string, string> { [KeyMetadata] = key.Text });   // atomic
        entry.WriteText(HistoryFile, history.ToJson());
        entry.Commit();
        return new TrainingRun(key, entry.Folder, history, FromCache: false, note);
    }

    /// <summary>Writes a message on <see cref="Log"/> (standard error by default), prefixed "FisherKit cache: ".</summary>
    public void Report(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        (Log ?? Console.Error).WriteLine("FisherKit cache: " + message);
    }

    private string Retraining(CacheKey key, string problem)
    {
        Report($"retraining {key.Name}: {problem}.");
        return $"retrained: {problem}";
    }

    private static string? TryLoad(nn.Module model, CacheEntry entry, out TrainingHistory history)
    {
        history = new TrainingHistory();
        try
        {
            var h = TrainingHistory.FromJson(File.ReadAllText(entry.PathOf(HistoryFile)));
            // The weights carry the key they were trained for: two runs that wrote one folder at once can leave one's weights under the
            // other's key. The key is judged on the bytes that are loaded (one read), not on a file another run may replace meanwhile.
            var problem = model.LoadSafetensors(entry.PathOf(WeightsFile), strict: true,
                metadata => metadata.TryGetValue(KeyMetadata, out var stored) && stored != entry.Key.Text
                    ? $"the weights in {entry.Folder} were made with {entry.Key.Difference(CacheKey.Parse(stored))}"
                    : null, out _);
            if (problem is not null) return problem;
            history = h;
            return null;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return $"the entry {entry.Folder} could not be read ({e.Message})";
        }
    }

    /// <summary>Once per process: says that the weights cached by FisherKit before this cache (data/cache/models, data/cache/optics) are not reused.</summary>
    private void NoteLegacyFolders()
    {
        var parent = Path.GetDirectoryName(Root);
        if (parent is null) return;
        var legacy = new[] { "models", "optics" }.Select(f => Path.Combine(parent, f)).Where(Directory.Exists).ToList();
        if (legacy.Count == 0 || Interlocked.Exchange(ref _legacyNoted, 1) == 1) return;
        Report($"weights cached by earlier FisherKit versions in {string.Join(" and ", legacy)} are not reused (they do not record the engine that trained them); " +
               $"what is trained now is cached in {Root}. Delete the old folders to free the space.");
    }
}

/// <summary>
/// One entry of a <see cref="ResultCache"/>: the folder of a key, whether it holds a valid result for it,
/// and atomic writes into it (the payload first, <see cref="Commit"/> last).
/// </summary>
public sealed class CacheEntry
{
    private readonly ResultCache _cache;
    private readonly (CacheKey Key, string Folder, string? Problem, bool Exists) _state;

    internal CacheEntry(ResultCache cache, (CacheKey Key, string Folder, string? Problem, bool Exists) state) => (_cache, _state) = (cache, state);

    /// <summary>The key asked for.</summary>
    public CacheKey Key => _state.Key;

    /// <summary>The entry's folder.</summary>
    public string Folder => _state.Folder;

    /// <summary>True when the folder holds a committed entry (valid or not).</summary>
    public bool Exists => _state.Exists;

    /// <summary>Why the entry cannot be used (another engine or values, unreadable, incomplete), or null when it is valid or simply absent.</summary>
    public string? Problem => _state.Problem;

    /// <summary>True when the entry's stored key equals <see cref="Key"/>.</summary>
    public bool IsValid => Exists && Problem is null;

    /// <summary>The path of a file of the entry.</summary>
    public string PathOf(string file)
    {
        ArgumentException.ThrowIfNullOrEmpty(file);
        return Path.Combine(Folder, file);
    }

    /// <summary>Marks the entry as not valid (removes its key file) before its payload is replaced.</summary>
    public void Invalidate()
    {
        var path = PathOf(ResultCache.KeyFile);
        if (File.Exists(path)) File.Delete(path);
    }

    /// <summary>Removes the entry's folder and everything in it.</summary>
    public void Delete()
    {
        if (Directory.Exists(Folder)) Directory.Delete(Folder, recursive: true);
    }

    /// <summary>Writes a file of the entry through <paramref name="write"/>, which gets a temporary path that is then renamed.</summary>
    public void Write(string file, Action<string> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        AtomicFile.Write(PathOf(file), write);
    }

    /// <summary>Writes a text file of the entry (atomically).</summary>
    public void WriteText(string file, string text) => AtomicFile.WriteAllText(PathOf(file), text);

    /// <summary>Writes the key file (atomically): from now on the entry is valid for <see cref="Key"/>.</summary>
    public void Commit() => AtomicFile.WriteAllText(PathOf(ResultCache.KeyFile), Key.Text);

    /// <summary>Writes a message on the cache's log.</summary>
    public void Report(string message) => _cache.Report(message);
}
