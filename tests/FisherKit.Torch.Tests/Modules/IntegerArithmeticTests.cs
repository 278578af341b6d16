namespace FisherKit.Torch.Tests.Modules;

/// <summary>
/// Scalars cross to libtorch as doubles; integral values must act as Python ints so that integer
/// tensors keep their dtype (a BatchNorm's int64 batch counter, labels + 1, index arithmetic).
/// </summary>
public class IntegerArithmeticTests
{
    [Fact]
    public void Integer_tensors_keep_their_dtype_under_integral_scalars()
    {
        using var scope = NewDisposeScope();
        var i = tensor(new long[] { 1, 2, 3 });
        Assert.Equal(int64, (i + 1).dtype);
        Assert.Equal(int64, (i * 2).dtype);
        Assert.Equal(int64, (i - 1).dtype);
        Assert.Equal(int64, (3 - i).dtype);
        Assert.Equal(int64, i.pow(2).dtype);
        Assert.Equal(int64, (i % 2).dtype);
        Assert.Equal(int64, i.clamp(2, 2).dtype);
        Assert.Equal(new long[] { 3, 5, 7 }, (i * 2 + 1).ToArray<long>());
        i.add_(1).mul_(3);
        Assert.Equal(new long[] { 6, 9, 12 }, i.ToArray<long>());
    }

    [Fact]
    public void Adding_two_integer_tensors_works_with_the_default_alpha()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new long[] { 1, 2 });
        var b = tensor(new long[] { 10, 20 });
        Assert.Equal(new long[] { 11, 22 }, (a + b).ToArray<long>());
        Assert.Equal(new long[] { -9, -18 }, (a - b).ToArray<long>());
        Assert.Equal(new long[] { 21, 42 }, a.add(b, 2).ToArray<long>());
    }

    [Fact]
    public void Fractional_scalars_promote_integers_to_floating_point_and_division_is_true_division()
    {
        using var scope = NewDisposeScope();
        var i = tensor(new long[] { 1, 2, 3 });
        Assert.Equal(float32, (i * 0.5).dtype);
        Assert.Equal(float32, (i / 2).dtype);
        Assert.Equal(new[] { 0.5f, 1f, 1.5f }, (i / 2).ToArray<float>());
        Assert.Equal(float32, (1 / i.to(float32)).dtype);
    }

    [Fact]
    public void Floating_tensors_are_unaffected_by_integral_scalars()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 0.5, 1.5 });
        Assert.Equal(float64, (x * 2).dtype);
        Assert.Equal(new[] { 2.0, 4.0 }, (x * 2 + 1).ToArray<double>());
        var f = tensor(new[] { 0.5f });
        Assert.Equal(float32, (f + 1e300 * 0 + 3).dtype);
    }

    [Fact]
    public void BatchNorm_in_training_mode_counts_batches()
    {
        using var scope = NewDisposeScope();
        using var bn = nn.BatchNorm2d(3);
        bn.forward(randn(4, 3, 2, 2));
        bn.forward(randn(4, 3, 2, 2));
        Assert.Equal(2L, bn.state_dict()["num_batches_tracked"].item<long>());
        Assert.Equal(int64, bn.state_dict()["num_batches_tracked"].dtype);
    }
}
