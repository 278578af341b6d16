using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace FisherKit.Tests.TorchSharpAdditions;

/// <summary>
/// Safetensors: files written by Python and by the previous FisherKit load with their values and
/// metadata, the writer reproduces the file Python validated byte for byte, round trips keep every
/// dtype, damaged files are InvalidDataExceptions, saving never damages an existing file, and
/// loading into a module either fits completely or changes nothing.
/// </summary>
public sealed class SafetensorsTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>The tensors Reference/make_reference.py's sample_tensors() builds, built here.</summary>
    private static Dictionary<string, Tensor> SampleTensors() => new()
    {
        ["weight"] = arange(0, 12, 1, float32).reshape(3, 4) / 8 - 0.5,
        ["bias"] = tensor(new[] { 1.0 / 3, -2.5, 1e-300 }),
        ["index"] = tensor(new long[] { 0, -1, 1L << 40, 7 }).reshape(2, 2),
        ["mask"] = tensor(new[] { true, false, true }),
        ["half"] = tensor(new[] { 0.5f, -2f, 65504f }).to(float16),
        ["bytes"] = tensor(new byte[] { 0, 1, 255 }),
        ["count"] = tensor(42),
        ["empty"] = zeros(0, 3),
    };

    private static readonly Dictionary<string, ScalarType> Codes = new()
    {
        ["F64"] = float64, ["F32"] = float32, ["F16"] = float16, ["I64"] = int64, ["I32"] = int32, ["U8"] = uint8, ["BOOL"] = @bool,
    };

    private static void AssertSame(Tensor expected, Tensor actual, string name)
    {
        Assert.Equal(expected.dtype, actual.dtype);
        Assert.Equal(expected.shape, actual.shape);
        Assert.True(expected.ToDoubleArray().SequenceEqual(actual.ToDoubleArray()), $"values of {name}");
    }

    private static void AssertMatchesReference(Dictionary<string, Tensor> loaded)
    {
        var expected = Reference.Section("safetensors").GetProperty("tensors");
        Assert.Equal(expected.EnumerateObject().Select(p => p.Name).Order(), loaded.Keys.Order());
        foreach (var e in expected.EnumerateObject())
        {
            var t = loaded[e.Name];
            Assert.Equal(Codes[e.Value.GetProperty("code").GetString()!], t.dtype);
            Assert.Equal(e.Value.GetProperty("shape").EnumerateArray().Select(s => s.GetInt64()), t.shape);
            Assert.Equal(Reference.Doubles(e.Value.GetProperty("values")), t.ToDoubleArray());
        }
    }

    [Fact]
    public void A_file_written_by_Python_loads_with_its_names_dtypes_shapes_values_and_metadata()
    {
        using var scope = NewDisposeScope();
        var loaded = Safetensors.Load(Path.Combine(Reference.Folder, "python_written.safetensors"), out var meta);
        AssertMatchesReference(loaded);
        Assert.Equal(new Dictionary<string, string> { ["format"] = "pt", ["source"] = "make_reference.py" }, meta);
    }

    [Fact]
    public void A_file_written_by_the_previous_FisherKit_loads_and_the_writer_still_produces_it_byte_for_byte()
    {
        using var scope = NewDisposeScope();
        var committed = Path.Combine(Reference.Folder, "csharp_written.safetensors");
        var loaded = Safetensors.Load(committed, out var meta);
        AssertMatchesReference(loaded);
        Assert.Equal(new Dictionary<string, string> { ["format"] = "pt", ["source"] = "FisherKit" }, meta);
        // Python parsed the committed file independently and recorded its hash.
        Assert.Equal(Reference.Section("safetensors").GetProperty("csharp_file_sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(committed))));
        var path = _dir.File("csharp_written.safetensors");
        Safetensors.Save(path, SampleTensors(), new Dictionary<string, string> { ["format"] = "pt", ["source"] = "FisherKit" });
        Assert.True(File.ReadAllBytes(committed).AsSpan().SequenceEqual(File.ReadAllBytes(path)),
            $"Safetensors.Save no longer writes the committed Reference/csharp_written.safetensors; if the change is intended, copy {path} there and rerun Reference/make_reference.py, which validates it.");
    }

    [Fact]
    public void Round_trips_keep_every_dtype_shape_value_and_the_metadata()
    {
        using var scope = NewDisposeScope();
        var tensors = SampleTensors();
        tensors["random"] = randn(4, 5, 6);
        tensors["bf16"] = randn(7).to(bfloat16);
        tensors["i8"] = tensor(new sbyte[] { -128, 0, 127 });
        tensors["i16"] = tensor(new short[] { -32768, 1, 32767 });
        tensors["f64 scalar"] = tensor(Math.PI);
        tensors["transposed"] = arange(6, dtype: float64).reshape(2, 3).t();       // saved as its row-major values
        tensors["requires grad"] = ones([2], requires_grad: true) * 3;
        tensors["zero size"] = zeros([2, 0], int64);
        var meta = new Dictionary<string, string> { ["format"] = "pt", ["note"] = "unicode: µ, ∂, 日本", ["empty"] = "" };
        var path = _dir.File("round.safetensors");
        Safetensors.Save(path, tensors, meta);
        var back = Safetensors.Load(path, out var backMeta);
        Assert.Equal(tensors.Keys.Order(), back.Keys.Order());
        foreach (var (k, v) in tensors) AssertSame(v, back[k], k);
        Assert.Equal(meta, backMeta);
        Assert.False(back["requires grad"].requires_grad);
        Assert.True(back["transposed"].is_contiguous());
    }

    [Fact]
    public void Without_metadata_the_header_has_none_and_loading_gives_an_empty_map()
    {
        using var scope = NewDisposeScope();
        var path = _dir.File("plain.safetensors");
        Safetensors.Save(path, new Dictionary<string, Tensor> { ["a"] = ones(2) });
        Assert.DoesNotContain("__metadata__", Encoding.UTF8.GetString(File.ReadAllBytes(path)));
        Safetensors.Load(path, out var meta);
        Assert.Empty(meta);
    }

    [Fact]
    public void An_empty_tensor_listed_after_the_tensor_at_its_offset_loads()
    {
        // Valid safetensors: a zero-size tensor shares its offset with the next tensor, and the header's
        // key order is free. (The check once sorted by start offset only and called this an overlap.)
        using var scope = NewDisposeScope();
        var path = _dir.File("empty-last.safetensors");
        var data = new byte[8];
        BinaryPrimitives.WriteSingleLittleEndian(data, 1.5f);
        BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(4), -2f);
        File.WriteAllBytes(path, MakeFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"z\":{\"dtype\":\"F32\",\"shape\":[0,4],\"data_offsets\":[0,0]}}", data));
        var loaded = Safetensors.Load(path);
        Assert.Equal([1.5f, -2f], loaded["a"].ToArray<float>());
        Assert.Equal([0L, 4], loaded["z"].shape);
    }

    // ---- saving never damages what was there ----

    [Fact]
    public void A_failed_save_leaves_the_existing_file_untouched_and_no_temporary_file()
    {
        using var scope = NewDisposeScope();
        var path = _dir.File("keep.safetensors");
        Safetensors.Save(path, new Dictionary<string, Tensor> { ["a"] = ones(3) });
        var before = File.ReadAllBytes(path);
        var gone = ones(2);
        gone.Dispose();
        Assert.Throws<ObjectDisposedException>(() => Safetensors.Save(path, new Dictionary<string, Tensor> { ["a"] = ones(3) * 2, ["b"] = gone }));
        Assert.Throws<NotSupportedException>(() => Safetensors.Save(path, new Dictionary<string, Tensor> { ["a"] = ones(3) * 2, ["c"] = ones([2], complex64) }));
        Assert.Contains("__metadata__", Assert.Throws<ArgumentException>(() => Safetensors.Save(path, new Dictionary<string, Tensor> { ["__metadata__"] = ones(1) })).Message);
        // A null metadata value was written as JSON null, and the file that replaced the good one could not be read back.
        Assert.Contains("\"note\" is null", Assert.Throws<ArgumentException>(() => Safetensors.Save(path, new Dictionary<string, Tensor> { ["a"] = ones(3) * 2 }, new Dictionary<string, string> { ["note"] = null! })).Message);
        // A lone surrogate was written as U+FFFD: the name or value read back differed from the one saved.
        Assert.Contains("surrogate", Assert.Throws<ArgumentException>(() => Safetensors.Save(path, new Dictionary<string, Tensor> { ["w\ud800"] = ones(1) })).Message);
        Assert.Contains("surrogate", Assert.Throws<ArgumentException>(() => Safetensors.Save(path, new Dictionary<string, Tensor> { ["a"] = ones(1) }, new Dictionary<string, string> { ["k"] = "\udc00x" })).Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(_dir.Path));
        // Paired surrogates (characters beyond the BMP) are fine and read back as saved.
        var emoji = _dir.File("emoji.safetensors");
        Safetensors.Save(emoji, new Dictionary<string, Tensor> { ["w\U0001F600"] = ones(1) }, new Dictionary<string, string> { ["n\U0001F600"] = "\U0001F600" });
        var back = Safetensors.Load(emoji, out var meta);
        Assert.Equal(["w\U0001F600"], back.Keys);
        Assert.Equal("\U0001F600", meta["n\U0001F600"]);
        foreach (var t in back.Values) t.Dispose();
    }

    [Fact]
    public void A_save_that_fails_while_writing_leaves_the_existing_file_untouched()
    {
        // The folder is read-only for the temporary file... unless we are root, so instead the target
        // is a directory: the final rename fails after the temporary file was written.
        using var scope = NewDisposeScope();
        var path = _dir.File("dir.safetensors");
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, "inside.txt"), "kept");
        Assert.ThrowsAny<IOException>(() => Safetensors.Save(path, new Dictionary<string, Tensor> { ["a"] = ones(3) }));
        Assert.Equal("kept", File.ReadAllText(Path.Combine(path, "inside.txt")));
        Assert.Empty(Directory.GetFiles(_dir.Path));
    }

    // ---- corrupt files: every one is an InvalidDataException naming the file and the problem ----

    private static byte[] MakeFile(string header, byte[] data, ulong? claimedLength = null)
    {
        var json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, claimedLength ?? (ulong)json.Length);
        json.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + json.Length);
        return bytes;
    }

    private static byte[] MakeFile(string header, int dataBytes, ulong? claimedLength = null) => MakeFile(header, new byte[dataBytes], claimedLength);

    private const string Good = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";

    public static TheoryData<string, string> Corrupt => new()
    {
        { "fewer than 8 bytes", "the file has 3 bytes" },
        { "an empty file", "the file has 0 bytes" },
        { "header length beyond the end of the file", "the header claims 1000000 bytes" },
        { "data section truncated", "cover 8 bytes but the data section has 5" },
        { "header not JSON", "not valid JSON" },
        { "header a JSON array", "not a JSON object" },
        { "unknown dtype", "unsupported dtype \"F128\"" },
        { "dtype not a string", "has no dtype" },
        { "offsets past the data", "the data section has 4" },
        { "offsets that do not match the shape", "(12 bytes) but its offsets span 8 bytes" },
        { "overlapping tensors", "starts at byte 4, expected 8" },
        { "a gap between tensors", "starts at byte 8, expected 4" },
        { "negative shape", "invalid shape" },
        { "shape so large that its byte count overflows", "more bytes than a file can hold" },
        { "missing data_offsets", "no [begin, end] data_offsets" },
        { "offsets in the wrong order", "invalid data_offsets" },
        { "metadata that is not a string map", "metadata \"k\" is not a string" },
        { "a name given twice", "occurs twice" },
        { "a valid header in front of a truncated file", "the header claims" },
        { "a header that is not UTF-8", "not valid UTF-8" },
        { "data_offsets that are not numbers", "invalid data_offsets" },
        { "data_offsets with null", "invalid data_offsets" },
        { "a metadata key given twice", "metadata \"k\" occurs twice" },
        { "__metadata__ given twice", "the name \"__metadata__\" occurs twice" },
    };

    [Theory, MemberData(nameof(Corrupt))]
    public void A_corrupt_or_lying_file_raises_InvalidDataException(string what, string mention)
    {
        byte[] bytes = what switch
        {
            "fewer than 8 bytes" => [1, 2, 3],
            "an empty file" => [],
            "header length beyond the end of the file" => MakeFile(Good, 8, claimedLength: 1_000_000),
            "data section truncated" => MakeFile(Good, 5),
            "header not JSON" => MakeFile("{\"a\": [1, 2", 8),
            "header a JSON array" => MakeFile("[1, 2, 3]", 0),
            "unknown dtype" => MakeFile("{\"a\":{\"dtype\":\"F128\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8),
            "dtype not a string" => MakeFile("{\"a\":{\"dtype\":7,\"shape\":[2],\"data_offsets\":[0,8]}}", 8),
            "offsets past the data" => MakeFile(Good, 4),
            "offsets that do not match the shape" => MakeFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8),
            "overlapping tensors" => MakeFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12),
            "a gap between tensors" => MakeFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", 12),
            "negative shape" => MakeFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8),
            "shape so large that its byte count overflows" => MakeFile("{\"a\":{\"dtype\":\"F64\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,8]}}", 8),
            "missing data_offsets" => MakeFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}", 8),
            "offsets in the wrong order" => MakeFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", 8),
            "metadata that is not a string map" => MakeFile("{\"__metadata__\":{\"k\":1},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8),
            "a name given twice" => MakeFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8),
            "a valid header in front of a truncated file" => File.ReadAllBytes(Path.Combine(Reference.Folder, "python_written.safetensors"))[..200],
            "a header that is not UTF-8" => NotUtf8(),
            "data_offsets that are not numbers" => MakeFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[\"0\",\"8\"]}}", 8),
            "data_offsets with null" => MakeFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[null,8]}}", 8),
            "a metadata key given twice" => MakeFile("{\"__metadata__\":{\"k\":\"1\",\"k\":\"2\"},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8),
            "__metadata__ given twice" => MakeFile("{\"__metadata__\":{\"k\":\"1\"},\"__metadata__\":{\"k\":\"2\"},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8),
            _ => throw new ArgumentException(what),
        };
        var path = _dir.File("corrupt.safetensors");
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InvalidDataException>(() => Safetensors.Load(path));
        Assert.Contains("not a valid safetensors file", e.Message);
        Assert.Contains(path, e.Message);
        Assert.Contains(mention, e.Message);
    }

    /// <summary>The good file with the tensor's name "a" replaced by the byte 0xFF, which is not UTF-8 (was an InvalidOperationException without the file's name).</summary>
    private static byte[] NotUtf8()
    {
        var bytes = MakeFile(Good, 8);
        Assert.Equal((byte)'a', bytes[8 + 2]);
        bytes[8 + 2] = 0xFF;
        return bytes;
    }

    [Fact]
    public void A_missing_file_raises_FileNotFoundException() =>
        Assert.Throws<FileNotFoundException>(() => Safetensors.Load(_dir.File("nope.safetensors")));

    // ---- modules ----

    private static nn.Module<Tensor, Tensor> SmallNet() =>
        nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.Flatten(), nn.Linear(8, 3));

    private static Dictionary<string, Tensor> Snapshot(nn.Module m) =>
        m.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.ToDoubleArray().SequenceEqual(b.ToDoubleArray());

    private static void AssertUnchanged(Dictionary<string, Tensor> before, nn.Module m)
    {
        var now = m.state_dict();
        Assert.Equal(before.Keys.Order(), now.Keys.Order());
        foreach (var (k, v) in before) Assert.True(Same(v, now[k]), $"{k} changed");
    }

    [Fact]
    public void A_module_saved_and_loaded_gives_the_same_outputs_buffers_and_metadata()
    {
        using var scope = NewDisposeScope();
        var a = SmallNet();
        a.call(randn(4, 1, 4, 4));             // moves BatchNorm's running statistics away from their defaults
        a.eval();
        var path = _dir.File("model.safetensors");
        a.SaveSafetensors(path, new Dictionary<string, string> { ["seed"] = "1" });
        var b = SmallNet();
        var meta = b.LoadSafetensors(path);
        b.eval();
        Assert.Equal("1", meta["seed"]);
        var x = randn(2, 1, 4, 4);
        Assert.True(Same(a.call(x), b.call(x)));
        Assert.Equal(a.state_dict().Keys.Order(), b.state_dict().Keys.Order());
        Assert.Equal(Safetensors.Load(path).Keys.Order(), a.state_dict().Keys.Order());   // running stats and num_batches_tracked included
    }

    [Fact]
    public void Loading_converts_to_the_modules_dtype()
    {
        using var scope = NewDisposeScope();
        var f32 = nn.Linear(3, 2);
        var path = _dir.File("f32.safetensors");
        f32.SaveSafetensors(path);
        var f64 = nn.Linear(3, 2).to(float64);
        f64.LoadSafetensors(path);
        Assert.Equal(float64, f64.weight!.dtype);
        Assert.True(allclose(f32.weight!.to(float64), f64.weight!));
    }

    [Fact]
    public void A_strict_mismatch_names_missing_and_unexpected_entries_and_leaves_the_module_unchanged()
    {
        using var scope = NewDisposeScope();
        var path = _dir.File("other.safetensors");
        Safetensors.Save(path, new Dictionary<string, Tensor> { ["weight"] = ones(2, 3), ["extra"] = ones(1) });
        var m = nn.Linear(3, 2);
        var before = Snapshot(m);
        var e = Assert.Throws<InvalidDataException>(() => m.LoadSafetensors(path));
        Assert.Contains("missing bias", e.Message);
        Assert.Contains("unexpected extra", e.Message);
        AssertUnchanged(before, m);
        // not strict: what fits is loaded, the rest ignored
        m.LoadSafetensors(path, strict: false);
        Assert.Equal(Enumerable.Repeat(1f, 6), m.weight!.ToArray<float>());
        Assert.True(Same(before["bias"], m.bias!));
    }

    [Fact]
    public void A_shape_mismatch_names_the_entry_and_leaves_the_module_unchanged_even_when_not_strict()
    {
        using var scope = NewDisposeScope();
        var path = _dir.File("wide.safetensors");
        nn.Linear(4, 2).SaveSafetensors(path);             // bias [2] fits, weight [2, 4] does not
        var m = nn.Linear(3, 2);
        var before = Snapshot(m);
        foreach (var strict in new[] { true, false })
        {
            var e = Assert.Throws<InvalidDataException>(() => m.LoadSafetensors(path, strict));
            Assert.Contains("\"weight\"", e.Message);
            Assert.Contains("[2, 4]", e.Message);
            Assert.Contains("[2, 3]", e.Message);
            AssertUnchanged(before, m);
        }
    }
}
