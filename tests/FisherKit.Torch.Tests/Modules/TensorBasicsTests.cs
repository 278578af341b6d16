using FisherKit.Torch.Tests.Support;

namespace FisherKit.Torch.Tests.Modules;

/// <summary>Creation, conversion, data transfer and printing, against closed forms.</summary>
public class TensorBasicsTests
{
    [Fact]
    public void Creation_functions_give_their_closed_form_values()
    {
        using var scope = NewDisposeScope();
        Assert.Equal(new float[6], zeros(2, 3).ToArray<float>());
        Assert.Equal(Enumerable.Repeat(1f, 6), ones(2, 3).ToArray<float>());
        Assert.Equal(Enumerable.Repeat(2.5, 4), full([2, 2], 2.5, float64).ToArray<double>());
        Assert.Equal(new double[] { 1, 0, 0, 0, 1, 0 }, eye(2, 3, float64).ToArray<double>());
        Assert.Equal(new long[] { 0, 1, 2, 3 }, arange(4).ToArray<long>());
        Assert.Equal(new long[] { 2, 5, 8 }, arange(2, 10, 3).ToArray<long>());
        AssertClose.Arrays([0.0, 0.25, 0.5, 0.75, 1.0], linspace(0, 1, 5, float64).ToArray<double>(), 1e-15, 0);
        AssertClose.Arrays([1.0, 0.5, 0.0], arange(1, -0.1, -0.5, float64).ToArray<double>(), 1e-15, 0);
        Assert.Equal(3.5, scalar_tensor(3.5, float64).item());
        var like = zeros_like(ones([2, 2], float64));
        Assert.Equal(float64, like.dtype);
        Assert.Equal(new long[] { 2, 2 }, like.shape);
    }

    [Fact]
    public void Arrays_of_any_rank_and_type_round_trip()
    {
        using var scope = NewDisposeScope();
        var t = tensor(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        Assert.Equal(new long[] { 2, 3 }, t.shape);
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, t.ToArray<float>());
        Assert.Equal(new[] { true, false }, tensor(new[] { true, false }).ToArray<bool>());
        Assert.Equal(new long[] { long.MinValue, long.MaxValue }, tensor(new[] { long.MinValue, long.MaxValue }).ToArray<long>());
        Assert.Equal(new int[] { -7, 9 }, tensor(new[] { -7, 9 }).ToArray<int>());
        Assert.Equal(6, tensor(new[] { 6L }).item<long>());
        Assert.Equal(6, tensor(new[] { 6L }).item<int>());
        Assert.Equal(0.5f, tensor(new[] { 0.5 }).item<float>());
        // A non-contiguous view copies out in logical (row-major) order.
        Assert.Equal(new float[] { 1, 4, 2, 5, 3, 6 }, t.t().ToArray<float>());
        Assert.Equal(new double[] { 1, 4, 2, 5, 3, 6 }, t.t().ToDoubleArray());
    }

    [Fact]
    public void Dtype_conversion_rounds_and_truncates_as_libtorch()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { -1.7, -0.5, 0.5, 2.9 });
        Assert.Equal(new long[] { -1, 0, 0, 2 }, x.to(int64).ToArray<long>());
        Assert.Equal(new[] { true, true, true, true }, x.to(@bool).ToArray<bool>());
        Assert.Equal(float32, x.@float().dtype);
        Assert.Equal(x.ToArray<double>().Select(v => (float)v), x.to(float32).ToArray<float>());
        var same = x.to(float64);
        Assert.True(same.is_alias_of(x));
        Assert.False(x.to(float64, copy: true).is_alias_of(x));
    }

    [Fact]
    public void ToString_shows_values_shape_dtype_and_device()
    {
        using var scope = NewDisposeScope();
        var s = tensor(new float[] { 0.1f, 0.2f, 0.3f, 0.4f }, [2, 2]).ToString();
        Assert.Equal("tensor([[0.1, 0.2], [0.3, 0.4]], shape=[2, 2], dtype=float32, device=cpu)", s);
        Assert.Equal("tensor([1, -2], shape=[2], dtype=int64, device=cpu)", tensor(new long[] { 1, -2 }).ToString());
        Assert.Equal("tensor([True, False], shape=[2], dtype=bool, device=cpu)", tensor(new[] { true, false }).ToString());
        Assert.Contains("requires_grad=True", ones([1], requires_grad: true).ToString());
        Assert.Contains("nan", tensor(new[] { double.NaN }).ToString());
        var big = arange(0, 2000, 1, float64).ToString();
        Assert.StartsWith("tensor([0, 1, 2, ..., 1997, 1998, 1999], shape=[2000], dtype=float64", big);
        Assert.Equal("tensor(3.5, shape=[], dtype=float64, device=cpu)", scalar_tensor(3.5, float64).ToString());
    }

    [Fact]
    public void Views_share_storage_and_writes_go_through()
    {
        using var scope = NewDisposeScope();
        var x = zeros([3, 4], float64);
        var row = x[1];
        row.fill_(2);
        x[.., 3] = ones([3], float64) * 7;
        x.SetValue(-1, 0, 0);
        Assert.Equal(new double[] { -1, 0, 0, 7, 2, 2, 2, 7, 0, 0, 0, 7 }, x.ToArray<double>());
        x[x.lt(0)] = full([1], 5.0, float64);
        Assert.Equal(5, x[0, 0].item());
    }
}

/// <summary>Process-wide settings: threads and the default dtype.</summary>
[Collection(SerialCollection.Name)]
public class RuntimeSettingsTests
{
    [Fact]
    public void Thread_count_can_be_set_and_read_back()
    {
        var before = get_num_threads();
        try
        {
            set_num_threads(1);
            Assert.Equal(1, get_num_threads());
            Assert.Throws<ArgumentOutOfRangeException>(() => set_num_threads(0));
        }
        finally { set_num_threads(before); }
    }

    [Fact]
    public void Default_dtype_applies_to_creation_and_must_be_floating_point()
    {
        try
        {
            set_default_dtype(float64);
            using var x = randn(2);
            Assert.Equal(float64, x.dtype);
            Assert.Throws<ArgumentException>(() => set_default_dtype(int64));
        }
        finally { set_default_dtype(float32); }
        using var y = zeros(2);
        Assert.Equal(float32, y.dtype);
    }

    [Fact]
    public void Build_info_names_the_libtorch_version()
    {
        var info = build_info();
        Assert.Matches(@"^\d+\.\d+\.\d+$", info["torch_version"]);
        Assert.Equal($"{FisherKit.Torch.Native.NativeLibraryLoader.ExpectedAbiVersion}", info["abi"]);
    }
}
