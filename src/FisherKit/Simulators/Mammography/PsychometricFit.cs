namespace FisherKit.Simulators.Mammography;

/// <summary>
/// The EUREF-style psychometric fit at one diameter: p(t) = 0.25 + 0.75 / (1 + exp(−k (ln t − ln t*))) fitted to
/// hits out of trials per thickness by binomial maximum likelihood (a grid search over ln t* and k, refined
/// twice); t* is the thickness at p = 0.625. The threshold is searched within 3 natural-log units of the
/// thicknesses read, so a curve entirely above or below 0.625 gives an extrapolated (and flagged) threshold.
/// </summary>
/// <param name="DiameterMm">The disc diameter.</param>
/// <param name="ThresholdUm">t* (µm).</param>
/// <param name="Slope">k, per unit of ln t.</param>
/// <param name="Thicknesses">The thicknesses read (µm).</param>
/// <param name="ProportionCorrect">Hits / trials per thickness.</param>
/// <param name="Trials">Trials per thickness.</param>
/// <param name="Extrapolated">True when t* lies outside the thicknesses read.</param>
public sealed record PsychometricFit(double DiameterMm, double ThresholdUm, double Slope, IReadOnlyList<double> Thicknesses,
    IReadOnlyList<double> ProportionCorrect, IReadOnlyList<long> Trials, bool Extrapolated)
{
    /// <summary>The fitted curve at <paramref name="thicknessUm"/>.</summary>
    public double Curve(double thicknessUm) => Model(Math.Log(thicknessUm), Math.Log(ThresholdUm), Slope);

    /// <summary>Fits hits out of trials at each thickness (µm, positive, at least two).</summary>
    public static PsychometricFit Fit(double diameterMm, IReadOnlyList<double> thicknesses, IReadOnlyList<long> hits, IReadOnlyList<long> trials)
    {
        ArgumentNullException.ThrowIfNull(thicknesses);
        ArgumentNullException.ThrowIfNull(hits);
        ArgumentNullException.ThrowIfNull(trials);
        int n = thicknesses.Count;
        if (n < 2 || hits.Count != n || trials.Count != n) throw new ArgumentException($"A fit needs at least two thicknesses with one hit count and one trial count each (got {n}, {hits.Count}, {trials.Count}).", nameof(thicknesses));
        for (int i = 0; i < n; i++)
        {
            if (!(thicknesses[i] > 0)) throw new ArgumentOutOfRangeException(nameof(thicknesses), thicknesses[i], "Thicknesses must be positive.");
            if (trials[i] < 1 || hits[i] < 0 || hits[i] > trials[i]) throw new ArgumentOutOfRangeException(nameof(hits), hits[i], $"Thickness {thicknesses[i]}: hits must lie in [0, trials = {trials[i]}].");
        }
        var x = thicknesses.Select(t => Math.Log(t)).ToArray();
        double lo = x.Min() - 3, hi = x.Max() + 3;
        double bestM = 0, bestK = 1, best = double.NegativeInfinity;
        double mLo = lo, mHi = hi, kLo = Math.Log(0.2), kHi = Math.Log(50);
        for (int round = 0; round < 3; round++)
        {
            const int gm = 120, gk = 60;
            for (int i = 0; i <= gm; i++)
            {
                double m = mLo + (mHi - mLo) * i / gm;
                for (int j = 0; j <= gk; j++)
                {
                    double k = Math.Exp(kLo + (kHi - kLo) * j / gk);
                    double ll = 0;
                    for (int q = 0; q < n; q++)
                    {
                        double p = Math.Clamp(Model(x[q], m, k), 1e-12, 1 - 1e-12);
                        ll += hits[q] * Math.Log(p) + (trials[q] - hits[q]) * Math.Log(1 - p);
                    }
                    if (ll > best) { best = ll; bestM = m; bestK = k; }
                }
            }
            double dm = (mHi - mLo) / 120 * 3, dk = (kHi - kLo) / 60 * 3;
            mLo = Math.Max(lo, bestM - dm); mHi = Math.Min(hi, bestM + dm);
            kLo = Math.Log(bestK) - dk; kHi = Math.Log(bestK) + dk;
        }
        return new PsychometricFit(diameterMm, Math.Exp(bestM), bestK, thicknesses.ToArray(),
            Enumerable.Range(0, n).Select(i => hits[i] / (double)trials[i]).ToArray(), trials.ToArray(), bestM < x.Min() || bestM > x.Max());
    }

    private static double Model(double lnT, double m, double k) => 0.25 + 0.75 / (1 + Math.Exp(-k * (lnT - m)));
}
