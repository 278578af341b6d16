using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using FisherKit.Torch.Serialization;
using FisherKit.Torch.Tests.Support;

namespace FisherKit.Torch.Tests.Serialization;

/// <summary>
/// safetensors: round trips, files written by Python read here, and a file written here whose bytes
/// Python validated (Reference/make_reference.py parses it independently and records its SHA-256).
/// </summary>
public class SafetensorsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fisherkit-safetensors-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>The tensors make_reference.py's sample_tensors() builds, built here.</summary>
    internal static Dictionary<string, Tensor> SampleTensors() => new()
    {
        ["weight"] = arange(0, 12, 1, float32).reshape(3, 4) / 8 - 0.5,
        ["bias"] = tensor(new[] { 1.0 / 3, -2.5, 1e-300 }),
        ["index"] = tensor(new long[] { 0, -1, 1L << 40, 7 }, [2, 2]),
        ["mask"] = tensor(new[] { true, false, true }),
        ["half"] = tensor(new[] { (Half)0.5, (Half)(-2.0), (Half)65504.0 }),
        ["bytes"] = tensor(new byte[] { 0, 1, 255 }),
        ["count"] = tensor(new[] { 42 }, []),
        ["empty"] = zeros([0, 3]),
    };

    private static readonly Dictionary<string, string> Metadata = new() { ["format"] = "pt", ["source"] = "FisherKit" };

    [Fact]
    public void A_file_written_by_Python_loads_with_its_names_dtypes_shapes_values_and_metadata()
    {
        var r = Reference.Section("safetensors");
        using var scope = NewDisposeScope();
        var loaded = Safetensors.Load(Path.Combine(Reference.Folder, r.GetProperty("python_file").GetString()!), out var meta);
        foreach (var (k, v) in loaded) scope.MoveToOuter(v).MoveToOuterDisposeScope();
        var expected = r.GetProperty("tensors");
        Assert.Equal(expected.EnumerateObject().Select(p => p.Name).Order(), loaded.Keys.Order());
        var codes = new Dictionary<string, ScalarType> { ["F64"] = float64, ["F32"] = float32, ["F16"] = float16, ["I64"] = int64, ["I32"] = int32, ["U8"] = uint8, ["BOOL"] = @bool };
        foreach (var e in expected.EnumerateObject())
        {
            var t = loaded[e.Name];
            Assert.Equal(codes[e.Value.GetProperty("code").GetString()!], t.dtype);
            Assert.Equal(e.Value.GetProperty("shape").EnumerateArray().Select(s => s.GetInt64()), t.shape);
            AssertClose.Arrays(Reference.Doubles(e.Value.GetProperty("values")), t.ToDoubleArray(), 0, 0, e.Name);
            t.Dispose();
        }
        Assert.Equal("pt", meta["format"]);
        Assert.Equal("make_reference.py", meta["source"]);
    }

    [Fact]
    public void Our_writer_produces_exactly_the_file_Python_validated()
    {
        using var scope = NewDisposeScope();
        var path = Path.Combine(_dir, "csharp_written.safetensors");
        Safetensors.Save(path, SampleTensors(), Metadata);
        var committed = Path.Combine(Reference.Folder, "csharp_written.safetensors");
        var ours = File.ReadAllBytes(path);
        if (!File.Exists(committed) || !ours.AsSpan().SequenceEqual(File.ReadAllBytes(committed)))
        {
            var candidate = Path.Combine(Path.GetTempPath(), "fisherkit-csharp_written.safetensors");
            File.Copy(path, candidate, overwrite: true);
            Assert.Fail($"The writer's output differs from the committed Reference/csharp_written.safetensors. If the change is intended, " +
                        $"copy {candidate} there and rerun Reference/make_reference.py, which validates it.");
        }
        var validated = Reference.Section("safetensors").GetProperty("csharp_file_sha256").GetString();
        Assert.Equal(validated, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(committed))));
    }

    [Fact]
    public void Round_trip_keeps_every_dtype_shape_value_and_metadata()
    {
        using var scope = NewDisposeScope();
        var tensors = SampleTensors();
        tensors["random"] = randn(4, 5, 6);
        tensors["bf16"] = randn(7).to(ScalarType.BFloat16);
        tensors["i8"] = tensor(new sbyte[] { -128, 0, 127 });
        tensors["i16"] = tensor(new short[] { -32768, 1, 32767 });
        var path = Path.Combine(_dir, "round.safetensors");
        Safetensors.Save(path, tensors, Metadata);
        var back = Safetensors.Load(path, out var meta);
        Assert.Equal(tensors.Keys.Order(), back.Keys.Order());
        foreach (var (k, v) in tensors)
        {
            Assert.Equal(v.dtype, back[k].dtype);
            Assert.Equal(v.shape, back[k].shape);
            AssertClose.Arrays(v.ToDoubleArray(), back[k].ToDoubleArray(), 0, 0, k);
        }
        Assert.Equal(Metadata, meta);
    }

    [Fact]
    public void A_module_saved_and_loaded_gives_the_same_outputs()
    {
        using var scope = NewDisposeScope();
        using var a = nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.Flatten(), nn.Linear(8, 3));
        a.forward(randn(4, 1, 4, 4));        // moves BatchNorm's running statistics away from their defaults
        a.eval();
        var path = Path.Combine(_dir, "model.safetensors");
        a.save(path);
        using var b = nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.Flatten(), nn.Linear(8, 3));
        b.load(path).eval();
        var x = randn(2, 1, 4, 4);
        AssertClose.Tensors(a.forward(x), b.forward(x), 0, 0);
        Assert.Equal(a.state_dict().Keys, b.state_dict().Keys);
    }

    [Fact]
    public void A_failed_save_leaves_the_existing_file_untouched_and_no_temporary_file()
    {
        using var scope = NewDisposeScope();
        var path = Path.Combine(_dir, "keep.safetensors");
        Safetensors.Save(path, new Dictionary<string, Tensor> { ["a"] = ones(3) });
        var before = File.ReadAllBytes(path);
        var gone = ones(2);
        gone.Dispose();
        Assert.Throws<ObjectDisposedException>(() => Safetensors.Save(path, new Dictionary<string, Tensor> { ["a"] = ones(3), ["b"] = gone }));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(_dir));
    }

    // ---- corrupt files: every one is an InvalidDataException naming the problem ----

    private static byte[] MakeFile(string header, int dataBytes, ulong? claimedLength = null)
    {
        var json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, claimedLength ?? (ulong)json.Length);
        json.CopyTo(bytes, 8);
        return bytes;
    }

    private const string Good = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";

    public static TheoryData<string, string> Corrupt => new()
    {
        { "fewer than 8 bytes", "short" },
        { "header length beyond the end of the file", "length" },
        { "data section truncated", "truncated" },
        { "header not JSON", "notjson" },
        { "header a JSON array", "array" },
        { "unknown dtype", "dtype" },
        { "offsets past the data", "offsets" },
        { "offsets that do not match the shape", "size" },
        { "overlapping tensors", "overlap" },
        { "a gap between tensors", "gap" },
        { "negative shape", "negshape" },
        { "shape so large that its byte count overflows", "overflow" },
        { "missing data_offsets", "nooffsets" },
        { "metadata that is not a string map", "meta" },
        { "a name given twice", "duplicate" },
        { "an empty file", "empty" },
    };

    [Theory, MemberData(nameof(Corrupt))]
    public void A_corrupt_or_lying_file_raises_InvalidDataException(string what, string kind)
    {
        byte[] bytes = kind switch
        {
            "short" => [1, 2, 3],
            "empty" => [],
            "length" => MakeFile(Good, 8, claimedLength: 1_000_000),
            "truncated" => MakeFile(Good, 5),
            "notjson" => MakeFile("{\"a\": [1, 2", 8),
            "array" => MakeFile("[1, 2, 3]", 0),
            "dtype" => MakeFile("{\"a\":{\"dtype\":\"F128\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8),
            "offsets" => MakeFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 4),
            "size" => MakeFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8),
            "overlap" => MakeFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12),
            "gap" => MakeFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", 12),
            "negshape" => MakeFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8),
            "overflow" => MakeFile("{\"a\":{\"dtype\":\"F64\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,8]}}", 8),
            "nooffsets" => MakeFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}", 8),
            "meta" => MakeFile("{\"__metadata__\":{\"k\":1},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8),
            "duplicate" => MakeFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8),
            _ => throw new ArgumentException(kind),
        };
        var path = Path.Combine(_dir, kind + ".safetensors");
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InvalidDataException>(() => Safetensors.Load(path));
        Assert.Contains("not a valid safetensors file", e.Message);
        Assert.Contains(path, e.Message);
        _ = what;
    }

    [Fact]
    public void A_missing_file_raises_FileNotFoundException()
    {
        Assert.Throws<FileNotFoundException>(() => Safetensors.Load(Path.Combine(_dir, "nope.safetensors")));
    }
}
