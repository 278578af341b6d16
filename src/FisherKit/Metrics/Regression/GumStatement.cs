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
/// <param name="DegreesOfFreedom">Effective degrees of freedom (∞ for a normal distribution; NaN for a statement from a distribution that is no t, <see cref="NormalPlusStudentT"/>).</param>
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

    /// <summary>
    /// The statement for a quantity whose error is the sum of two independent parts: a normal one with standard
    /// deviation <paramref name="normalUncertainty"/> and <paramref name="tScale"/>·T with T ~ t_ν (a posterior
    /// predictive such as that of the finite-ensemble correction, <c>EnsembleCorrection.FiniteEnsemble</c>).
    /// As GUM Supplement 1 (JCGM 101:2008) states a result: u is that distribution's standard deviation,
    /// √(u_N² + a²·ν/(ν − 2)) (ν &gt; 2), and U is the half-width of its central interval of probability
    /// <paramref name="level"/>, found from the distribution itself (its density integrated numerically), so k = U/u
    /// and the interval covers exactly <paramref name="level"/> of it. Neither reading of the t part on its own is
    /// right here: its standard deviation with the t quantile counts the heavy tail twice (P(|t₄| ≤ 2.776·√2) =
    /// 98.3 % instead of 95 %), and its scale with Welch–Satterthwaite's ν_eff undercovers when both parts matter.
    /// <see cref="DegreesOfFreedom"/> is NaN: the statement is not a t distribution's. ν = ∞ makes the t part normal: then
    /// the sum is normal with u = √(u_N² + a²), U comes from the normal quantile and <see cref="DegreesOfFreedom"/> is ∞.
    /// </summary>
    public static GumStatement NormalPlusStudentT(double estimate, double normalUncertainty, double tScale, double nu, double level = 0.95, string unit = "")
    {
        Check(estimate, normalUncertainty, double.PositiveInfinity);
        Check(estimate, tScale, nu);
        MetricInput.CheckLevel(level);
        if (tScale > 0 && !(nu > 2))
            throw new ArgumentOutOfRangeException(nameof(nu), nu, "The t part needs more than 2 degrees of freedom for a finite standard uncertainty.");
        if (tScale == 0) return WithLevel(estimate, normalUncertainty, level, unit: unit);
        double u = Math.Sqrt(normalUncertainty * normalUncertainty + tScale * tScale * StudentTDistribution.Variance(nu));
        // t_∞ is the standard normal, so the sum is normal (ν/(ν − 2) written out would be ∞/∞ = NaN).
        if (double.IsPositiveInfinity(nu)) return WithLevel(estimate, u, level, unit: unit);
        if (normalUncertainty == 0) return new GumStatement(estimate, u, tScale * StudentTDistribution.CoverageFactor(level, nu) / u, level, double.NaN, unit ?? "");
        // P(|error| ≤ U) grows from 0 to 1 with U: bisection between the narrower and the wider part's interval and their sum.
        double lo = 0, hi = NormalDistribution.CoverageFactor(level) * normalUncertainty + StudentTDistribution.CoverageFactor(level, nu) * tScale;
        for (int i = 0; i < 100 && hi - lo > 1e-13 * hi; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (NormalPlusStudentTLevel(mid, normalUncertainty, tScale, nu) < level) lo = mid; else hi = mid;
        }
        return new GumStatement(estimate, u, 0.5 * (lo + hi) / u, level, double.NaN, unit ?? "");
    }

    /// <summary>
    /// The coverage probability P(|σ·Z + a·T| ≤ U) of a half-width U (<paramref name="halfWidth"/>) for Z standard normal
    /// and T ~ t_ν (<paramref name="sigma"/> σ &gt; 0, <paramref name="a"/> a &gt; 0, <paramref name="nu"/> ν &gt; 2), by the trapezoidal rule over the smoother of two forms:
    /// where σ ≥ a, ∫ f_ν(t) [Φ((U − a t)/σ) − Φ((−U − a t)/σ)] dt after t = sinh(x) (the integrand then falls off
    /// doubly exponentially); where σ &lt; a, ∫ φ(z) [F_ν((U − σ z)/a) − F_ν((−U − σ z)/a)] dz over |z| ≤ 9. Either
    /// way the bracket varies on a scale of at least one unit of the integration variable, far above the step.
    /// For ν = ∞ the sum is normal: 2Φ(U/√(σ² + a²)) − 1.
    /// </summary>
    /// <exception cref="ArgumentException">U &lt; 0 or not finite, σ or a negative or not finite, both 0, or ν ≤ 2.</exception>
    public static double NormalPlusStudentTLevel(double halfWidth, double sigma, double a, double nu)
    {
        if (!(halfWidth >= 0) || double.IsInfinity(halfWidth)) throw new ArgumentOutOfRangeException(nameof(halfWidth), halfWidth, "The half-width must be finite and non-negative.");
        if (!(sigma >= 0) || double.IsInfinity(sigma)) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "σ must be finite and non-negative.");
        if (!(a >= 0) || double.IsInfinity(a)) throw new ArgumentOutOfRangeException(nameof(a), a, "The t scale a must be finite and non-negative.");
        if (sigma == 0 && a == 0) throw new ArgumentException("σ and a are both 0: the error is 0 and has no coverage curve.", nameof(a));
        if (!(nu > 2)) throw new ArgumentOutOfRangeException(nameof(nu), nu, "The t part needs more than 2 degrees of freedom (∞ for a normal one).");
        if (double.IsPositiveInfinity(nu)) return 2 * NormalDistribution.Cdf(halfWidth / Math.Sqrt(sigma * sigma + a * a)) - 1;
        const int steps = 4000;
        double sum = 0, h;
        if (sigma >= a)
        {
            const double xMax = 16;   // sinh(16) ≈ 4·10⁶: the t_ν tail beyond it is below 10⁻¹³ for ν > 2
            h = 2 * xMax / steps;
            for (int i = 0; i <= steps; i++)
            {
                double x = -xMax + i * h, t = Math.Sinh(x);
                double inside = NormalDistribution.Cdf((halfWidth - a * t) / sigma) - NormalDistribution.Cdf((-halfWidth - a * t) / sigma);
                sum += (i == 0 || i == steps ? 0.5 : 1) * StudentTDistribution.Pdf(t, nu) * Math.Cosh(x) * inside;
            }
        }
        else
        {
            const double zMax = 9;    // the normal tail beyond 9 is 10⁻¹⁹
            h = 2 * zMax / steps;
            for (int i = 0; i <= steps; i++)
            {
                double z = -zMax + i * h;
                double inside = StudentTDistribution.Cdf((halfWidth - sigma * z) / a, nu) - StudentTDistribution.Cdf((-halfWidth - sigma * z) / a, nu);
                sum += (i == 0 || i == steps ? 0.5 : 1) * NormalDistribution.Pdf(z) * inside;
            }
        }
        return sum * h;
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
        string dof = double.IsPositiveInfinity(DegreesOfFreedom) || double.IsNaN(DegreesOfFreedom) ? "" : string.Create(c, $", ν_eff = {DegreesOfFreedom:0.#}");
        return string.Create(c,
            $"y = {Format(Estimate, d)}{unit}, u = {Format(StandardUncertainty, du)}{unit}; U = {Format(ExpandedUncertainty, dU)}{unit} (k = {CoverageFactor:0.00}, coverage probability ≈ {100 * Level:0.0} %{dof})");
    }
}
