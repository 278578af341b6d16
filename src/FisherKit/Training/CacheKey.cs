using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using FisherKit.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Training;

/// <summary>
/// What identifies an entry of the <see cref="ResultCache"/>: a readable name and named values (the
/// architecture, data fingerprints, seeds, settings), plus the engine that computes the result (TorchSharp
/// and libtorch versions, whether oneDNN is on). Values are canonical text built from the values
/// themselves (invariant round-trip numbers; settings as their JSON properties), never from type names or
/// <c>ToString</c>, so renaming a type changes nothing and changing any value changes the key.
/// </summary>
/// <remarks>
/// The entry's folder is <c>&lt;name&gt;-&lt;hash&gt;</c>, the hash being the first 16 hex digits of the
/// SHA-256 of the name and the values. The engine is not hashed but stored with the entry and compared
/// on load with everything else (<see cref="Text"/>): weights trained by another engine (libtorch 2.10's
/// oneDNN computes wrong float32 convolution gradients on some CPUs, see <see cref="OneDnn"/>) land in the
/// same folder and are retrained with a message rather than reused.
/// </remarks>
/// <example>
/// <code>
/// var key = CacheKey.For("models/fmnist-cnn")
///     .With("architecture", spec.Description)
///     .With("initial weights", DataFingerprint.OfParameters(model))
///     .With("train", DataFingerprint.Of(train))
///     .WithSettings("training", options);
/// </code>
/// </example>
public sealed class CacheKey : IEquatable<CacheKey>
{
    /// <summary>Version of the key format (part of the hashed text).</summary>
    public const string Format = "fisherkit-cache-key/1";

    private static readonly JsonSerializerOptions SettingsJson = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    private static readonly JsonSerializerOptions TextJson = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly KeyValuePair<string, string>[] _values;

