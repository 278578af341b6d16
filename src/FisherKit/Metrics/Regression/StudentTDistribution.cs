namespace FisherKit.Metrics.Regression;

/// <summary>
/// Student's t distribution with ν degrees of freedom (ν &gt; 0, real): density, distribution
/// function and quantile. Used for coverage factors with finitely many degrees of freedom (GUM,
/// Annex G) and for the finite-ensemble correction of deep ensembles.
/// </summary>
/// <remarks>
/// F(t) = 1 − ½·I_{ν/(ν+t²)}(ν/2, ½) for t ≥ 0 with the regularised incomplete beta function I
/// (continued fraction, modified Lentz) and log Γ by the Lanczos approximation (g = 7, 9 terms).
/// The quantile is found by bisection on a bracket followed by Newton steps.
/// </remarks>
public static class StudentTDistribution
{
    /// <summary>Density of t_ν at <paramref name="t"/>.</summary>
    public static double Pdf(double t, double nu)
    {
        CheckNu(nu);
        if (double.IsPositiveInfinity(nu)) return NormalDistribution.Pdf(t);
        double logc = SpecialFunctions.LogGamma(0.5 * (nu + 1)) - SpecialFunctions.LogGamma(0.5 * nu) - 0.5 * Math.Log(nu * Math.PI);
        return Math.Exp(logc - 0.5 * (nu + 1) * Math.Log(1 + t * t / nu));
    }

    /// <summary>Distribution function of t_ν at <paramref name="t"/>.</summary>
    public static double Cdf(double t, double nu)
    {
        CheckNu(nu);
        if (double.IsNaN(t)) return double.NaN;
        if (double.IsPositiveInfinity(nu)) return NormalDistribution.Cdf(t);
        if (double.IsPositiveInfinity(t)) return 1;
        if (double.IsNegativeInfinity(t)) return 0;
        double x = nu / (nu + t * t);
        double tail = 0.5 * SpecialFunctions.RegularizedIncompleteBeta(0.5 * nu, 0.5, x);
        return t >= 0 ? 1 - tail : tail;
    }

    /// <summary>The quantile F⁻¹(p) of t_ν for 0 &lt; p &lt; 1 (±∞ at 0 and 1).</summary>
    public static double Quantile(double p, double nu)
    {
        CheckNu(nu);
        if (double.IsNaN(p) || p < 0 || p > 1) throw new ArgumentOutOfRangeException(nameof(p), p, "A probability must lie in [0, 1].");
        if (double.IsPositiveInfinity(nu)) return NormalDistribution.Quantile(p);
        if (p == 0) return double.NegativeInfinity;
        if (p == 1) return double.PositiveInfinity;
        if (p == 0.5) return 0;
        if (p > 0.5) return -Quantile(1 - p, nu);
        // Lower tail: the root lies below 0; widen the bracket until it holds.
        double lo = -1, hi = 0;
        while (Cdf(lo, nu) > p)
        {
            hi = lo;
            lo *= 2;
            if (lo < -1e300) return double.NegativeInfinity;
        }
        for (int i = 0; i < 200 && hi - lo > 1e-12 * Math.Max(1, Math.Abs(lo)); i++)
        {
            double mid = 0.5 * (lo + hi);
            if (Cdf(mid, nu) > p) hi = mid; else lo = mid;
        }
        double x = 0.5 * (lo + hi);
        for (int i = 0; i < 3; i++)
        {
            double d = Pdf(x, nu);
            if (d <= 0) break;
            double next = x - (Cdf(x, nu) - p) / d;
            if (!(next >= lo && next <= hi)) break;
            x = next;
        }
        return x;
    }

    /// <summary>Two-sided coverage factor k = t_{(1+level)/2, ν} with P(|T| ≤ k) = level.</summary>
    public static double CoverageFactor(double level, double nu)
    {
        if (!(level > 0 && level < 1)) throw new ArgumentOutOfRangeException(nameof(level), level, "A coverage level must lie strictly between 0 and 1.");
        return -Quantile(0.5 * (1 - level), nu);
    }

    /// <summary>Two-sided level P(|T| ≤ k) of a coverage factor k ≥ 0.</summary>
    public static double CoverageLevel(double k, double nu)
    {
        if (!(k >= 0)) throw new ArgumentOutOfRangeException(nameof(k), k, "A coverage factor must be non-negative.");
        return 1 - 2 * Cdf(-k, nu);
    }

    /// <summary>Variance ν/(ν−2) of t_ν (infinite for ν ≤ 2).</summary>
    public static double Variance(double nu)
    {
        CheckNu(nu);
        if (double.IsPositiveInfinity(nu)) return 1;
        return nu > 2 ? nu / (nu - 2) : double.PositiveInfinity;
    }

    private static void CheckNu(double nu)
    {
        if (!(nu > 0)) throw new ArgumentOutOfRangeException(nameof(nu), nu, "The degrees of freedom must be positive.");
    }
}
