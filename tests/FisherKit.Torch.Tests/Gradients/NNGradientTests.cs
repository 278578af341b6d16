using FisherKit.Torch.Tests.Support;
using F = FisherKit.Torch.torch.nn.functional;

namespace FisherKit.Torch.Tests.Gradients;

/// <summary>Functional layers, pooling, normalisation, activations and resampling: autograd vs finite differences.</summary>
public class NNGradientTests
{
    private static readonly Dictionary<string, (Func<Data, Tensor[]> inputs, Func<Tensor[], Tensor> f)> Ops = new()
    {
        ["linear"] = (d => [d.N(3, 4), d.N(2, 4), d.N(2)], x => F.linear(x[0], x[1], x[2])),
        ["linear without bias, batched input"] = (d => [d.N(2, 3, 4), d.N(2, 4)], x => F.linear(x[0], x[1])),
        ["conv1d"] = (d => [d.N(2, 2, 7), d.N(3, 2, 3), d.N(3)], x => F.conv1d(x[0], x[1], x[2])),
        ["conv1d stride, padding, dilation"] = (d => [d.N(1, 2, 9), d.N(2, 2, 3)], x => F.conv1d(x[0], x[1], null, [2], [1], [2])),
        ["conv2d"] = (d => [d.N(2, 2, 5, 5), d.N(3, 2, 3, 3), d.N(3)], x => F.conv2d(x[0], x[1], x[2])),
        ["conv2d stride and padding"] = (d => [d.N(1, 2, 6, 5), d.N(2, 2, 3, 2)], x => F.conv2d(x[0], x[1], null, [2, 1], [1, 0])),
        ["conv2d dilation and groups"] = (d => [d.N(1, 4, 6, 6), d.N(4, 2, 2, 2), d.N(4)], x => F.conv2d(x[0], x[1], x[2], dilation: [2], groups: 2)),
        ["conv_transpose2d"] = (d => [d.N(1, 2, 3, 3), d.N(2, 3, 3, 3), d.N(3)], x => F.conv_transpose2d(x[0], x[1], x[2])),
        ["conv_transpose2d stride, padding, output_padding"] = (d => [d.N(1, 2, 3, 3), d.N(2, 2, 3, 3)],
            x => F.conv_transpose2d(x[0], x[1], null, stride: [2], padding: [1], output_padding: [1])),
        ["max_pool1d"] = (d => [d.N(1, 2, 8)], x => F.max_pool1d(x[0], 2)),
        ["max_pool2d"] = (d => [d.N(1, 2, 4, 4)], x => F.max_pool2d(x[0], 2)),
        ["max_pool2d stride and padding"] = (d => [d.N(1, 1, 5, 5)], x => F.max_pool2d(x[0], [3], [2], [1])),
        ["avg_pool1d"] = (d => [d.N(1, 2, 7)], x => F.avg_pool1d(x[0], 3, 2, 1)),
        ["avg_pool2d"] = (d => [d.N(1, 2, 4, 4)], x => F.avg_pool2d(x[0], [2])),
        ["avg_pool2d ceil mode without padding counts"] = (d => [d.N(1, 1, 5, 5)], x => F.avg_pool2d(x[0], [2], [2], [1], ceil_mode: true, count_include_pad: false)),
        ["adaptive_avg_pool1d"] = (d => [d.N(1, 2, 7)], x => F.adaptive_avg_pool1d(x[0], 3)),
        ["adaptive_avg_pool2d"] = (d => [d.N(1, 2, 5, 7)], x => F.adaptive_avg_pool2d(x[0], [2, 3])),
        ["adaptive_max_pool2d"] = (d => [d.N(1, 2, 4, 6)], x => F.adaptive_max_pool2d(x[0], [2, 2])),
        ["batch_norm (training, batch statistics)"] = (d => [d.N(4, 3), d.N(3), d.N(3)], x => F.batch_norm(x[0], null, null, x[1], x[2], training: true)),
        ["batch_norm 2-D input (training)"] = (d => [d.N(2, 3, 2, 2), d.N(3), d.N(3)], x => F.batch_norm(x[0], null, null, x[1], x[2], training: true)),
        ["batch_norm (eval, running statistics)"] = (d => [d.N(4, 3), d.N(3), d.N(3)],
            x => F.batch_norm(x[0], tensor(new[] { 0.3, -0.2, 1.1 }), tensor(new[] { 0.5, 1.7, 2.2 }), x[1], x[2], training: false)),
        ["layer_norm"] = (d => [d.N(2, 3, 4), d.N(3, 4), d.N(3, 4)], x => F.layer_norm(x[0], [3, 4], x[1], x[2])),
        ["layer_norm without affine"] = (d => [d.N(3, 5)], x => F.layer_norm(x[0], [5])),
        ["group_norm"] = (d => [d.N(2, 4, 3), d.N(4), d.N(4)], x => F.group_norm(x[0], 2, x[1], x[2])),
        ["relu"] = (d => [d.AwayFromZero(0.1, 2, 3, 4)], x => F.relu(x[0])),
        ["leaky_relu"] = (d => [d.AwayFromZero(0.1, 2, 3, 4)], x => F.leaky_relu(x[0], 0.2)),
        ["elu"] = (d => [d.AwayFromZero(0.1, 2, 3, 4)], x => F.elu(x[0], 1.3)),
        ["gelu"] = (d => [d.N(3, 4)], x => F.gelu(x[0])),
        ["gelu (tanh approximation)"] = (d => [d.N(3, 4)], x => F.gelu(x[0], tanh_approximation: true)),
        ["silu"] = (d => [d.N(3, 4)], x => F.silu(x[0])),
        ["tanh"] = (d => [d.N(3, 4)], x => F.tanh(x[0])),
        ["sigmoid"] = (d => [d.N(3, 4)], x => F.sigmoid(x[0])),
        ["softplus"] = (d => [d.N(3, 4)], x => F.softplus(x[0], beta: 2, threshold: 3)),
        ["log_sigmoid"] = (d => [d.N(3, 4)], x => F.log_sigmoid(x[0])),
        ["hardtanh"] = (d => [d.U(-2, 2, 3, 4)], x => F.hardtanh(x[0], -0.95, 0.97)),
        ["softmax"] = (d => [d.N(3, 4)], x => F.softmax(x[0], 1)),
        ["softmax over dim 0"] = (d => [d.N(3, 4)], x => F.softmax(x[0], 0)),
        ["log_softmax"] = (d => [d.N(3, 4)], x => F.log_softmax(x[0], -1)),
        ["interpolate nearest"] = (d => [d.N(1, 2, 3, 3)], x => F.interpolate(x[0], size: [5, 4])),
        ["interpolate linear"] = (d => [d.N(1, 2, 4)], x => F.interpolate(x[0], scale_factor: [2.5], mode: InterpolationMode.Linear)),
        ["interpolate bilinear"] = (d => [d.N(1, 2, 3, 3)], x => F.interpolate(x[0], size: [5, 4], mode: InterpolationMode.Bilinear)),
        ["interpolate bilinear, align_corners"] = (d => [d.N(1, 1, 3, 4)], x => F.interpolate(x[0], scale_factor: [2, 1.5], mode: InterpolationMode.Bilinear, align_corners: true)),
        ["interpolate bicubic"] = (d => [d.N(1, 1, 4, 4)], x => F.interpolate(x[0], size: [6, 5], mode: InterpolationMode.Bicubic)),
        ["affine_grid"] = (d => [d.N(1, 2, 3)], x => F.affine_grid(x[0], [1, 1, 3, 4])),
        ["grid_sample (input and grid)"] = (d => [d.N(1, 2, 4, 4), d.U(-0.9, 0.9, 1, 3, 3, 2)], x => F.grid_sample(x[0], x[1], align_corners: true)),
        ["unfold"] = (d => [d.N(1, 2, 4, 4)], x => F.unfold(x[0], [2, 3], stride: [1, 2])),
        ["fold"] = (d => [d.N(1, 8, 6)], x => F.fold(x[0], [3, 4], [2, 2])),
        ["dropout (not training: identity)"] = (d => [d.N(3, 4)], x => F.dropout(x[0], 0.5, training: false)),
        ["one_hot times input"] = (d => [d.N(4, 3)], x => x[0] * F.one_hot(tensor(new long[] { 2, 0, 1, 2 }), 3).to(float64)),
    };

