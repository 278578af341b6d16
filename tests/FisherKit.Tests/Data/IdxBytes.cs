using System.Buffers.Binary;
using System.IO.Compression;

namespace FisherKit.Tests.Data;

/// <summary>Writes IDX files byte by byte (independently of the reader) for the reader tests.</summary>
internal static class IdxBytes
{
    public static byte[] Build(int magic, int[] dims, byte[] data)
    {
        var bytes = new byte[4 + 4 * dims.Length + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (int i = 0; i < dims.Length; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dims[i]);
        data.CopyTo(bytes, 4 + 4 * dims.Length);
        return bytes;
    }

    public static byte[] Gzip(byte[] raw)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(raw);
        return ms.ToArray();
    }

    /// <summary>n images of rows×cols with pixel (i, r, c) = (7i + 3r + c) mod 256, labels i mod 10.</summary>
    public static (byte[] images, byte[] labels) Pattern(int n, int rows, int cols)
    {
        var px = new byte[n * rows * cols];
        for (int i = 0; i < n; i++)
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < cols; c++)
                    px[(i * rows + r) * cols + c] = (byte)((7 * i + 3 * r + c) % 256);
        var lb = new byte[n];
        for (int i = 0; i < n; i++) lb[i] = (byte)(i % 10);
        return (Build(0x803, [n, rows, cols], px), Build(0x801, [n], lb));
    }
}
