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

    /// <summary>Reads the whole (decompressed) content of a file; a broken gzip stream is an <see cref="InvalidDataException"/> naming the file.</summary>
    internal static byte[] ReadAllBytes(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Data file not found: {path}", path);
        if (!IsGzip(path)) return File.ReadAllBytes(path);
        try
        {
            using var f = File.OpenRead(path);
            using var gz = new GZipStream(f, CompressionMode.Decompress);
            using var ms = new MemoryStream();
            gz.CopyTo(ms);
            return ms.ToArray();
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException and not FileNotFoundException)
        {
            throw new InvalidDataException($"{path}: the gzip stream is damaged or truncated ({e.Message}).", e);
        }
    }
}
