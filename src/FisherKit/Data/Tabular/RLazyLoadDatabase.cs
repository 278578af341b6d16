using System.Buffers.Binary;
using System.IO.Compression;

namespace FisherKit.Data.Tabular;

/// <summary>
/// An R lazy-load database (<c>Rdata.rdb</c> + <c>Rdata.rdx</c>, how R packages store their data sets).
/// The .rdx file is a gzip-compressed serialization of list(variables, references, compressed), where
/// each variable maps to (offset, length) in the .rdb file. Each .rdb entry starts with the uncompressed
/// length (4 bytes, big-endian); with compression 1 a zlib stream follows, with compression 2 or 3 a type
/// byte ('1' zlib, 'Z' raw LZMA2 (xz), '0' stored, '2' bzip2 — not supported) and the data.
/// The uncompressed entry is an R serialization (<see cref="RSerializationReader"/>).
/// </summary>
public sealed class RLazyLoadDatabase
{
    private readonly Dictionary<string, (int offset, int length)> _index = [];
    private readonly int _compression;

    /// <summary>Opens the database at <paramref name="basePath"/> (the path without ".rdb"/".rdx").</summary>
    public RLazyLoadDatabase(string basePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(basePath);
        BasePath = basePath;
        var rdx = basePath + ".rdx";
        if (!File.Exists(rdx)) throw new FileNotFoundException($"The lazy-load index {rdx} does not exist.", rdx);
        if (!File.Exists(basePath + ".rdb")) throw new FileNotFoundException($"The lazy-load data {basePath}.rdb does not exist.", basePath + ".rdb");
        var index = RSerializationReader.Read(DataFile.ReadAllBytes(rdx));
        var names = index.StringAttribute("names") ?? throw new InvalidDataException($"{rdx} is not a lazy-load index (no names).");
        var parts = (RObject[])index.Values!;
        var variables = parts[Array.IndexOf(names, "variables")];
        var varNames = variables.StringAttribute("names") ?? [];
        var entries = (RObject[])variables.Values!;
        for (int i = 0; i < entries.Length; i++)
        {
            var ol = (int[])entries[i].Values!;
            _index[varNames[i] ?? ""] = (ol[0], ol[1]);
        }
        var comp = Array.IndexOf(names, "compressed");
        _compression = comp < 0 ? 1 : ((int[])parts[comp].Values!)[0];
    }

    /// <summary>The database path without extension.</summary>
    public string BasePath { get; }

    /// <summary>Names of the stored objects.</summary>
    public IReadOnlyCollection<string> Names => _index.Keys;

    /// <summary>The compression code of the database (1 zlib, 2 bzip2, 3 xz).</summary>
    public int Compression => _compression;

    /// <summary>Reads and unserializes the object <paramref name="name"/>.</summary>
    public RObject Read(string name)
    {
        if (!_index.TryGetValue(name, out var e)) throw new KeyNotFoundException($"{BasePath}.rdb holds no object \"{name}\" (it holds {string.Join(", ", _index.Keys.Order())}).");
        var blob = new byte[e.length];
        using (var fs = File.OpenRead(BasePath + ".rdb"))
        {
            fs.Seek(e.offset, SeekOrigin.Begin);
            fs.ReadExactly(blob);
        }
        return RSerializationReader.Read(Decompress(blob, _compression));
    }

    /// <summary>Decompresses one .rdb entry for the database's compression code.</summary>
    public static byte[] Decompress(byte[] entry, int compression)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Length < 5) throw new InvalidDataException("A lazy-load entry is shorter than its header.");
        int length = BinaryPrimitives.ReadInt32BigEndian(entry);
        if (length < 0) throw new InvalidDataException($"A lazy-load entry declares a negative length {length}.");
        byte type = compression == 1 ? (byte)'1' : entry[4];
        int start = compression == 1 ? 4 : 5;
        byte[] result = type switch
        {
            (byte)'0' => entry[start..],
            (byte)'1' => Zlib(entry, start, length),
            (byte)'Z' => LibLzma.DecodeRawLzma2(entry.AsSpan(start), length),
            (byte)'2' => throw new NotSupportedException("This lazy-load entry is bzip2-compressed, which the reader does not support."),
            _ => throw new InvalidDataException($"Unknown lazy-load compression type '{(char)type}'."),
        };
        if (result.Length != length) throw new InvalidDataException($"A lazy-load entry decompressed to {result.Length} bytes, its header says {length}.");
        return result;
    }

    private static byte[] Zlib(byte[] entry, int start, int length)
    {
        using var ms = new MemoryStream(entry, start, entry.Length - start);
        using var z = new ZLibStream(ms, CompressionMode.Decompress);
        var result = new byte[length];
        z.ReadExactly(result);
        return result;
    }
}
