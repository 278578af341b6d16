using FisherKit.Files;
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.TorchSharpAdditions;

/// <summary>
/// Reads and writes the safetensors format (8-byte little-endian header length, a JSON header with
/// dtype, shape and byte offsets per tensor, then the raw little-endian data), so weights move
/// between FisherKit and Python's safetensors/PyTorch. Unlike TorchSharp.PyBridge it keeps the
/// header's <c>__metadata__</c> (string pairs), which FisherKit's result cache (<see cref="FisherKit.Training.ResultCache"/>) stores its key in.
/// Headers are validated before any data is used, so a damaged file is an
/// <see cref="InvalidDataException"/>, never a native error.
/// </summary>
/// <example>
/// <code>
/// Safetensors.Save("model.safetensors", model.state_dict(), new Dictionary&lt;string, string&gt; { ["seed"] = "1" });
/// var state = Safetensors.Load("model.safetensors", out var metadata);   // metadata["seed"] == "1"
/// </code>
/// </example>
public static class Safetensors
{
    private const long MaxHeaderBytes = 100_000_000;

    private static readonly Dictionary<ScalarType, string> Codes = new()
    {
        [ScalarType.Float64] = "F64", [ScalarType.Float32] = "F32", [ScalarType.Float16] = "F16", [ScalarType.BFloat16] = "BF16",
        [ScalarType.Int64] = "I64", [ScalarType.Int32] = "I32", [ScalarType.Int16] = "I16", [ScalarType.Int8] = "I8",
        [ScalarType.Byte] = "U8", [ScalarType.Bool] = "BOOL",
    };

