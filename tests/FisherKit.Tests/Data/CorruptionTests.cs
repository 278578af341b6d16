using FisherKit.Data;

namespace FisherKit.Tests.Data;

[Collection(LeakChecks.Name)]
public class CorruptionTests
{
    [Theory]
    [InlineData(CorruptionKind.GaussianNoise)]
    [InlineData(CorruptionKind.Blur)]
    [InlineData(CorruptionKind.Rotation)]
    [InlineData(CorruptionKind.Contrast)]
    [InlineData(CorruptionKind.Occlusion)]
    public void Strength_zero_leaves_images_unchanged_and_nothing_leaks(CorruptionKind kind)
    {
        manual_seed(0);
        using var x = rand(3, 1, 8, 8);
        long before = LeakChecks.SettledCount();
        using (var y = Corruptions.Apply(x, kind, 0))
        using (var scope = NewDisposeScope())
            Assert.True(y.equal(x).all().item<bool>(), "bit for bit: strength 0 is the uncorrupted input");
        using (var g = new Generator(1))
        using (var y = Corruptions.Apply(x, kind, Corruptions.MaximumStrength(kind) / 2, g))
        using (var scope = NewDisposeScope())
        {
            Assert.Equal(x.shape, y.shape);
            Assert.False(y.allclose(x));
            Assert.True(y.min().ToDouble() >= 0 && y.max().ToDouble() <= 1);
        }
        Assert.Equal(before, Tensor.TotalCount);
    }

    [Fact]
    public void Gaussian_noise_has_the_requested_spread_and_is_reproducible()
    {
        using var scope = NewDisposeScope();
        var x = full([4, 1, 50, 50], 0.5, ScalarType.Float32);
        using var g1 = new Generator(5);
        using var g2 = new Generator(5);
        var a = Corruptions.GaussianNoise(x, 0.1, g1);
        var b = Corruptions.GaussianNoise(x, 0.1, g2);
        Assert.True(a.allclose(b, rtol: 0, atol: 0));
        // 10,000 draws: the sample std of N(0, 0.1²) is within 3 % of 0.1 with overwhelming probability;
        // clipping at 5σ from the mean does not matter.
        var sd = (a - x).std().ToDouble();
        Assert.InRange(sd, 0.097, 0.103);
    }

    [Fact]
    public void Blur_of_a_point_is_the_outer_product_of_the_gaussian_kernel()
    {
        using var scope = NewDisposeScope();
        var x = zeros(1, 1, 9, 9);
        x[0, 0, 4, 4] = tensor(new float[] { 1f })[0];
        var y = Corruptions.GaussianBlur(x, 0.8);
        var k = Corruptions.GaussianKernel(0.8);
        Assert.Equal(7, k.Length); // r = ceil(2.4) = 3
        // g(1)/g(0) = exp(-1/(2·0.64)) by the definition of the kernel.
        Assert.Equal(Math.Exp(-1 / 1.28), k[4] / k[3], 12);
        var values = y.ToDoubleArray();
        for (int r = 0; r < 9; r++)
            for (int c = 0; c < 9; c++)
            {
                int dr = r - 4, dc = c - 4;
                double expected = Math.Abs(dr) <= 3 && Math.Abs(dc) <= 3 ? k[dr + 3] * k[dc + 3] : 0;
                Assert.Equal(expected, values[r * 9 + c], 6);
            }
    }

    [Fact]
    public void Blur_keeps_a_constant_image_constant_up_to_the_border()
    {
        using var scope = NewDisposeScope();
        var x = full([2, 3, 10, 12], 0.3, ScalarType.Float32);
        var y = Corruptions.GaussianBlur(x, 2.0);
        Assert.True(y.allclose(x, atol: 1e-6));
    }

    [Fact]
    public void Rotating_a_square_image_by_ninety_degrees_turns_it_counterclockwise()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        var x = rand(2, 3, 6, 6);
        var y = Corruptions.Rotate(x, 90);
        // Counterclockwise as displayed: the top-right pixel moves to the top-left, i.e. rot90 = flip(transpose).
        var expected = x.transpose(2, 3).flip(2);
        Assert.True(y.allclose(expected, atol: 1e-5), $"max diff {(y - expected).abs().max().ToDouble()}");
        var full = Corruptions.Rotate(x, 360);
        Assert.True(full.allclose(x, atol: 1e-5));
    }

    [Fact]
    public void Contrast_reduction_scales_deviations_from_the_mean()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var x = rand(2, 1, 5, 5) * 0.5 + 0.25;
        var y = Corruptions.Contrast(x, 0.6);
        var mx = x.mean([2, 3], keepdim: true);
        Assert.True(y.mean([2, 3], keepdim: true).allclose(mx, atol: 1e-6));
        Assert.True((y - mx).allclose((x - mx) * 0.4, atol: 1e-6));
        var flat = Corruptions.Contrast(x, 1);
        Assert.True(flat.allclose(mx.expand_as(x), atol: 1e-6));
    }

    [Fact]
    public void Occlusion_covers_one_square_of_the_requested_size_per_image()
    {
        using var scope = NewDisposeScope();
        var x = zeros(5, 2, 20, 20);
        using var g = new Generator(9);
        var y = Corruptions.Occlude(x, 0.25, g, fill: 1);
        // Side round(0.25·20) = 5: 25 pixels per channel and image.
        var perImage = y.sum([1, 2, 3]).ToDoubleArray();
        Assert.All(perImage, s => Assert.Equal(2 * 25, s, 6));
        using var g2 = new Generator(9);
        Assert.True(Corruptions.Occlude(x, 0.25, g2, fill: 1).allclose(y));
    }

    [Fact]
    public void Corrupting_a_dataset_is_deterministic_by_seed()
    {
        using var ds = ImageDatasetTests.Numbered(20);
        using var a = ds.Corrupt(CorruptionKind.GaussianNoise, 0.2, seed: 4);
        using var b = ds.Corrupt(CorruptionKind.GaussianNoise, 0.2, seed: 4);
        using var c = ds.Corrupt(CorruptionKind.GaussianNoise, 0.2, seed: 5);
        Assert.True(a.Images.allclose(b.Images));
        Assert.False(a.Images.allclose(c.Images));
        Assert.Equal(ds.LabelArray(), a.LabelArray());
        Assert.Contains("gaussiannoise(0.2)", a.Name);
    }

    [Fact]
    public void Bad_arguments_are_rejected_with_clear_errors()
    {
        using var scope = NewDisposeScope();
        var x = zeros(1, 1, 4, 4);
        Assert.Throws<ArgumentOutOfRangeException>(() => Corruptions.GaussianNoise(x, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Corruptions.Contrast(x, 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => Corruptions.Occlude(x, 2));
        Assert.Throws<ArgumentException>(() => Corruptions.GaussianBlur(zeros(4, 4), 1));
        Assert.Throws<ArgumentException>(() => Corruptions.Rotate(zeros([1, 1, 4, 4], ScalarType.Int64), 10));
    }
}
