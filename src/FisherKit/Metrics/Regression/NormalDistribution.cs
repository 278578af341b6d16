namespace FisherKit.Metrics.Regression;

/// <summary>
/// The standard normal distribution in double precision: density, distribution function, quantile
/// and the error functions behind them. Used for coverage factors (k = Φ⁻¹((1+p)/2)), the CRPS of a
/// Gaussian and calibration curves.
/// </summary>
/// <remarks>
/// erf is summed from the everywhere-positive series erf(x) = 2/√π·e^(−x²)·Σₙ 2ⁿx^(2n+1)/(1·3···(2n+1))
/// for |x| &lt; 2.5 and erfc from its continued fraction (modified Lentz) beyond, so both keep close to
/// full relative precision, erfc also far in the tail. The quantile starts from the rational
/// approximation of Abramowitz &amp; Stegun 26.2.23 and is refined by Halley steps on the accurate
/// distribution function.
/// </remarks>
public static class NormalDistribution
{
    private const double InvSqrtPi = 0.56418958354775628695; // 1/√π
    private const double InvSqrt2Pi = 0.39894228040143267794; // 1/√(2π)

    /// <summary>Standard normal density φ(x) = e^(−x²/2)/√(2π).</summary>
    public static double Pdf(double x) => InvSqrt2Pi * Math.Exp(-0.5 * x * x);

    /// <summary>Density of N(<paramref name="mean"/>, <paramref name="std"/>²) at <paramref name="x"/>.</summary>
    public static double Pdf(double x, double mean, double std)
    {
        if (!(std > 0)) throw new ArgumentOutOfRangeException(nameof(std), std, "The standard deviation must be positive.");
        return Pdf((x - mean) / std) / std;
    }

    /// <summary>Standard normal distribution function Φ(x) = ½·erfc(−x/√2), accurate in both tails.</summary>
    public static double Cdf(double x)
    {
        if (double.IsNaN(x)) return double.NaN;
        return 0.5 * Erfc(-x / Math.Sqrt(2));
    }

    /// <summary>Distribution function of N(<paramref name="mean"/>, <paramref name="std"/>²).</summary>
    public static double Cdf(double x, double mean, double std)
    {
        if (!(std > 0)) throw new ArgumentOutOfRangeException(nameof(std), std, "The standard deviation must be positive.");
        return Cdf((x - mean) / std);
    }

    /// <summary>The quantile Φ⁻¹(p) for 0 &lt; p &lt; 1 (±∞ at 0 and 1).</summary>
    public static double Quantile(double p)
    {
        if (double.IsNaN(p) || p < 0 || p > 1) throw new ArgumentOutOfRangeException(nameof(p), p, "A probability must lie in [0, 1].");
        if (p == 0) return double.NegativeInfinity;
        if (p == 1) return double.PositiveInfinity;
        if (p == 0.5) return 0;
        // Work in the lower tail, where Φ is computed with full relative precision.
        bool upper = p > 0.5;
        double q = upper ? 1 - p : p;
        double t = Math.Sqrt(-2 * Math.Log(q));
        double x = -(t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t));
        for (int i = 0; i < 6; i++)
        {
            double f = Cdf(x) - q;
            double d = Pdf(x);
            if (d == 0) break;
            double step = f / d;
            // Halley: Φ'' = −xφ, so the correction is step / (1 + x·step/2).
            step /= 1 + 0.5 * x * step;
            x -= step;
            if (Math.Abs(step) <= 1e-16 * Math.Max(1, Math.Abs(x))) break;
        }
        return upper ? -x : x;
    }

    /// <summary>Two-sided coverage factor k with P(|Z| ≤ k) = <paramref name="level"/>, i.e. Φ⁻¹((1+level)/2).</summary>
    public static double CoverageFactor(double level)
    {
        if (!(level > 0 && level < 1)) throw new ArgumentOutOfRangeException(nameof(level), level, "A coverage level must lie strictly between 0 and 1.");
        return -Quantile(0.5 * (1 - level));
    }

    /// <summary>Two-sided level P(|Z| ≤ k) = erf(k/√2) of a coverage factor k ≥ 0.</summary>
    public static double CoverageLevel(double k)
    {
        if (!(k >= 0)) throw new ArgumentOutOfRangeException(nameof(k), k, "A coverage factor must be non-negative.");
        return Erf(k / Math.Sqrt(2));
    }

    /// <summary>The error function erf(x).</summary>
    public static double Erf(double x)
    {
        if (double.IsNaN(x)) return double.NaN;
        double a = Math.Abs(x);
        double r = a < 2.5 ? ErfSeries(a) : 1 - ErfcContinuedFraction(a);
        return x < 0 ? -r : r;
    }

    /// <summary>The complementary error function erfc(x) = 1 − erf(x), accurate for large x.</summary>
    public static double Erfc(double x)
    {
        if (double.IsNaN(x)) return double.NaN;
        if (x < 0) return 2 - Erfc(-x);
        return x < 2.5 ? 1 - ErfSeries(x) : ErfcContinuedFraction(x);
    }

    private static double ErfSeries(double x)
    {
        // erf(x) = 2/√π e^{-x²} Σ_n 2^n x^{2n+1} / (2n+1)!!  (all terms positive)
        double x2 = x * x;
        double term = x, sum = x;
        for (int n = 1; n < 500; n++)
        {
            term *= 2 * x2 / (2 * n + 1);
            sum += term;
            if (term < 1e-17 * sum) break;
        }
        return 2 * InvSqrtPi * Math.Exp(-x2) * sum;
    }

    private static double ErfcContinuedFraction(double x)
    {
        // erfc(x) = e^{-x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...))))), modified Lentz.
        if (double.IsPositiveInfinity(x)) return 0;
        const double tiny = 1e-300;
        double f = x, c = x, d = 0;
        for (int n = 1; n < 1000; n++)
        {
            double an = 0.5 * n;
            d = x + an * d;
            if (Math.Abs(d) < tiny) d = tiny;
            c = x + an / c;
            if (Math.Abs(c) < tiny) c = tiny;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1) < 1e-16) break;
        }
        return InvSqrtPi * Math.Exp(-x * x) / f;
    }
}
