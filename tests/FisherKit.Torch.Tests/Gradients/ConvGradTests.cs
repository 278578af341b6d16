using FisherKit.Torch.Tests.Support;
using F = FisherKit.Torch.torch.nn.functional;

namespace FisherKit.Torch.Tests.Gradients;

/// <summary>torch.nn.grad (libtorch's convolution backward called directly) against autograd through conv2d/conv1d.</summary>
public class ConvGradTests
{
    public static TheoryData<long[], long[], long[], long[], long[], long> Geometries => new()
    {
        // input, weight, stride, padding, dilation, groups
        { [2, 3, 7, 6], [4, 3, 3, 3], [1, 1], [0, 0], [1, 1], 1 },
        { [1, 4, 9, 8], [6, 2, 3, 2], [2, 1], [1, 2], [2, 1], 2 },
        { [3, 2, 5, 5], [5, 2, 1, 1], [1, 1], [0, 0], [1, 1], 1 },
    };

    [Theory, MemberData(nameof(Geometries))]
    public void Conv2d_gradients_equal_autograds(long[] xs, long[] ws, long[] s, long[] p, long[] d, long groups)
    {
        using var scope = NewDisposeScope();
        using var data = new Data(21);
        using var grad = enable_grad();
        var x = data.N(xs).requires_grad_();
        var w = data.N(ws).requires_grad_();
        var y = F.conv2d(x, w, null, s, p, d, groups);
        var dy = data.N(y.shape);
        var auto = autograd.grad([y], [x, w], [dy]);
        var gw = nn.grad.conv2d_weight(x.detach(), ws, dy, s, p, d, groups);
        var gx = nn.grad.conv2d_input(xs, w.detach(), dy, s, p, d, groups);
        Assert.Equal(ws, gw.shape);
        Assert.Equal(xs, gx.shape);
        Assert.True(gw.allclose(auto[1]!, rtol: 1e-12, atol: 1e-12));
        Assert.True(gx.allclose(auto[0]!, rtol: 1e-12, atol: 1e-12));
    }

    [Fact]
    public void Conv1d_weight_gradient_equals_autograds()
    {
        using var scope = NewDisposeScope();
        using var data = new Data(22);
        using var grad = enable_grad();
        var x = data.N(2, 3, 11);
        var w = data.N(4, 3, 3).requires_grad_();
        var y = F.conv1d(x, w, null, [2], [1], [2]);
        var dy = data.N(y.shape);
        var auto = autograd.grad([y], [w], [dy])[0]!;
        var gw = nn.grad.conv1d_weight(x, [4, 3, 3], dy, [2], [1], [2]);
        Assert.True(gw.allclose(auto, rtol: 1e-12, atol: 1e-12));
    }

    [Fact]
    public void A_weight_size_of_the_wrong_length_is_named()
    {
        using var x = zeros(1, 1, 4, 4);
        using var dy = zeros(1, 1, 2, 2);
        var e = Assert.Throws<ArgumentException>(() => nn.grad.conv2d_weight(x, [1, 1, 3], dy));
        Assert.Contains("weight_size", e.Message);
    }
}
