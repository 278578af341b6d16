namespace FisherKit.Torch.Tests.Support;

/// <summary>Element-wise closeness assertions that report the worst element.</summary>
internal static class AssertClose
{
    internal static void Arrays(IReadOnlyList<double> expected, IReadOnlyList<double> actual, double atol, double rtol, string what = "values")
    {
        Assert.True(expected.Count == actual.Count, $"{what}: expected {expected.Count} elements, got {actual.Count}");
        int worst = -1;
        double worstExcess = 0;
        for (int i = 0; i < expected.Count; i++)
        {
            var e = expected[i];
            var a = actual[i];
            if (double.IsNaN(e) && double.IsNaN(a)) continue;
            var excess = Math.Abs(a - e) - (atol + rtol * Math.Abs(e));
            if (double.IsNaN(excess) || excess > worstExcess) { worstExcess = double.IsNaN(excess) ? double.PositiveInfinity : excess; worst = i; }
        }
        if (worst >= 0)
            Assert.Fail($"{what}: element {worst} is {actual[worst]:R}, expected {expected[worst]:R} (atol {atol}, rtol {rtol}); " +
                        $"max |diff| {MaxDiff(expected, actual):G3}");
    }

    internal static void Tensors(Tensor expected, Tensor actual, double atol, double rtol, string what = "values")
    {
        Assert.Equal(expected.shape, actual.shape);
        Arrays(expected.ToDoubleArray(), actual.ToDoubleArray(), atol, rtol, what);
    }

    internal static void Scalar(double expected, double actual, double atol, double rtol, string what = "value") =>
        Arrays([expected], [actual], atol, rtol, what);

    private static double MaxDiff(IReadOnlyList<double> e, IReadOnlyList<double> a)
    {
        double m = 0;
        for (int i = 0; i < e.Count; i++) m = Math.Max(m, Math.Abs(e[i] - a[i]));
        return m;
    }
}
