namespace FisherKit.Simulators.Mammography;

/// <summary>
/// The four-alternative forced choice (4-AFC) of a CDMAM reading: the reader picks the one of four corners whose
/// statistic is largest; with independent unit-variance Gaussian statistics and the signal's shifted by d′, the
/// proportion correct is P_c(d′) = ∫ φ(x − d′) Φ(x)³ dx (0.25 at d′ = 0). The CDMAM threshold (P_c = 0.625)
/// needs d′ = 1.2350.
/// </summary>
public static class FourAfc
{
    /// <summary>P_c(d′) by Simpson's rule on [d′ − 9, d′ + 9] (600 intervals; the error is below 1e−8).</summary>
    public static double ProportionCorrect(double dPrime)
    {
        if (!double.IsFinite(dPrime)) throw new ArgumentOutOfRangeException(nameof(dPrime), dPrime, "d′ must be finite.");
        const int n = 600;
        double a = dPrime - 9, h = 18.0 / n, sum = 0;
        for (int i = 0; i <= n; i++)
        {
            double x = a + i * h;
            double phi = Math.Exp(-0.5 * (x - dPrime) * (x - dPrime)) / Math.Sqrt(2 * Math.PI);
            double cdf = NormalCdf(x);
            double f = phi * cdf * cdf * cdf;
            sum += (i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2) * f;
        }
        return sum * h / 3;
    }

    /// <summary>The d′ at which P_c = <paramref name="proportionCorrect"/> (in (0.25, 1)), by bisection.</summary>
    public static double DPrimeFor(double proportionCorrect = CdmamPhantom.ThresholdProportionCorrect)
    {
        if (!(proportionCorrect > 0.25 && proportionCorrect < 1)) throw new ArgumentOutOfRangeException(nameof(proportionCorrect), proportionCorrect, "A 4-AFC proportion correct must lie in (0.25, 1).");
        double lo = 0, hi = 10;
        for (int i = 0; i < 60; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (ProportionCorrect(mid) < proportionCorrect) lo = mid; else hi = mid;
        }
        return 0.5 * (lo + hi);
    }

    /// <summary>The standard normal distribution function Φ(x) (erfc by a Chebyshev fit, relative error below 1.2e−7).</summary>
    public static double NormalCdf(double x) => 0.5 * Erfc(-x / Math.Sqrt(2));

    private static double Erfc(double x)
    {
        double z = Math.Abs(x), t = 1 / (1 + 0.5 * z);
        double r = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807
            + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}
