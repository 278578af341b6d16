using F = TorchSharp.torch.nn.functional;

namespace FisherKit.Tests.TorchSharpAdditions;

/// <summary>
/// MaxPooling runs a C# kernel (window maxima found in C#, values by index_select) for contiguous
/// float CPU inputs and libtorch's max pooling otherwise. Values, indices, gradients and second
/// derivatives must equal libtorch's max_pool2d_with_indices exactly, including ties (the first maximum
/// takes the whole gradient), NaN (the last NaN wins), infinities, overlapping windows, padding,
/// dilation and ceil mode, in float32 and float64, with the planes split among threads or not.
/// </summary>
public class MaxPoolingTests
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
        { [4, 16, 12, 12], [2, 2], [2, 2], [0, 0], [1, 1], false }, // enough planes to split among threads
    };

    private static (Tensor y, Tensor dx, Tensor ddy) Run(Func<Tensor, Tensor> pool, Tensor x0, Tensor dy)
    {
        using var grad = enable_grad();
        var x = x0.detach().requires_grad_();
        var y = pool(x);
        var v = dy.detach().requires_grad_();
        var dx = SafeAutograd.grad([y], [x], [v], create_graph: true)[0]!;
        // Second derivative: d/dv ⟨dx, x0⟩ (the backward is linear in v).
        var ddy = SafeAutograd.grad([(dx * x0.nan_to_num(0, 0, 0)).sum()], [v])[0]!;
        return (y.detach(), dx.detach(), ddy.detach());
    }

    private static void AssertSame(Tensor input, long[] k, long[] s, long[] p, long[] d, bool ceil)
    {
        Assert.NotNull(MaxPooling.FlatPositions(input, k, s, p, d, ceil));   // the C# kernel takes it
        var (v0, i0) = F.max_pool2d_with_indices(input, k, s, p, d, ceil);
        using var g = new Generator(11);
        var dy = randn(v0.shape, generator: g).to(input.dtype);
        var (y0, dx0, ddy0) = Run(x => F.max_pool2d_with_indices(x, k, s, p, d, ceil).Item1, input, dy);
        var (y1, dx1, ddy1) = Run(x => MaxPooling.MaxPool2dWithIndices(x, k, s, p, d, ceil).Values, input, dy);
        var (y2, _, _) = Run(x => MaxPooling.MaxPool2d(x, k, s, p, d, ceil), input, dy);
        Assert.Equal(y0.shape, y1.shape);
        Assert.True(y1.allclose(y0, rtol: 0, atol: 0, equal_nan: true), "values differ");
        Assert.True(y2.allclose(y0, rtol: 0, atol: 0, equal_nan: true), "values of MaxPool2d differ");
        Assert.True(dx1.allclose(dx0, rtol: 0, atol: 0), "gradients differ");
        Assert.True(ddy1.allclose(ddy0, rtol: 0, atol: 0, equal_nan: true), "second derivatives differ");
        var (v1, i1) = MaxPooling.MaxPool2dWithIndices(input, k, s, p, d, ceil);
        Assert.True(v1.allclose(v0, rtol: 0, atol: 0, equal_nan: true), "values of max_pool2d_with_indices differ");
        Assert.Equal(i0.ToArray<long>(), i1.ToArray<long>());
    }

    [Theory, MemberData(nameof(Geometries))]
    public void Values_indices_and_gradients_equal_libtorchs(long[] shape, long[] k, long[] s, long[] p, long[] d, bool ceil)
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(3);
        var x = randn(shape, dtype: float64, generator: g);
        foreach (var dtype in new[] { float64, float32 })
        {
            AssertSame(x.to(dtype), k, s, p, d, ceil);
            // The planes split among threads give the same positions.
            var one = MaxPooling.FlatPositions(x.to(dtype), k, s, p, d, ceil, parts: 1)!;
            var three = MaxPooling.FlatPositions(x.to(dtype), k, s, p, d, ceil, parts: 3)!;
            Assert.True(one.eq(three).all().item<bool>(), "positions differ between one part and three");
        }
    }

    [Fact]
    public void Ties_send_the_gradient_to_the_first_maximum_as_libtorch_does()
    {
        using var scope = NewDisposeScope();
        // A ReLU-like input: large constant regions (the background of an image), so most windows tie.
        using var g = new Generator(4);
        var x = randn([2, 3, 8, 8], generator: g).clamp(min: 0).round();
        AssertSame(x, [2, 2], [2, 2], [0, 0], [1, 1], false);
        AssertSame(x, [3, 3], [1, 1], [1, 1], [1, 1], false);
        AssertSame(zeros(1, 2, 6, 6, dtype: float64), [2, 2], [2, 2], [0, 0], [1, 1], false);   // all tied
    }

    [Fact]
    public void NaN_and_infinities_are_pooled_as_libtorch_pools_them()
    {
        using var scope = NewDisposeScope();
        var values = Enumerable.Range(0, 2 * 6 * 6).Select(i => (double)(i % 7)).ToArray();
        values[0 * 36 + 1 * 6 + 1] = double.NaN;                   // one NaN in a window
        values[0 * 36 + 0 * 6 + 4] = double.NaN;                   // two NaN in one window: the last one is chosen
        values[0 * 36 + 1 * 6 + 5] = double.NaN;
        values[0 * 36 + 2 * 6 + 0] = double.NaN;                   // NaN in the first row of a window, a larger value below
        values[0 * 36 + 3 * 6 + 0] = 100;
        values[1 * 36 + 2 * 6 + 2] = double.PositiveInfinity;
        values[1 * 36 + 4 * 6 + 4] = double.NegativeInfinity;
        var x = tensor(values).reshape(1, 2, 6, 6);
        foreach (var dtype in new[] { float64, float32 })
        {
            AssertSame(x.to(dtype), [2, 2], [2, 2], [0, 0], [1, 1], false);   // the 2×2 tree
            AssertSame(x.to(dtype), [3, 3], [1, 1], [1, 1], [1, 1], false);   // the general loop
        }
        AssertSame(full([1, 1, 4, 4], double.NegativeInfinity, dtype: float64), [2, 2], [2, 2], [0, 0], [1, 1], false);
    }

    [Fact]
    public void Other_inputs_go_to_libtorch_and_keep_its_errors()
    {
        using var scope = NewDisposeScope();
        var x = randn(1, 1, 4, 4);
        Assert.Null(MaxPooling.FlatPositions(x.permute(0, 1, 3, 2), [2, 2], null, null, null, false));   // not contiguous
        Assert.Null(MaxPooling.FlatPositions(zeros([1, 1, 4, 4], dtype: int64), [2, 2], null, null, null, false));
        Assert.Null(MaxPooling.FlatPositions(x, [2, 2], null, [2, 2], null, false));                   // padding beyond half the kernel
        Assert.Null(MaxPooling.FlatPositions(x.reshape(1, 4, 4), [2, 2], null, null, null, false));       // unbatched
        var e = Assert.ThrowsAny<Exception>(() => MaxPooling.MaxPool2d(x, [2, 2], padding: [2, 2]));
        Assert.Contains("pad", e.Message, StringComparison.OrdinalIgnoreCase);
        var strided = x.permute(0, 1, 3, 2);
        Assert.True(MaxPooling.MaxPool2d(strided, [2, 2]).allclose(F.max_pool2d(strided, [2, 2])));
        var (v, i) = MaxPooling.MaxPool2dWithIndices(x.reshape(1, 4, 4), [2, 2]);
        var (v0, i0) = F.max_pool2d_with_indices(x.reshape(1, 4, 4), [2, 2]);
        Assert.True(v.eq(v0).all().item<bool>() && i.eq(i0).all().item<bool>());
        Assert.Contains("kernelSize", Assert.Throws<ArgumentException>(() => MaxPooling.MaxPool2d(x, [2, 2, 2])).Message);
    }
}
