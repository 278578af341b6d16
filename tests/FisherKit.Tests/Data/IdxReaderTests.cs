using FisherKit.Data;

namespace FisherKit.Tests.Data;

[Collection(LeakChecks.Name)]
public class IdxReaderTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reads_images_and_labels_plain_or_gzipped(bool gzip)
    {
        using var dir = new TempFolder();
        var (images, labels) = IdxBytes.Pattern(5, 4, 3);
        var ip = dir.File("t10k-images-idx3-ubyte" + (gzip ? ".gz" : ""));
        var lp = dir.File("t10k-labels-idx1-ubyte" + (gzip ? ".gz" : ""));
        File.WriteAllBytes(ip, gzip ? IdxBytes.Gzip(images) : images);
        File.WriteAllBytes(lp, gzip ? IdxBytes.Gzip(labels) : labels);

        var x = IdxReader.ReadImages(ip);
        var y = IdxReader.ReadLabels(lp);

        Assert.Equal([5, 4, 3], x.Dimensions);
        Assert.Equal([5], y.Dimensions);
        Assert.Equal((byte)((7 * 2 + 3 * 1 + 2) % 256), x.Data[(2 * 4 + 1) * 3 + 2]);
        Assert.Equal((byte)3, y.Data[3]);
    }

    [Fact]
    public void A_truncated_file_is_reported_with_its_name()
    {
        using var dir = new TempFolder();
        var (images, _) = IdxBytes.Pattern(5, 4, 3);
        var p = dir.File("short.idx");
        File.WriteAllBytes(p, images[..^7]);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(p));
        Assert.Contains(p, e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void A_header_that_promises_fewer_values_than_the_file_holds_is_rejected()
    {
        using var dir = new TempFolder();
        var lying = IdxBytes.Build(0x803, [2, 4, 3], new byte[3 * 4 * 3]);
        var p = dir.File("lying.idx");
        File.WriteAllBytes(p, lying);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(p));
        Assert.Contains(p, e.Message);
        Assert.Contains("too many", e.Message);
    }

    [Fact]
    public void A_truncated_header_is_rejected()
    {
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.Parse(IdxBytes.Build(0x803, [2, 4, 3], [])[..9], "h.idx"));
        Assert.Contains("truncated header", e.Message);
    }

    [Theory]
    [InlineData(0x12345678, "wrong magic")]
    [InlineData(0x00000D03, "element type 0x0D")]
    public void Wrong_magic_numbers_are_rejected(int magic, string expected)
    {
        var bytes = IdxBytes.Build(magic, [1, 2, 2], new byte[4]);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.Parse(bytes, "m.idx"));
        Assert.Contains("m.idx", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void A_label_file_is_not_accepted_as_an_image_file()
    {
        using var dir = new TempFolder();
        var (_, labels) = IdxBytes.Pattern(5, 4, 3);
        var p = dir.File("labels.idx");
        File.WriteAllBytes(p, labels);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(p));
        Assert.Contains("image file", e.Message);
    }

    [Fact]
    public void Zero_sizes_are_rejected()
    {
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.Parse(IdxBytes.Build(0x803, [0, 4, 3], []), "z.idx"));
        Assert.Contains("dimension 0 has size 0", e.Message);
    }

    [Fact]
    public void A_damaged_gzip_stream_is_an_InvalidDataException()
    {
        using var dir = new TempFolder();
        var (images, _) = IdxBytes.Pattern(50, 28, 28);
        var gz = IdxBytes.Gzip(images);
        var p = dir.File("cut.gz");
        File.WriteAllBytes(p, gz[..(gz.Length / 2)]);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(p));
        Assert.Contains(p, e.Message);
    }

    [Fact]
    public void Fashion_mnist_loads_from_a_folder_as_scaled_float_images()
    {
        using var dir = new TempFolder();
        var (images, labels) = IdxBytes.Pattern(12, 28, 28);
        File.WriteAllBytes(dir.File("train-images-idx3-ubyte.gz"), IdxBytes.Gzip(images));
        File.WriteAllBytes(dir.File("train-labels-idx1-ubyte.gz"), IdxBytes.Gzip(labels));
        long before = LeakChecks.SettledCount();
        using (var ds = Datasets.FashionMnist(DatasetPart.Train, dir.Path))
        {
            Assert.Equal(12, ds.Count);
            Assert.Equal([12L, 1, 28, 28], ds.Images.shape);
            Assert.Equal(ScalarType.Float32, ds.Images.dtype);
            Assert.Equal("Ankle boot", ds.ClassNames[9]);
            var (img, label) = ds[11];
            using (img)
            {
                Assert.Equal(1L, label);
                using var px = img[0, 5, 6];
                Assert.Equal((7 * 11 + 3 * 5 + 6) % 256 / 255.0, px.ToDouble(), 6);
            }
        }
        Assert.Equal(before, Tensor.TotalCount);
    }

    [Fact]
    public void Image_and_label_counts_must_agree()
    {
        using var dir = new TempFolder();
        var (images, _) = IdxBytes.Pattern(12, 28, 28);
        var (_, labels) = IdxBytes.Pattern(11, 28, 28);
        File.WriteAllBytes(dir.File("t10k-images-idx3-ubyte"), images);
        File.WriteAllBytes(dir.File("t10k-labels-idx1-ubyte"), labels);
        var e = Assert.Throws<InvalidDataException>(() => Datasets.FashionMnist(DatasetPart.Test, dir.Path));
        Assert.Contains("12 images", e.Message);
    }

    [Fact]
    public void A_missing_folder_says_how_to_get_the_data()
    {
        using var dir = new TempFolder();
        var e = Assert.Throws<FileNotFoundException>(() => Datasets.FashionMnist(DatasetPart.Test, dir.Path));
        Assert.Contains("environment/setup.sh", e.Message);
    }
}
