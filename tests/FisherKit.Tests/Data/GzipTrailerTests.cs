using FisherKit.Data;

namespace FisherKit.Tests.Data;

/// <summary>
/// .NET's GZipStream inflates a cut gzip file without an error; DataFile checks the last trailer. Reference CRC values
/// from Python: <c>zlib.crc32(b"123456789")</c> = 0xcbf43926, <c>zlib.crc32(bytes(range(256)) * 3)</c> = 0xb0c0df2a.
/// </summary>
public class GzipTrailerTests
{
    private static byte[] Content(int n)
    {
        var rng = new Random(7);
        var b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte)(rng.Next(4) + 'a'); // compressible, as data files are
        return b;
    }

    [Fact]
    public void Crc32_matches_zlib()
    {
        Assert.Equal(0xcbf43926u, DataFile.Crc32("123456789"u8));
        Assert.Equal(0xb0c0df2au, DataFile.Crc32([.. Enumerable.Range(0, 768).Select(i => (byte)(i % 256))]));
        Assert.Equal(0u, DataFile.Crc32([]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(100_000)]
    public void Whole_files_read_back(int n)
    {
        using var dir = new TempFolder();
        var raw = Content(n);
        var p = dir.File("whole.gz");
        File.WriteAllBytes(p, IdxBytes.Gzip(raw));
        Assert.Equal(raw, DataFile.ReadAllBytes(p));
    }

    [Fact]
    public void A_file_of_two_members_reads_back()
    {
        using var dir = new TempFolder();
        var a = Content(5000);
        var b = Content(3000).Reverse().ToArray();
        var p = dir.File("two.gz");
        File.WriteAllBytes(p, [.. IdxBytes.Gzip(a), .. IdxBytes.Gzip(b)]);
        Assert.Equal([.. a, .. b], DataFile.ReadAllBytes(p));
    }

    [Fact]
    public void Every_cut_is_an_error_naming_the_file()
    {
        using var dir = new TempFolder();
        var gz = IdxBytes.Gzip(Content(100_000));
        var p = dir.File("cut.gz");
        // Without the trailer check GZipStream returned the inflated part for each of these cuts.
        foreach (var keep in new[] { gz.Length - 1, gz.Length - 4, gz.Length - 8, gz.Length - 9, gz.Length / 2, 20, 12 })
        {
            File.WriteAllBytes(p, gz[..keep]);
            var e = Assert.Throws<InvalidDataException>(() => DataFile.ReadAllBytes(p));
            Assert.Contains(p, e.Message);
            Assert.Contains("truncated", e.Message);
        }
    }

    [Fact]
    public void A_wrong_trailer_is_an_error()
    {
        using var dir = new TempFolder();
        var gz = IdxBytes.Gzip(Content(10_000));
        var p = dir.File("crc.gz");
        gz[^8] ^= 0x01; // the CRC's lowest byte: zlib checks it too, so this is either message
        File.WriteAllBytes(p, gz);
        var e = Assert.Throws<InvalidDataException>(() => DataFile.ReadAllBytes(p));
        Assert.Contains(p, e.Message);
    }
}