    /// <summary>
    /// Writes <paramref name="tensors"/> (any device; copied to the CPU) to <paramref name="path"/>.
    /// The file is written under a temporary name and renamed, so an existing file is never left half-written.
    /// </summary>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);
        if (metadata?.FirstOrDefault(kv => kv.Value is null) is { Key: { } nullKey })
            throw new ArgumentException($"Metadata \"{nullKey}\" is null; safetensors metadata values are strings.", nameof(metadata));
        // The header is UTF-8: a lone UTF-16 surrogate would be written as U+FFFD and the name or value read back changed.
        foreach (var text in tensors.Keys.Concat(metadata?.SelectMany(kv => new[] { kv.Key, kv.Value }) ?? []))
            if (!IsUtf8Encodable(text))
                throw new ArgumentException($"\"{text}\" holds a lone UTF-16 surrogate, which UTF-8 cannot store; it would be read back changed.", tensors.ContainsKey(text) ? nameof(tensors) : nameof(metadata));
        var names = tensors.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList();
        var header = new Dictionary<string, object>();
        if (metadata is { Count: > 0 }) header["__metadata__"] = metadata;
        var blobs = new List<byte[]>();
        long offset = 0;
        foreach (var name in names)
        {
            var t = tensors[name];
            TensorChecks.Alive(t, name);
            if (name == "__metadata__") throw new ArgumentException("A tensor cannot be named \"__metadata__\": safetensors keeps that key for the metadata.", nameof(tensors));
            var dt = t.dtype;
            if (!Codes.TryGetValue(dt, out var code)) throw new NotSupportedException($"Tensor \"{name}\" has dtype {dt}, which safetensors cannot store.");
            var bytes = new byte[checked(t.numel() * dt.ElementSize())];
            CopyBytes(t, bytes);
            header[name] = new { dtype = code, shape = t.shape, data_offsets = new[] { offset, offset + bytes.Length } };
            offset += bytes.Length;
            blobs.Add(bytes);
        }
        var json = JsonSerializer.SerializeToUtf8Bytes(header);
        var padded = (json.Length + 7) / 8 * 8;
        AtomicFile.Write(path, tmp =>
        {
            using var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write);
            Span<byte> len = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)padded);
            fs.Write(len);
            fs.Write(json);
            for (int i = json.Length; i < padded; i++) fs.WriteByte((byte)' ');
            foreach (var b in blobs) fs.Write(b);
            fs.Flush(true);
        });
    }

    /// <summary>
    /// Loads every tensor of a safetensors file onto <paramref name="device"/> (the caller owns them).
    /// A truncated file, an inconsistent header (unknown dtype, offsets outside the data, sizes that
    /// do not match the shape, overlapping or gapped data) raises <see cref="InvalidDataException"/>.
    /// </summary>
    public static Dictionary<string, Tensor> Load(string path, Device? device = null) => Load(path, out _, device);

    /// <summary>Loads the tensors and the file's string metadata.</summary>
    public static Dictionary<string, Tensor> Load(string path, out IReadOnlyDictionary<string, string> metadata, Device? device = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"No safetensors file at {path}.", path);
        var bytes = File.ReadAllBytes(path);
        var (entries, meta, dataStart) = ParseHeader(bytes, path);
        metadata = meta;
        var result = new Dictionary<string, Tensor>();
        try
        {
            foreach (var e in entries)
                result[e.Name] = FromBytes(bytes.AsSpan((int)(dataStart + e.Begin), (int)(e.End - e.Begin)), e.Shape, e.DType, device ?? CPU);
        }
        catch
        {
            foreach (var t in result.Values) t.Dispose();
            throw;
        }
        return result;
    }

    /// <summary>
    /// Writes the module's state (parameters and persistent buffers, by <c>state_dict()</c> name) to a
    /// safetensors file with the given string metadata; the file is replaced atomically.
    /// </summary>
    public static void SaveSafetensors(this nn.Module module, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        Save(path, module.state_dict(), metadata);
    }

    /// <summary>
    /// Loads a safetensors file into the module's own tensors (copied in place, converted to each
    /// tensor's dtype and device) and returns the file's metadata. With <paramref name="strict"/>
    /// the file must hold exactly the module's state names; shapes must always match. A mismatch is
    /// an <see cref="InvalidDataException"/> naming the entry, and leaves the module unchanged.
    /// </summary>
    public static IReadOnlyDictionary<string, string> LoadSafetensors(this nn.Module module, string path, bool strict = true)
    {
        LoadSafetensors(module, path, strict, reject: null, out var metadata);
        return metadata;
    }

    /// <summary>
    /// As <see cref="LoadSafetensors(nn.Module, string, bool)"/>, but first asks <paramref name="reject"/> about the
    /// file's metadata: a reason it returns leaves the module unchanged and is returned. The file is read once, so
    /// the metadata judged and the tensors loaded come from the same bytes even when the file is replaced meanwhile.
    /// </summary>
    internal static string? LoadSafetensors(this nn.Module module, string path, bool strict, Func<IReadOnlyDictionary<string, string>, string?>? reject,
        out IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(module);
        var loaded = Load(path, out metadata);
        try
        {
            if (reject?.Invoke(metadata) is string reason) return reason;
            var own = module.state_dict();
            var missing = own.Keys.Where(k => !loaded.ContainsKey(k)).ToList();
            var unexpected = loaded.Keys.Where(k => !own.ContainsKey(k)).ToList();
            if (strict && (missing.Count > 0 || unexpected.Count > 0))
                throw new InvalidDataException($"{path} does not fit {module.GetType().Name}: " +
                    (missing.Count > 0 ? $"missing {string.Join(", ", missing)}" : "") +
                    (missing.Count > 0 && unexpected.Count > 0 ? "; " : "") +
                    (unexpected.Count > 0 ? $"unexpected {string.Join(", ", unexpected)}" : "") + ".");
            foreach (var (name, t) in loaded)
                if (own.TryGetValue(name, out var target) && !target.shape.SequenceEqual(t.shape))
                    throw new InvalidDataException($"{path}: \"{name}\" has shape {TensorChecks.Shape(t)}, {module.GetType().Name} expects {TensorChecks.Shape(target)}.");
            using (no_grad())
                foreach (var (name, t) in loaded)
                    if (own.TryGetValue(name, out var target))
                        using (var converted = t.to(target.dtype, target.device))
                            target.copy_(converted);
        }
        finally
        {
            foreach (var t in loaded.Values) t.Dispose();
        }
        return null;
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static bool IsUtf8Encodable(string text)
    {
        try { StrictUtf8.GetByteCount(text); return true; }
        catch (EncoderFallbackException) { return false; }
    }

    internal sealed record Entry(string Name, ScalarType DType, long[] Shape, long Begin, long End);

    internal static (List<Entry> entries, Dictionary<string, string> metadata, long dataStart) ParseHeader(byte[] file, string path)
    {
        if (file.Length < 8) throw Corrupt(path, $"the file has {file.Length} bytes, fewer than the 8-byte header length");
        var n = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (n > MaxHeaderBytes || (long)n > file.Length - 8) throw Corrupt(path, $"the header claims {n} bytes but the file has {file.Length - 8} after the length field (truncated or not a safetensors file)");
        var dataStart = 8 + (long)n;
        var dataLength = file.Length - dataStart;
        // JsonDocument checks the UTF-8 of strings only when they are read, with an InvalidOperationException.
        if (!System.Text.Unicode.Utf8.IsValid(file.AsSpan(8, (int)n))) throw Corrupt(path, "the header is not valid UTF-8");
        JsonDocument doc;
        try { doc = JsonDocument.Parse(file.AsMemory(8, (int)n)); }
        catch (JsonException e) { throw Corrupt(path, $"the header is not valid JSON ({e.Message})"); }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw Corrupt(path, "the header is not a JSON object");
            var entries = new List<Entry>();
            var metadata = new Dictionary<string, string>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                if (!names.Add(prop.Name)) throw Corrupt(path, $"the name \"{prop.Name}\" occurs twice in the header");
                if (prop.Name == "__metadata__")
                {
                    if (prop.Value.ValueKind != JsonValueKind.Object) throw Corrupt(path, "__metadata__ is not an object");
                    foreach (var m in prop.Value.EnumerateObject())
                        if (!metadata.TryAdd(m.Name, m.Value.ValueKind == JsonValueKind.String ? m.Value.GetString()! : throw Corrupt(path, $"metadata \"{m.Name}\" is not a string")))
                            throw Corrupt(path, $"metadata \"{m.Name}\" occurs twice");
                    continue;
                }
                entries.Add(ParseEntry(prop, path));
            }
            // Offsets must tile the data buffer exactly: sorted, no gaps, no overlap, ending at its end.
            long expected = 0;
            // Empty tensors span no bytes and may share their offset with the next tensor, in any header order.
            foreach (var e in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
            {
                if (e.Begin != expected) throw Corrupt(path, $"tensor \"{e.Name}\" starts at byte {e.Begin}, expected {expected} (overlapping or gapped data)");
                expected = e.End;
            }
            if (expected != dataLength) throw Corrupt(path, $"the tensors cover {expected} bytes but the data section has {dataLength} (truncated or padded file)");
            return (entries, metadata, dataStart);
        }
    }

    private static Entry ParseEntry(JsonProperty prop, string path)
    {
        var v = prop.Value;
        if (v.ValueKind != JsonValueKind.Object) throw Corrupt(path, $"entry \"{prop.Name}\" is not an object");
        if (!v.TryGetProperty("dtype", out var dtEl) || dtEl.ValueKind != JsonValueKind.String) throw Corrupt(path, $"entry \"{prop.Name}\" has no dtype");
        var code = dtEl.GetString()!;
        var dtype = Codes.FirstOrDefault(kv => kv.Value == code).Key;
        if (!Codes.ContainsValue(code)) throw Corrupt(path, $"entry \"{prop.Name}\" has unsupported dtype \"{code}\"");
        if (!v.TryGetProperty("shape", out var shEl) || shEl.ValueKind != JsonValueKind.Array) throw Corrupt(path, $"entry \"{prop.Name}\" has no shape");
        var shape = new List<long>();
        foreach (var d in shEl.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out var s) || s < 0) throw Corrupt(path, $"entry \"{prop.Name}\" has an invalid shape");
            shape.Add(s);
        }
        if (!v.TryGetProperty("data_offsets", out var offEl) || offEl.ValueKind != JsonValueKind.Array || offEl.GetArrayLength() != 2)
            throw Corrupt(path, $"entry \"{prop.Name}\" has no [begin, end] data_offsets");
        if (offEl[0].ValueKind != JsonValueKind.Number || offEl[1].ValueKind != JsonValueKind.Number || !offEl[0].TryGetInt64(out var begin) || !offEl[1].TryGetInt64(out var end) || begin < 0 || end < begin)
            throw Corrupt(path, $"entry \"{prop.Name}\" has invalid data_offsets");
        long bytes;
        try
        {
            bytes = dtype.ElementSize();
            foreach (var s in shape) bytes = checked(bytes * s);
        }
        catch (OverflowException)
        {
            throw Corrupt(path, $"entry \"{prop.Name}\" claims shape [{string.Join(", ", shape)}], more bytes than a file can hold");
        }
        if (end - begin != bytes)
            throw Corrupt(path, $"entry \"{prop.Name}\" claims shape [{string.Join(", ", shape)}] of {code} ({bytes} bytes) but its offsets span {end - begin} bytes");
        return new Entry(prop.Name, dtype, [.. shape], begin, end);
    }

    private static InvalidDataException Corrupt(string path, string why) => new($"{path} is not a valid safetensors file: {why}.");

    private static void CopyBytes(Tensor t, byte[] destination)
    {
        using var scope = NewDisposeScope();          // detach, cpu and contiguous each make a wrapper
        var cpu = t.detach().cpu().contiguous();
        cpu.bytes.CopyTo(destination);
    }

    private static Tensor FromBytes(ReadOnlySpan<byte> data, long[] shape, ScalarType dtype, Device device)
    {
        var t = empty(shape, dtype: dtype);
        data.CopyTo(t.bytes);
        if (device.type == DeviceType.CPU) return t;
        using (t) return t.to(device);
    }
}
