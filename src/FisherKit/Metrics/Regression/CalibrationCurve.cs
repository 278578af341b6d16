namespace FisherKit.Metrics.Regression;

/// <summary>
/// Observed against nominal coverage of central Gaussian intervals μ ± Φ⁻¹((1+p)/2)·u over a sweep
/// of nominal levels p: a reliability diagram for regression. A calibrated method lies on the
/// diagonal; below it, uncertainties are too small (over-confident).
/// </summary>
/// <param name="NominalLevels">The levels p.</param>
/// <param name="ObservedCoverage">Fraction of points covered at each level.</param>
/// <param name="Lower">Lower end of the 95 % Wilson interval of each observed fraction.</param>
/// <param name="Upper">Upper end of the 95 % Wilson interval of each observed fraction.</param>
/// <param name="Count">Number of points.</param>
public sealed record CalibrationCurve(double[] NominalLevels, double[] ObservedCoverage, double[] Lower, double[] Upper, long Count)
{
    /// <summary>Mean of |observed − nominal| over the levels (the calibration error).</summary>
    public double MeanAbsoluteError => NominalLevels.Zip(ObservedCoverage, (p, o) => Math.Abs(o - p)).Average();

    /// <summary>Largest |observed − nominal| over the levels.</summary>
    public double MaxAbsoluteError => NominalLevels.Zip(ObservedCoverage, (p, o) => Math.Abs(o - p)).Max();

    /// <summary>Mean of (observed − nominal): negative means over-confident on average.</summary>
    public double MeanSignedError => NominalLevels.Zip(ObservedCoverage, (p, o) => o - p).Average();

    /// <summary>Evenly spaced levels 1/(n+1), ..., n/(n+1) (default 0.05 … 0.95 for n = 19).</summary>
    public static double[] DefaultLevels(int n = 19)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "At least one level is needed.");
        return Enumerable.Range(1, n).Select(i => (double)i / (n + 1)).ToArray();
    }
}
