using System.Globalization;

namespace FisherKit.Metrics.Detection;

/// <summary>A point estimate with a confidence interval [<paramref name="Lower"/>, <paramref name="Upper"/>] at <paramref name="Level"/> (e.g. 0.95).</summary>
public sealed record ConfidenceInterval(double Estimate, double Lower, double Upper, double Level, int Resamples)
{
    /// <summary>Upper − Lower.</summary>
    public double Width => Upper - Lower;

    /// <summary>"0.912 [0.897, 0.926]".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Estimate:F3} [{Lower:F3}, {Upper:F3}]");
}
