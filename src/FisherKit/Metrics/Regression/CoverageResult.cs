namespace FisherKit.Metrics.Regression;

/// <summary>
/// Coverage of the truth by the intervals μ ± k·u: the observed fraction next to the nominal level
/// of a Gaussian (P(|Z| ≤ k)), with a binomial interval for the observed fraction.
/// </summary>
/// <param name="CoverageFactor">k.</param>
/// <param name="NominalLevel">P(|Z| ≤ k) for a standard normal Z.</param>
/// <param name="Observed">Fraction of points with |y − μ| ≤ k·u.</param>
/// <param name="Covered">Number of covered points.</param>
/// <param name="Count">Number of points.</param>
/// <param name="Interval">Wilson interval (95 %) for the true coverage given the observed fraction.</param>
public sealed record CoverageResult(double CoverageFactor, double NominalLevel, double Observed, long Covered, long Count, BinomialInterval Interval)
{
    /// <summary>True when the nominal level lies inside the binomial interval of the observation.</summary>
    public bool IsConsistentWithNominal => Interval.Contains(NominalLevel);

    /// <summary>"k = 2: 93.1 % (nominal 95.4 %)".</summary>
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"k = {CoverageFactor:0.###}: {100 * Observed:0.0} % (nominal {100 * NominalLevel:0.0} %)");
}
