namespace FisherKit.Torch.Tests;

public class SumOverloadTests
{
    [Fact]
    public void Sum_with_the_literal_zero_reduces_dimension_zero()
    {
        // C# converts the literal 0 to any enum: without an int overload x.sum(0) bound to
        // sum(ScalarType? dtype) and returned the total as a Byte tensor.
        using var scope = NewDisposeScope();
        var x = tensor(new double[] { 1.5, 2, 3, 4.25, 5, 6 }, [2, 3]);
        var s = x.sum(0);
        Assert.Equal(ScalarType.Float64, s.dtype);
        Assert.Equal(new long[] { 3 }, s.shape);
        Assert.Equal(new[] { 5.75, 7, 9 }, s.ToArray<double>());
        var k = x.sum(0, keepdim: true);
        Assert.Equal(new long[] { 1, 3 }, k.shape);
        int dim = 1;
        Assert.Equal(new[] { 6.5, 15.25 }, x.sum(dim).ToArray<double>());
        Assert.Equal(21.75, x.sum().item(), 12);
    }
}
