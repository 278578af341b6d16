namespace FisherKit.Metrics.Regression;

/// <summary>log Γ, log(1 + x) and the regularised incomplete beta function, in double precision.</summary>
internal static class SpecialFunctions
{
    private static readonly double[] Lanczos =
    [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
        1.5056327351493116e-7,
    ];

    /// <summary>log Γ(x) for x &gt; 0 (Lanczos, g = 7), with the reflection formula below ½.</summary>
    public static double LogGamma(double x)
    {
        if (!(x > 0)) throw new ArgumentOutOfRangeException(nameof(x), x, "LogGamma is implemented for positive arguments.");
        if (x < 0.5) return Math.Log(Math.PI / Math.Sin(Math.PI * x)) - LogGamma(1 - x);
        x -= 1;
        double a = Lanczos[0];
        double t = x + 7.5;
        for (int i = 1; i < 9; i++) a += Lanczos[i] / (x + i);
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(a);
    }

    /// <summary>
    /// log(1 + x) for x &gt; −1, accurate to a few ulps also for tiny x, where <c>Math.Log(1 + x)</c> loses the
    /// digits of x that 1 + x rounds away (.NET's <c>double.LogP1</c> is computed that way too). Goldberg's
    /// correction: with u = 1 + x rounded, log(u)·x/(u − 1).
    /// </summary>
    public static double Log1p(double x)
    {
        double u = 1 + x;
        if (u == 1 || double.IsPositiveInfinity(u)) return u == 1 ? x : Math.Log(u); // x itself, or log ∞ (not ∞·∞/∞)
        return Math.Log(u) * x / (u - 1);
    }

    /// <summary>I_x(a, b) = B(x; a, b)/B(a, b) for a, b &gt; 0 and 0 ≤ x ≤ 1.</summary>
    public static double RegularizedIncompleteBeta(double a, double b, double x) => RegularizedIncompleteBeta(a, b, x, 1 - x);

    /// <summary>
    /// I_x(a, b) given x and its complement y = 1 − x, each computed without the other's rounding: near x = 1 with
    /// a large a, a·log x from a rounded x is off by a·2⁻⁵³ (10⁻⁹ at a = 5·10⁶), log1p(−y) is not.
    /// </summary>
    public static double RegularizedIncompleteBeta(double a, double b, double x, double y)
    {
        if (!(a > 0) || !(b > 0)) throw new ArgumentOutOfRangeException(nameof(a), $"The incomplete beta function needs a, b > 0, got a = {a}, b = {b}.");
        if (!(x >= 0 && x <= 1)) throw new ArgumentOutOfRangeException(nameof(x), x, "The incomplete beta function needs 0 <= x <= 1.");
        if (!(y >= 0 && y <= 1) || Math.Abs(x + y - 1) > 1e-12) throw new ArgumentOutOfRangeException(nameof(y), y, $"y must be 1 − x = {1 - x}.");
        if (x == 0) return 0;
        if (y == 0) return 1;
        double logX = x > 0.5 ? Log1p(-y) : Math.Log(x);
        double logY = y > 0.5 ? Log1p(-x) : Math.Log(y);
        double front = Math.Exp(-LogBeta(a, b) + a * logX + b * logY);
        // The continued fraction converges fast for x < (a+1)/(a+b+2); otherwise use the symmetry.
        return x < (a + 1) / (a + b + 2)
            ? front * BetaContinuedFraction(a, b, x) / a
            : 1 - front * BetaContinuedFraction(b, a, y) / b;
    }

    /// <summary>
    /// log B(a, b) = log Γ(a) + log Γ(b) − log Γ(a + b). Where one argument is large, the difference of the two
    /// large log Γ values (each about L·log L) would lose their magnitude's digits (10⁻⁹ relative at L = 5·10⁵), so it is
    /// taken from Stirling's series directly.
    /// </summary>
    internal static double LogBeta(double a, double b)
    {
        double small = Math.Min(a, b), large = Math.Max(a, b);
        if (large < 100) return LogGamma(a) + LogGamma(b) - LogGamma(a + b);
        return LogGamma(small) - LogGammaIncrement(large, small);
    }

    /// <summary>
    /// log Γ(L + s) − log Γ(L) for L ≥ 100, s &gt; 0: Stirling's series (L + s − ½)·log(1 + s/L) + s·log L − s plus the
    /// differences of its terms 1/(12x) − 1/(360x³) + 1/(1260x⁵) − 1/(1680x⁷) (truncation below 10⁻²⁰ at L = 100).
    /// </summary>
    internal static double LogGammaIncrement(double large, double s)
    {
        static double Series(double x)
        {
            double r = 1 / x, r2 = r * r;
            return r * (1.0 / 12 - r2 * (1.0 / 360 - r2 * (1.0 / 1260 - r2 / 1680)));
        }
        return (large + s - 0.5) * Log1p(s / large) + s * Math.Log(large) - s + (Series(large + s) - Series(large));
    }

    private static double BetaContinuedFraction(double a, double b, double x)
    {
        const double tiny = 1e-300;
        double qab = a + b, qap = a + 1, qam = a - 1;
        double c = 1, d = 1 - qab * x / qap;
        if (Math.Abs(d) < tiny) d = tiny;
        d = 1 / d;
        double h = d;
        for (int m = 1; m <= 10000; m++)
        {
            int m2 = 2 * m;
            double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1 + aa * d; if (Math.Abs(d) < tiny) d = tiny;
            c = 1 + aa / c; if (Math.Abs(c) < tiny) c = tiny;
            d = 1 / d;
            h *= d * c;
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1 + aa * d; if (Math.Abs(d) < tiny) d = tiny;
            c = 1 + aa / c; if (Math.Abs(c) < tiny) c = tiny;
            d = 1 / d;
            double delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < 1e-15) break;
        }
        return h;
    }
}
