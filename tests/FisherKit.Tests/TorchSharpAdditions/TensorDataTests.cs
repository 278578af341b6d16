namespace FisherKit.Tests.TorchSharpAdditions;

/// <summary>TensorData.ToArray / ToDoubleArray: row-major elements of any layout, exact dtype required.</summary>
public class TensorDataTests
{
    [Fact]
    public void A_dtype_that_does_not_hold_the_element_type_is_rejected_and_named()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<ArgumentException>(() => ones(2).ToArray<double>());
        Assert.Contains("Float64", e.Message);
        Assert.Contains("Float32", e.Message);
        Assert.Throws<ArgumentException>(() => ones([2], int32).ToArray<long>());
        Assert.Throws<ArgumentException>(() => ones([2], float64).ToArray<float>());
        Assert.Throws<NotSupportedException>(() => ones([2], int64).ToArray<ulong>());
    }

    [Fact]
    public void A_transposed_tensor_gives_the_elements_of_the_transpose_in_row_major_order()
    {
        using var scope = NewDisposeScope();
        var m = arange(6, dtype: float64).reshape(2, 3);      // [[0 1 2], [3 4 5]]
        var t = m.t();
        Assert.False(t.is_contiguous());
        Assert.Equal([0.0, 3, 1, 4, 2, 5], t.ToArray<double>());
        Assert.Equal([0.0, 1, 2, 3, 4, 5], m.ToArray<double>());
    }

    [Fact]
    public void Strided_offset_and_expanded_views_give_their_own_elements()
    {
        using var scope = NewDisposeScope();
        var v = arange(10, dtype: int64);
        Assert.Equal([1L, 3, 5, 7], v.slice(0, 1, 9, 2).ToArray<long>());                // stride 2
        var narrowed = v.narrow(0, 3, 4);                                                  // contiguous, storage offset 3
        Assert.True(narrowed.is_contiguous());
        Assert.Equal([3L, 4, 5, 6], narrowed.ToArray<long>());
        Assert.Equal([7L, 7, 7, 8, 8, 8], v.narrow(0, 7, 2).unsqueeze(1).expand(2, 3).ToArray<long>());   // stride 0
        var cube = arange(24, dtype: float32).reshape(2, 3, 4).permute(2, 0, 1);
        Assert.Equal(cube.contiguous().ToArray<float>(), cube.ToArray<float>());
        Assert.Equal(new float[] { 0, 4, 8, 12, 16, 20 }, cube[0].ToArray<float>());   // element [0, j, k] is [j, k, 0] of the original
    }

    [Fact]
    public void Every_supported_element_type_scalars_empty_tensors_and_tensors_that_require_grad()
    {
        using var scope = NewDisposeScope();
        Assert.Equal([true, false, true], tensor(new[] { true, false, true }).ToArray<bool>());
        Assert.Equal(new byte[] { 0, 255 }, tensor(new byte[] { 0, 255 }).ToArray<byte>());
        Assert.Equal(new sbyte[] { -128, 127 }, tensor(new sbyte[] { -128, 127 }).ToArray<sbyte>());
        Assert.Equal(new short[] { -3, 4 }, tensor(new short[] { -3, 4 }).ToArray<short>());
        Assert.Equal([-3, 4], tensor(new[] { -3, 4 }).ToArray<int>());
        Assert.Equal([1L << 40], tensor(new[] { 1L << 40 }).ToArray<long>());
        Assert.Equal([2.5], tensor(2.5).ToArray<double>());
        Assert.Empty(zeros(0, 3).ToArray<float>());
        Assert.Empty(zeros(3, 0).t().ToArray<float>());
        Assert.Empty(zeros([0], int64).ToDoubleArray());
        var w = ones([2, 2], requires_grad: true);
        Assert.Equal([1f, 1, 1, 1], (w * 1).t().ToArray<float>());
        Assert.Equal([1f, 1, 1, 1], w.ToArray<float>());
    }

    [Fact]
    public void ToDoubleArray_converts_any_real_dtype_and_layout()
    {
        using var scope = NewDisposeScope();
        Assert.Equal([0.5, -2], tensor(new[] { 0.5f, -2f }).ToDoubleArray());
        Assert.Equal([1.0, 0, 1], tensor(new[] { true, false, true }).ToDoubleArray());
        Assert.Equal([0.0, 3, 1, 4, 2, 5], arange(6, dtype: int32).reshape(2, 3).t().ToDoubleArray());
        Assert.Equal([1.0 / 3], tensor(new[] { 1.0 / 3 }).ToDoubleArray());
    }

    [Fact]
    public void A_disposed_tensor_is_an_ObjectDisposedException()
    {
        var t = ones(2);
        t.Dispose();
        Assert.Throws<ObjectDisposedException>(() => t.ToArray<float>());
        Assert.Throws<ObjectDisposedException>(() => t.ToDoubleArray());
    }
}
