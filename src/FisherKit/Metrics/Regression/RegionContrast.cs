using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Metrics.Regression;

/// <summary>
/// Mean of a map (e.g. the predicted uncertainty) inside a region (e.g. where a defect was
/// inserted) against its mean elsewhere: does the uncertainty rise where the unusual input is?
/// </summary>
/// <param name="Inside">Mean over the region.</param>
/// <param name="Outside">Mean over the rest (within the aperture, if given).</param>
/// <param name="InsideCount">Number of elements in the region.</param>
/// <param name="OutsideCount">Number of elements outside it.</param>
public sealed record RegionContrast(double Inside, double Outside, long InsideCount, long OutsideCount)
{
    /// <summary>Inside / Outside.</summary>
    public double Ratio => Inside / Outside;

    /// <summary>
    /// Compares <paramref name="values"/> inside <paramref name="region"/> (bool or 0/1, broadcastable)
    /// with the rest, both restricted to <paramref name="aperture"/> when given.
    /// </summary>
    public static RegionContrast Of(Tensor values, Tensor region, Tensor? aperture = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(region);
        using var scope = NewDisposeScope();
        var r = MetricInput.Selection(region, values.shape, nameof(region));
        var a = aperture is null ? ones_like(values, ScalarType.Bool) : MetricInput.Selection(aperture, values.shape, nameof(aperture));
        var inside = MetricInput.ToArray(values, r & a);
        var outside = MetricInput.ToArray(values, r.logical_not() & a);
        if (inside.Length == 0 || outside.Length == 0)
            throw new ArgumentException($"The region selects {inside.Length} elements and leaves {outside.Length}; both must be non-empty.", nameof(region));
        MetricInput.CheckFinite(inside, nameof(values));
        MetricInput.CheckFinite(outside, nameof(values));
        return new RegionContrast(inside.Average(), outside.Average(), inside.Length, outside.Length);
    }
}
