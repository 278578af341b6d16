using FisherKit.Torch.Tests.Support;
using F = FisherKit.Torch.torch.nn.functional;

namespace FisherKit.Torch.Tests.Modules;

/// <summary>
/// max_pool2d (and max_pool2d_with_indices) runs a C# kernel (window maxima found in C#, output by index_select) for contiguous
/// float CPU inputs and libtorch's max_pool2d otherwise. Values, gradients and second derivatives
/// must equal libtorch's, including ties (the first maximum takes the whole gradient), NaN,
/// overlapping windows, padding, dilation and ceil mode.
/// </summary>
public class MaxPoolKernelTests
{
    public static TheoryData<long[], long[], long[], long[], long[], bool> Geometries => new()
    {
        // input, kernel, stride, padding, dilation, ceil mode
        { [2, 3, 8, 8], [2, 2], [2, 2], [0, 0], [1, 1], false },
        { [2, 3, 9, 7], [2, 2], [2, 2], [0, 0], [1, 1], false },   // odd sizes: last row/column dropped
        { [2, 3, 9, 7], [2, 2], [2, 2], [0, 0], [1, 1], true },    // ... or pooled in a partial window
        { [1, 2, 7, 8], [3, 3], [1, 2], [1, 1], [1, 1], false },   // overlapping windows, padding
        { [1, 2, 10, 9], [3, 2], [2, 1], [1, 1], [2, 3], true },   // dilation
        { [3, 1, 5, 5], [5, 5], [1, 1], [2, 2], [1, 1], false },
    };

    private static (Tensor y, Tensor dx, Tensor ddy) Run(Func<Tensor, Tensor> pool, Tensor x0, Tensor dy)
    {
        using var grad = enable_grad();
        var x = x0.detach().requires_grad_();
        var y = pool(x);
        var v = dy.detach().requires_grad_();
        var dx = autograd.grad([y], [x], [v], create_graph: true)[0]!;
        // Second derivative: d/dv ⟨dx, x0⟩ (the backward is linear in v).
        var ddy = autograd.grad([(dx * x0).sum()], [v])[0]!;
        return (y.detach(), dx.detach(), ddy.detach());
    }

    private static void AssertSame(Tensor input, long[] k, long[] s, long[] p, long[] d, bool ceil)
    {
        Assert.True(MaxPoolKernel.TryPool(input, k, s, p, d, ceil, out var probe), "the C# kernel declined a contiguous float CPU input");
        probe!.Dispose();
        var reference = F.LibtorchMaxPool2d(input, k, s, p, d, ceil);
        using var data = new Data(11);
        var dy = data.N(reference.shape).to(input.dtype);
        var (y0, dx0, ddy0) = Run(x => F.LibtorchMaxPool2d(x, k, s, p, d, ceil), input, dy);
        var (y1, dx1, ddy1) = Run(x => F.max_pool2d(x, k, s, p, d, ceil), input, dy);
        Assert.Equal(y0.shape, y1.shape);
        Assert.True(y1.allclose(y0, rtol: 0, atol: 0, equal_nan: true), "values differ");
        Assert.True(dx1.allclose(dx0, rtol: 0, atol: 0), "gradients differ");
        Assert.True(ddy1.allclose(ddy0, rtol: 0, atol: 0, equal_nan: true), "second derivatives differ");
        // max_pool2d_with_indices: libtorch's per-plane positions.
        var (v0, i0) = F.LibtorchMaxPool2dWithIndices(input, k, s, p, d, ceil);
        var (v1, i1) = F.max_pool2d_with_indices(input, k, s, p, d, ceil);
        Assert.True(v1.allclose(v0, rtol: 0, atol: 0, equal_nan: true), "values of max_pool2d_with_indices differ");
        Assert.Equal(i0.ToArray<long>(), i1.ToArray<long>());
    }

    [Theory, MemberData(nameof(Geometries))]
    public void Values_and_gradients_equal_libtorchs(long[] shape, long[] k, long[] s, long[] p, long[] d, bool ceil)
    {
        using var scope = NewDisposeScope();
        using var data = new Data(3);
        foreach (var dtype in new[] { float64, float32 }) AssertSame(data.N(shape).to(dtype), k, s, p, d, ceil);
    }

    [Fact]
    public void Ties_send_the_gradient_to_the_first_maximum_as_libtorch_does()
    {
        using var scope = NewDisposeScope();
        // A ReLU-like input: large constant regions (the background of an image), so most windows tie.
        using var data = new Data(4);
        var x = data.N(2, 3, 8, 8).clamp(min: 0).round();
        AssertSame(x, [2, 2], [2, 2], [0, 0], [1, 1], false);
        AssertSame(x, [3, 3], [1, 1], [1, 1], [1, 1], false);
    }

    [Fact]
    public void NaN_and_infinities_are_pooled_as_libtorch_pools_them()
    {
        using var scope = NewDisposeScope();
        var values = Enumerable.Range(0, 2 * 6 * 6).Select(i => (double)(i % 7)).ToArray();
        values[0 * 36 + 1 * 6 + 1] = double.NaN;                   // one NaN in a window
        values[0 * 36 + 0 * 6 + 4] = double.NaN;                   // two NaN in one window: the last one is chosen
        values[0 * 36 + 1 * 6 + 5] = double.NaN;
        values[1 * 36 + 2 * 6 + 2] = double.PositiveInfinity;
        values[1 * 36 + 4 * 6 + 4] = double.NegativeInfinity;
        var x = tensor(values).reshape(1, 2, 6, 6);
        AssertSame(x, [2, 2], [2, 2], [0, 0], [1, 1], false);   // the 2×2 tree
        AssertSame(x, [3, 3], [1, 1], [1, 1], [1, 1], false);   // the general loop
        AssertSame(full([1, 1, 4, 4], double.NegativeInfinity, dtype: float64), [2, 2], [2, 2], [0, 0], [1, 1], false);
    }

    [Fact]
    public void Other_inputs_go_to_libtorch_and_keep_its_errors()
    {
        using var scope = NewDisposeScope();
        var x = zeros(1, 1, 4, 4);
        Assert.False(MaxPoolKernel.TryPool(x.permute(0, 1, 3, 2), [2, 2], [2, 2], [0, 0], [1, 1], false, out _));   // not contiguous
        Assert.False(MaxPoolKernel.TryPool(zeros([1, 1, 4, 4], dtype: int64), [2, 2], [2, 2], [0, 0], [1, 1], false, out _));
        Assert.False(MaxPoolKernel.TryPool(x, [2, 2], [2, 2], [2, 2], [1, 1], false, out _));                      // padding beyond half the kernel
        var e = Assert.ThrowsAny<Exception>(() => F.max_pool2d(x, [2, 2], padding: [2, 2]));
        Assert.Contains("pad", e.Message, StringComparison.OrdinalIgnoreCase);
        var strided = x.permute(0, 1, 3, 2);
        Assert.True(F.max_pool2d(strided, [2, 2]).allclose(F.LibtorchMaxPool2d(strided, [2, 2], [2, 2], [0, 0], [1, 1], false)));
    }
}