    private CacheKey(string name, KeyValuePair<string, string>[] values, string engine)
    {
        Name = name;
        _values = values;
        Engine = engine;
        var hashed = new StringBuilder().Append(Format).Append('\n').Append(name).Append('\n');
        foreach (var (k, v) in values) hashed.Append(k).Append('=').Append(v.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(v).Append('\n');
        Hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(hashed.ToString())))[..16];
        var json = new JsonObject { ["format"] = Format, ["name"] = name, ["engine"] = engine };
        var vs = new JsonObject();
        foreach (var (k, v) in values) vs[k] = v;
        json["values"] = vs;
        Text = json.ToJsonString(TextJson) + "\n";
    }

    /// <summary>
    /// The readable part of the entry's folder: ASCII letters, digits, '-', '_' and '.', in segments
    /// separated by '/' (sub-folders of the cache, e.g. "models/fmnist-cnn").
    /// </summary>
    public string Name { get; }

    /// <summary>The values in the order they were added.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Values => _values;

    /// <summary>The engine that computes the result, e.g. "TorchSharp 0.107.0, libtorch 2.10.0, oneDNN off".</summary>
    public string Engine { get; }

    /// <summary>First 16 hex digits of the SHA-256 of the format, the name and the values (not the engine).</summary>
    public string Hash { get; }

    /// <summary>The whole key as JSON (format, name, engine, values): stored with the entry and compared on load.</summary>
    public string Text { get; }

    /// <summary>The engine this process computes with: TorchSharp's and libtorch's versions and whether oneDNN is on (after FisherKit's check of it).</summary>
    public static string CurrentEngine
    {
        get
        {
            TorchEngine.Prepare();
            string onednn;
            try { onednn = OneDnn.Enabled ? "on" : "off"; }
            catch (NotSupportedException) { onednn = "unknown"; }
            return $"TorchSharp {typeof(torch).Assembly.GetName().Version?.ToString(3)}, libtorch {__version__}, oneDNN {onednn}";
        }
    }

    /// <summary>A key with no values yet, for the current engine (<see cref="CurrentEngine"/>).</summary>
    public static CacheKey For(string name) => new(CheckName(name), [], CurrentEngine);

    /// <summary>This key with one more value (the name must not be in the key yet).</summary>
    public CacheKey With(string name, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        if (_values.Any(v => v.Key == name)) throw new ArgumentException($"The key already has a value named \"{name}\".", nameof(name));
        return new CacheKey(Name, [.. _values, new(name, value)], Engine);
    }

    /// <summary>This key with an integer value.</summary>
    public CacheKey With(string name, long value) => With(name, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>This key with a number (round-trip format, invariant culture).</summary>
    public CacheKey With(string name, double value) => With(name, value.ToString("R", CultureInfo.InvariantCulture));

    /// <summary>This key with a flag.</summary>
    public CacheKey With(string name, bool value) => With(name, value ? "true" : "false");

    /// <summary>
    /// This key with a settings object as the JSON of its public properties (enums by name, numbers
    /// round-trip; properties marked <see cref="JsonIgnoreAttribute"/> left out, e.g.
    /// <see cref="TrainingOptions.RecordEvery"/>): the values, not the type's name.
    /// </summary>
    public CacheKey WithSettings<T>(string name, T settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return With(name, JsonSerializer.Serialize(settings, SettingsJson));
    }

    /// <summary>This key with the fingerprint and size of an image data set (null: "none").</summary>
    public CacheKey WithData(string name, ImageDataset? data) =>
        With(name, data is null ? "none" : string.Create(CultureInfo.InvariantCulture, $"{data.Count} images {DataFingerprint.Of(data)}"));

    /// <summary>This key with the fingerprint of tensors (<see cref="DataFingerprint.Of(Tensor?[])"/>).</summary>
    public CacheKey WithData(string name, params Tensor?[] tensors) => With(name, DataFingerprint.Of(tensors));

    /// <summary>This key with a module's architecture (parameter and buffer names, dtypes and shapes) and, with <paramref name="weights"/>, the fingerprint of its current weights.</summary>
    public CacheKey WithModel(string name, nn.Module model, bool weights = true)
    {
        var key = With(name, DataFingerprint.Architecture(model));
        return weights ? key.With(name + " weights", DataFingerprint.OfParameters(model)) : key;
    }

    /// <summary>
    /// This key with the architecture (parameter and buffer names, dtypes and shapes) of the module that
    /// <paramref name="build"/> makes; the module is disposed, and the global random generator, which its
    /// initialisation draws from, is put back as it was.
    /// </summary>
    public CacheKey WithArchitecture(string name, Func<nn.Module> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        using var state = get_rng_state();
        try
        {
            using var module = build();
            return With(name, DataFingerprint.Architecture(module));
        }
        finally
        {
            set_rng_state(state);
        }
    }

    /// <summary>This key for another engine (to test a cache, or to accept results computed elsewhere on purpose).</summary>
    public CacheKey WithEngine(string engine)
    {
        ArgumentException.ThrowIfNullOrEmpty(engine);
        return new CacheKey(Name, _values, engine);
    }

    /// <summary>This key under another name (same values, engine).</summary>
    public CacheKey Renamed(string name) => new(CheckName(name), _values, Engine);

    /// <summary>Reads a key written as <see cref="Text"/>; anything else is an <see cref="InvalidDataException"/>.</summary>
    public static CacheKey Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            var o = JsonNode.Parse(text) as JsonObject ?? throw new InvalidDataException("A cache key must be a JSON object.");
            if ((string?)o["format"] != Format) throw new InvalidDataException($"The cache key has format \"{(string?)o["format"]}\", expected \"{Format}\".");
            var name = (string?)o["name"] ?? throw new InvalidDataException("The cache key has no name.");
            var engine = (string?)o["engine"] ?? throw new InvalidDataException("The cache key names no engine.");
            var values = (o["values"] as JsonObject ?? throw new InvalidDataException("The cache key has no values."))
                .Select(kv => new KeyValuePair<string, string>(kv.Key, (string?)kv.Value ?? throw new InvalidDataException($"The cache key's value \"{kv.Key}\" is not text."))).ToArray();
            return new CacheKey(CheckName(name), values, engine);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            throw new InvalidDataException($"Not a FisherKit cache key: {e.Message}", e);
        }
    }

    /// <summary>What differs between this key and <paramref name="other"/>, in words ("nothing" when equal).</summary>
    public string Difference(CacheKey other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var parts = new List<string>();
        if (Name != other.Name) parts.Add($"name \"{other.Name}\" instead of \"{Name}\"");
        if (Engine != other.Engine) parts.Add($"engine \"{other.Engine}\" instead of \"{Engine}\"");
        var mine = _values.ToDictionary(v => v.Key, v => v.Value);
        var theirs = other._values.ToDictionary(v => v.Key, v => v.Value);
        foreach (var (k, v) in mine)
            if (!theirs.TryGetValue(k, out var t)) parts.Add($"no \"{k}\"");
            else if (t != v) parts.Add($"another \"{k}\"");
        foreach (var k in theirs.Keys.Where(k => !mine.ContainsKey(k))) parts.Add($"an extra \"{k}\"");
        if (parts.Count == 0 && !_values.Select(v => v.Key).SequenceEqual(other._values.Select(v => v.Key))) parts.Add("the values in another order");
        return parts.Count == 0 ? "nothing" : string.Join(", ", parts);
    }

    /// <summary>"name-hash": the entry's folder under the cache root.</summary>
    public override string ToString() => $"{Name}-{Hash}";

    /// <summary>Keys are equal when their <see cref="Text"/> is (name, values and engine).</summary>
    public bool Equals(CacheKey? other) => other is not null && Text == other.Text;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as CacheKey);

    /// <inheritdoc />
    public override int GetHashCode() => Text.GetHashCode(StringComparison.Ordinal);

    /// <summary>A name made file-safe: other characters become '_', at most 100 characters per segment.</summary>
    public static string SafeName(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var chars = text.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray();
        var s = new string(chars).TrimStart('.');
        return s.Length == 0 ? "_" : s.Length > 100 ? s[..100] : s;
    }

    private static string CheckName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var segments = name.Split('/');
        if (name.Length > 200 || segments.Any(s => s.Length == 0 || s.Length > 100 || s.StartsWith('.') || s.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))))
            throw new ArgumentException($"A cache name holds segments of ASCII letters, digits, '-', '_' and '.' (not first), separated by '/', each at most 100 characters; got \"{name}\".", nameof(name));
        return name;
    }
}
