using FisherKit.Data;
using static TorchSharp.torch;

namespace FisherKit.Training;

/// <summary>
/// A folder of trained weights, one safetensors file per <see cref="TrainingKey"/>:
/// <c>&lt;folder&gt;/&lt;name&gt;-&lt;hash&gt;.safetensors</c>, by default <c>data/cache/models</c> (see
/// <see cref="DataCache"/>). The file's metadata holds the key text, which is compared on load, and
/// the training history. Files are written under a temporary name and renamed, so an interrupted
/// write never leaves a half file under the final name, and two processes that train the same
/// configuration at once each leave a complete file. The files load in Python with
/// <c>safetensors.torch.load_file</c>.
/// </summary>
public sealed class WeightCache
{
    /// <summary>Metadata entry holding <see cref="TrainingKey.Text"/>.</summary>
    public const string KeyEntry = "fisherkit.key";

    /// <summary>Metadata entry holding the training history as JSON.</summary>
    public const string HistoryEntry = "fisherkit.history";

    /// <summary>Metadata entry holding the UTC time of writing (ISO 8601).</summary>
    public const string CreatedEntry = "fisherkit.created";

    /// <summary>A cache in <paramref name="folder"/> (created when the first file is written).</summary>
    public WeightCache(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        Folder = Path.GetFullPath(folder);
    }

    /// <summary>The cache in <c>models</c> under the data cache (<c>data/cache/models</c> or <c>$FK_CACHE/models</c>).</summary>
    public static WeightCache Default => new(DataCache.PathOf("models"));

    /// <summary>The folder of the weight files.</summary>
    public string Folder { get; }

    /// <summary>The file of <paramref name="key"/>.</summary>
    public string PathOf(TrainingKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Path.Combine(Folder, key + ".safetensors");
    }

    /// <summary>True when a file for <paramref name="key"/> exists (it is not read).</summary>
    public bool Contains(TrainingKey key) => File.Exists(PathOf(key));

    /// <summary>
    /// Loads the weights of <paramref name="key"/> into <paramref name="model"/>. False when there is no
    /// file, when it cannot be read (damaged, not safetensors), when its stored key text differs from
    /// <paramref name="key"/>'s, or when its tensors do not match the model; <paramref name="reason"/>
    /// then says which, and the model is unchanged. The model's own tensors are replaced only after
    /// the whole file has been read and checked.
    /// </summary>
    public bool TryLoad(nn.Module model, TrainingKey key, out TrainingHistory history, out string reason)
    {
        ArgumentNullException.ThrowIfNull(model);
        var path = PathOf(key);
        history = new TrainingHistory();
        if (!File.Exists(path))
        {
            reason = $"no cached weights at {path}";
            return false;
        }
        Dictionary<string, Tensor> tensors;
        IReadOnlyDictionary<string, string> metadata;
        try
        {
            tensors = Safetensors.Load(path, out metadata);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            reason = $"{path} could not be read: {e.Message}";
            return false;
        }
        try
        {
            if (!metadata.TryGetValue(KeyEntry, out var text) || text != key.Text)
            {
                reason = $"{path} was written for another configuration (its key text differs)";
                return false;
            }
            var own = model.state_dict();
            var missing = own.Keys.Where(k => !tensors.ContainsKey(k)).ToList();
            var extra = tensors.Keys.Where(k => !own.ContainsKey(k)).ToList();
            var badShape = own.Keys.Where(k => tensors.TryGetValue(k, out var t) && !t.shape.SequenceEqual(own[k].shape)).ToList();
            if (missing.Count > 0 || extra.Count > 0 || badShape.Count > 0)
            {
                reason = $"{path} does not match the model (missing [{string.Join(", ", missing)}], unexpected [{string.Join(", ", extra)}], other shape [{string.Join(", ", badShape)}])";
                return false;
            }
            if (metadata.TryGetValue(HistoryEntry, out var json))
            {
                try { history = TrainingHistory.FromJson(json); }
                catch (InvalidDataException) { history = new TrainingHistory(); }
            }
            model.load_state_dict(tensors);
            reason = $"loaded {path}";
            return true;
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    /// <summary>Writes the model's weights (parameters and persistent buffers) under <paramref name="key"/>; returns the path.</summary>
    public string Save(nn.Module model, TrainingKey key, TrainingHistory? history = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(key);
        var path = PathOf(key);
        var metadata = new Dictionary<string, string>
        {
            [KeyEntry] = key.Text,
            [HistoryEntry] = (history ?? new TrainingHistory()).ToJson(),
            [CreatedEntry] = DateTime.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        };
        Directory.CreateDirectory(Folder);
        model.SaveSafetensors(path, metadata);
        return path;
    }
}
