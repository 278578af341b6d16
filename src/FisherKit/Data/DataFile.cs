using System.Buffers.Binary;
using System.IO.Compression;

namespace FisherKit.Data;

/// <summary>Opening and fully reading data files, gzipped or not, with errors that name the file.</summary>
internal static class DataFile
{
    /// <summary>True when the file starts with the gzip magic bytes 1F 8B.</summary>
    internal static bool IsGzip(string path)
    {
        using var f = File.OpenRead(path);
        Span<byte> head = stackalloc byte[2];
        return f.ReadAtLeast(head, 2, throwOnEndOfStream: false) == 2 && head[0] == 0x1F && head[1] == 0x8B;
    }

    /// <summary>
    /// Reads the whole (decompressed) content of a file; a broken gzip stream is an <see cref="InvalidDataException"/>
    /// naming the file. .NET's <see cref="GZipStream"/> returns what it could inflate from a stream that ends early, without
    /// an error, so the file's last gzip trailer (CRC-32 and length of its member's content) is checked here.
    /// </summary>
    internal static byte[] ReadAllBytes(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Data file not found: {path}", path);
        if (!IsGzip(path)) return File.ReadAllBytes(path);
        byte[] content;
        try
        {
            using var f = File.OpenRead(path);
            using var gz = new GZipStream(f, CompressionMode.Decompress);
            using var ms = new MemoryStream();
            gz.CopyTo(ms);
            content = ms.ToArray();
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException and not FileNotFoundException)
        {
            throw new InvalidDataException($"{path}: the gzip stream is damaged or truncated ({e.Message}).", e);
        }
        CheckLastTrailer(path, content);
        return content;
    }

    /// <summary>
    /// The file's last 8 bytes are the trailer of its last gzip member: the CRC-32 and the length (mod 2³²) of that member's
    /// content, which is the end of <paramref name="content"/>. A file cut inside a member fails this with probability
    /// 1 − 2⁻³²; the trailers of earlier members (files of several members) are checked by the inflater itself. A file of
    /// several members cut exactly at a member boundary is whole members and passes.
    /// </summary>
    private static void CheckLastTrailer(string path, byte[] content)
    {
        var length = new FileInfo(path).Length;
        const int MinimalMember = 18; // 10-byte header, an empty deflate block at least 2 bytes, 8-byte trailer
        if (length < MinimalMember) throw Truncated(path, $"{length} bytes are fewer than the smallest gzip member");
        Span<byte> trailer = stackalloc byte[8];
        using (var f = File.OpenRead(path))
        {
            f.Seek(-8, SeekOrigin.End);
            f.ReadExactly(trailer);
        }
        uint crc = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        uint size = BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]);
        if (size > (uint)content.Length)
            throw Truncated(path, $"its last trailer gives {size} bytes of content, {content.Length} were inflated");
        uint actual = Crc32(content.AsSpan(content.Length - (int)size));
        if (actual != crc)
            throw Truncated(path, $"the CRC-32 of the content is {actual:x8}, its last trailer gives {crc:x8}");
    }

    private static InvalidDataException Truncated(string path, string why) =>
        new($"{path}: the gzip stream is damaged or truncated ({why}).");

    private static readonly uint[] CrcTable = BuildCrcTable();

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }

    /// <summary>The CRC-32 of gzip and zlib (reflected polynomial 0xEDB88320).</summary>
    internal static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint c = 0xFFFFFFFFu;
        foreach (var b in data) c = CrcTable[(c ^ b) & 0xFF] ^ (c >> 8);
        return c ^ 0xFFFFFFFFu;
    }
}