    public static TheoryData<string> Cases => [.. Ops.Keys];

    [Theory, MemberData(nameof(Cases))]
    public void Functional_gradient_matches_finite_differences(string op)
    {
        using var scope = NewDisposeScope();
        using var d = new Data(51);
        var (inputs, f) = Ops[op];
        GradCheck.Check(f, inputs(d));
    }

    [Fact]
    public void Dropout_in_training_scales_kept_gradients_by_one_over_one_minus_p()
    {
        using var scope = NewDisposeScope();
        var x = ones([200, 50], float64, requires_grad: true);
        var y = F.dropout(x, 0.3, training: true);
        var w = GradCheck.Projection(y.shape);
        var g = autograd.grad([(y * w).sum()], [x])[0]!;
        var kept = y.detach().ne(0).to(float64);
        AssertClose.Tensors(kept * w / 0.7, g, 1e-12, 1e-12);
        AssertClose.Tensors(kept / 0.7, y.detach(), 1e-12, 1e-12);
        var fractionKept = kept.mean().item();
        Assert.InRange(fractionKept, 0.67, 0.73);   // 10,000 Bernoulli(0.7) draws: ±0.01 is ~2 standard deviations
    }

    [Fact]
    public void Dropout2d_in_training_drops_whole_channels()
    {
        using var scope = NewDisposeScope();
        var y = F.dropout2d(ones([8, 16, 3, 3], float64), 0.5, training: true);
        var perChannel = y.amax([2, 3]) - y.amin([2, 3]);
        Assert.Equal(0, perChannel.abs().max().item());
        var values = y.unique().values.ToArray<double>();
        Assert.All(values, v => Assert.True(v == 0 || Math.Abs(v - 2) < 1e-12));
    }
}
