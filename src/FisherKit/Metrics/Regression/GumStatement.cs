using System.Globalization;

namespace FisherKit.Metrics.Regression;

/// <summary>
/// A measurement result stated as the GUM asks (JCGM 100:2008, §7): the estimate y, its standard
/// uncertainty u, the expanded uncertainty U = k·u with the coverage factor k and the coverage
/// probability (level) it corresponds to, for a normal distribution or a t distribution with ν
/// effective degrees of freedom.
/// </summary>
/// <param name="Estimate">The estimate y.</param>
/// <param name="StandardUncertainty">The standard uncertainty u.</param>
/// <param name="CoverageFactor">The coverage factor k.</param>
/// <param name="Level">The coverage probability of y ± U.</param>
/// <param name="DegreesOfFreedom">Effective degrees of freedom (∞ for a normal distribution).</param>
/// <param name="Unit">Unit appended when printing ("" for none).</param>
public sealed record GumStatement(double Estimate, double StandardUncertainty, double CoverageFactor, double Level, double DegreesOfFreedom, string Unit)
{
    /// <summary>The expanded uncertainty U = k·u.</summary>
    public double ExpandedUncertainty => CoverageFactor * StandardUncertainty;

    /// <summary>Lower end y − U of the coverage interval.</summary>
    public double Lower => Estimate - ExpandedUncertainty;

    /// <summary>Upper end y + U of the coverage interval.</summary>
    public double Upper => Estimate + ExpandedUncertainty;

    /// <summary>A statement with a given coverage factor (default k = 2); the level follows from the distribution.</summary>
    public static GumStatement WithCoverageFactor(double estimate, double standardUncertainty, double k = 2, double degreesOfFreedom = double.PositiveInfinity, string unit = "")
    {
        Check(estimate, standardUncertainty, degreesOfFreedom);
        if (!(k > 0) || double.IsInfinity(k)) throw new ArgumentOutOfRangeException(nameof(k), k, "The coverage factor must be positive and finite.");
        double level = double.IsPositiveInfinity(degreesOfFreedom) ? NormalDistribution.CoverageLevel(k) : StudentTDistribution.CoverageLevel(k, degreesOfFreedom);
        return new GumStatement(estimate, standardUncertainty, k, level, degreesOfFreedom, unit ?? "");
    }

    /// <summary>A statement for a given coverage probability (default 95 %); k follows from the distribution.</summary>
    public static GumStatement WithLevel(double estimate, double standardUncertainty, double level = 0.95, double degreesOfFreedom = double.PositiveInfinity, string unit = "")
    {
        Check(estimate, standardUncertainty, degreesOfFreedom);
        MetricInput.CheckLevel(level);
        double k = double.IsPositiveInfinity(degreesOfFreedom) ? NormalDistribution.CoverageFactor(level) : StudentTDistribution.CoverageFactor(level, degreesOfFreedom);
        return new GumStatement(estimate, standardUncertainty, k, level, degreesOfFreedom, unit ?? "");
    }

    private static void Check(double estimate, double u, double nu)
    {
        if (!double.IsFinite(estimate)) throw new ArgumentException($"The estimate must be finite, got {estimate}.", nameof(estimate));
        if (!(u >= 0) || double.IsInfinity(u)) throw new ArgumentException($"The standard uncertainty must be finite and non-negative, got {u}.", nameof(u));
        if (!(nu > 0)) throw new ArgumentOutOfRangeException(nameof(nu), nu, "The degrees of freedom must be positive (∞ for a normal distribution).");
    }

    /// <summary>
    /// The number of decimals that shows <paramref name="uncertainty"/> with two significant digits
    /// (GUM §7.2.6); negative when the uncertainty is ≥ 100.
    /// </summary>
    public static int DecimalsForTwoSignificantDigits(double uncertainty)
    {
        if (!(uncertainty > 0) || double.IsInfinity(uncertainty)) return 0;
        return 1 - (int)Math.Floor(Math.Log10(uncertainty));
    }

    /// <summary>Rounds to <paramref name="decimals"/> places (negative: to tens, hundreds, ...).</summary>
    private static string Format(double value, int decimals)
    {
        if (decimals >= 0) return value.ToString("F" + Math.Min(decimals, 15).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        double scale = Math.Pow(10, -decimals);
        return (Math.Round(value / scale) * scale).ToString("F0", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// "y = 12.346 nm, u = 0.012 nm; U = 0.024 nm (k = 2.00, coverage probability ≈ 95.4 %)", with U
    /// rounded to two significant digits and y to the same decimal place.
    /// </summary>
    public override string ToString()
    {
        var c = CultureInfo.InvariantCulture;
        string unit = string.IsNullOrEmpty(Unit) ? "" : " " + Unit;
        int dU = DecimalsForTwoSignificantDigits(ExpandedUncertainty);
        int du = DecimalsForTwoSignificantDigits(StandardUncertainty);
        int d = Math.Max(dU, du);
        string dof = double.IsPositiveInfinity(DegreesOfFreedom) ? "" : string.Create(c, $", ν_eff = {DegreesOfFreedom:0.#}");
        return string.Create(c,
            $"y = {Format(Estimate, d)}{unit}, u = {Format(StandardUncertainty, du)}{unit}; U = {Format(ExpandedUncertainty, dU)}{unit} (k = {CoverageFactor:0.00}, coverage probability ≈ {100 * Level:0.0} %{dof})");
    }
}
