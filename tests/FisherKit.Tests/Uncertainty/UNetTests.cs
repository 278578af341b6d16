using FisherKit.Uncertainty;
using FisherKit.Models;

namespace FisherKit.Tests.Uncertainty;

public class UNetTests
{
    [Fact]
    public void The_unet_maps_images_to_images_with_mean_or_gaussian_heads()
    {
        using var scope = NewDisposeScope();
        manual_seed(0);
        using var mean = new UNet(new UNetOptions(9, Depth: 2, BaseWidth: 4));
        using var gauss = new UNet(new UNetOptions(9, OutChannels: 2, Depth: 3, BaseWidth: 4, Head: RegressionHead.Gaussian, MinVariance: 1e-3));
        var x = randn(3, 9, 32, 32);
        Assert.Equal(new long[] { 3, 1, 32, 32 }, mean.call(x).shape);
        var y = gauss.call(x);
        Assert.Equal(new long[] { 3, 4, 32, 32 }, y.shape);
        var (mu, v) = gauss.Split(y);
        Assert.Equal(new long[] { 3, 2, 32, 32 }, mu.shape);
        Assert.True(v!.min().ToDouble() >= 1e-3 - 1e-7, "softplus variance plus floor is at least the floor");
        var (output, features) = mean.ForwardWithFeatures(x);
        Assert.Equal(new long[] { 3, 4, 32, 32 }, features.shape);
        Assert.True(allclose(output, mean.call(x), atol: 1e-6));
    }

    [Fact]
    public void Wrong_input_shapes_raise_clear_errors()
    {
        using var scope = NewDisposeScope();
        using var net = new UNet(new UNetOptions(9, Depth: 3, BaseWidth: 4));
        var e = Assert.Throws<ArgumentException>(() => net.call(randn(1, 9, 20, 20)));
        Assert.Contains("divisible by 8", e.Message);
        Assert.Contains("9 input channels", Assert.Throws<ArgumentException>(() => net.call(randn(1, 3, 16, 16))).Message);
        Assert.Throws<ArgumentException>(() => net.call(randn(9, 16, 16)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new UNet(new UNetOptions(9, Dropout: 1.0)));
    }

    [Fact]
    public void The_gaussian_loss_is_the_masked_mean_of_the_gaussian_nll()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var net = new UNet(new UNetOptions(2, Depth: 1, BaseWidth: 3, Head: RegressionHead.Gaussian));
        var x = randn(2, 2, 4, 4);
        var target = randn(2, 1, 4, 4);
        var mask = tensor(Enumerable.Range(0, 16).Select(i => i % 3 != 0).ToArray(), [4, 4]);
        var output = net.call(x);
        double loss = RegressionLosses.Loss(net, output, target, mask).ToDouble();
        var (mu, v) = net.Split(output);
        var m = mask.ToArray<bool>();
        var muA = mu.ToDoubleArray(); var vA = v!.ToDoubleArray(); var yA = target.ToDoubleArray();
        double sum = 0; int count = 0;
        for (int b = 0; b < 2; b++)
            for (int p = 0; p < 16; p++)
                if (m[p])
                {
                    int i = b * 16 + p;
                    sum += 0.5 * (Math.Log(vA[i]) + (yA[i] - muA[i]) * (yA[i] - muA[i]) / vA[i]);
                    count++;
                }
        Assert.Equal(sum / count, loss, 5);
        // The MSE warm-up uses the mean only.
        double mse = RegressionLosses.Loss(net, output, target, mask, useMse: true).ToDouble();
        double expected = 0; count = 0;
        for (int b = 0; b < 2; b++)
            for (int p = 0; p < 16; p++)
                if (m[p]) { int i = b * 16 + p; expected += (yA[i] - muA[i]) * (yA[i] - muA[i]); count++; }
        Assert.Equal(expected / count, mse, 5);
    }

    [Fact]
    public void Training_data_with_nan_or_mismatched_grids_is_rejected()
    {
        using var scope = NewDisposeScope();
        var x = randn(4, 2, 8, 8);
        Assert.Throws<ArgumentException>(() => new RegressionData(x, randn(4, 1, 4, 4)));
        Assert.Throws<ArgumentException>(() => new RegressionData(x, randn(3, 1, 8, 8)));
        var bad = randn(4, 1, 8, 8);
        bad[0, 0, 1, 1].fill_(double.NaN);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => new RegressionData(x, bad)).Message);
        Assert.Throws<ArgumentException>(() => new RegressionData(x, randn(4, 1, 8, 8), ones(4, 4)));
    }
}
