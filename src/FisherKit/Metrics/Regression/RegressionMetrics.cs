using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Metrics.Regression;

/// <summary>
/// Metrics for regression with uncertainty: accuracy (RMSE), proper scores (Gaussian NLL, CRPS),
/// reliability (coverage by μ ± k·u, calibration curve), sharpness (interval width) and whether the
/// uncertainty ranks the error. Inputs are plain arrays of equal length (truth y, predicted mean μ,
/// standard uncertainty u or variance u²); tensor overloads take an optional mask (e.g. the
/// aperture). Every method rejects unequal lengths, NaN or infinite values and negative
/// uncertainties with an <see cref="ArgumentException"/> that names the input.
/// </summary>
/// <example>
/// <code>
/// var report = RegressionMetrics.Evaluate(truth, mean, std);
/// Console.WriteLine(report);            // RMSE, NLL, CRPS, coverage at k = 1, 2, 3, ...
/// var curve = RegressionMetrics.Calibration(truth, mean, std, CalibrationCurve.DefaultLevels());
/// </code>
/// </example>
public static class RegressionMetrics
{
    private const double InvSqrtPi = 0.56418958354775628695;

    /// <summary>Root-mean-square error √(mean (y − μ)²).</summary>
    public static double Rmse(double[] truth, double[] mean)
    {
        int n = MetricInput.CheckPair(truth, mean);
        double s = 0;
        for (int i = 0; i < n; i++) s += (truth[i] - mean[i]) * (truth[i] - mean[i]);
        return Math.Sqrt(s / n);
    }

    /// <summary>Mean absolute error mean |y − μ|.</summary>
    public static double MeanAbsoluteError(double[] truth, double[] mean)
    {
        int n = MetricInput.CheckPair(truth, mean);
        double s = 0;
        for (int i = 0; i < n; i++) s += Math.Abs(truth[i] - mean[i]);
        return s / n;
    }

    /// <summary>
    /// Mean Gaussian negative log-likelihood, with the constant:
    /// mean[½·log(2π u²) + (y − μ)²/(2u²)]. Variances must be strictly positive.
    /// </summary>
    public static double GaussianNll(double[] truth, double[] mean, double[] variance)
    {
        int n = MetricInput.CheckTriple(truth, mean, variance, nameof(variance), strictlyPositive: true);
        double s = 0;
        for (int i = 0; i < n; i++)
        {
            double d = truth[i] - mean[i];
            s += 0.5 * Math.Log(2 * Math.PI * variance[i]) + d * d / (2 * variance[i]);
        }
        return s / n;
    }

    /// <summary>
    /// Continuous ranked probability score of N(μ, u²) for y, closed form
    /// u·[z(2Φ(z) − 1) + 2φ(z) − 1/√π] with z = (y − μ)/u (Gneiting &amp; Raftery 2007); |y − μ| when u = 0.
    /// </summary>
    public static double CrpsGaussian(double y, double mean, double std)
    {
        if (!double.IsFinite(y) || !double.IsFinite(mean)) throw new ArgumentException($"CRPS needs finite y and mean, got y = {y}, mean = {mean}.");
        if (!(std >= 0) || double.IsInfinity(std)) throw new ArgumentException($"CRPS needs a finite non-negative standard deviation, got {std}.", nameof(std));
        if (std == 0) return Math.Abs(y - mean);
        double z = (y - mean) / std;
        return std * (z * (2 * NormalDistribution.Cdf(z) - 1) + 2 * NormalDistribution.Pdf(z) - InvSqrtPi);
    }

    /// <summary>Mean CRPS of Gaussian predictions N(μᵢ, uᵢ²) (same units as y; lower is better).</summary>
    public static double Crps(double[] truth, double[] mean, double[] std)
    {
        int n = MetricInput.CheckTriple(truth, mean, std, nameof(std));
        double s = 0;
        for (int i = 0; i < n; i++) s += CrpsGaussian(truth[i], mean[i], std[i]);
        return s / n;
    }

    /// <summary>Fraction of points with |y − μ| ≤ k·u, with the nominal Gaussian level of k and a binomial interval.</summary>
    public static CoverageResult Coverage(double[] truth, double[] mean, double[] std, double k)
    {
        int n = MetricInput.CheckTriple(truth, mean, std, nameof(std));
        if (!(k >= 0) || double.IsInfinity(k)) throw new ArgumentOutOfRangeException(nameof(k), k, "The coverage factor must be finite and non-negative.");
        long covered = 0;
        for (int i = 0; i < n; i++)
            if (Math.Abs(truth[i] - mean[i]) <= k * std[i]) covered++;
        return new CoverageResult(k, NormalDistribution.CoverageLevel(k), (double)covered / n, covered, n, BinomialInterval.Wilson(covered, n));
    }

    /// <summary>Coverage of the central Gaussian interval of a nominal <paramref name="level"/> (k = Φ⁻¹((1+level)/2)).</summary>
    public static CoverageResult CoverageAtLevel(double[] truth, double[] mean, double[] std, double level)
    {
        MetricInput.CheckLevel(level);
        return Coverage(truth, mean, std, NormalDistribution.CoverageFactor(level));
    }

    /// <summary>Coverage at k = 1, 2, 3 (nominal 68.3 %, 95.4 %, 99.7 %).</summary>
    public static CoverageResult[] CoverageAtK123(double[] truth, double[] mean, double[] std) =>
        [Coverage(truth, mean, std, 1), Coverage(truth, mean, std, 2), Coverage(truth, mean, std, 3)];

    /// <summary>The calibration curve: observed coverage of the central Gaussian interval at each nominal level.</summary>
    public static CalibrationCurve Calibration(double[] truth, double[] mean, double[] std, double[]? levels = null)
    {
        int n = MetricInput.CheckTriple(truth, mean, std, nameof(std));
        levels ??= CalibrationCurve.DefaultLevels();
        if (levels.Length == 0) throw new ArgumentException("At least one nominal level is needed.", nameof(levels));
        foreach (var p in levels) MetricInput.CheckLevel(p, nameof(levels));
        // Standardised absolute errors, sorted once: coverage at k is the count of |z| <= k.
        var z = new double[n];
        for (int i = 0; i < n; i++)
        {
            double e = Math.Abs(truth[i] - mean[i]);
            z[i] = std[i] > 0 ? e / std[i] : e == 0 ? 0 : double.PositiveInfinity;
        }
        Array.Sort(z);
        var observed = new double[levels.Length];
        var lo = new double[levels.Length];
        var hi = new double[levels.Length];
        for (int j = 0; j < levels.Length; j++)
        {
            double k = NormalDistribution.CoverageFactor(levels[j]);
            long covered = UpperBound(z, k);
            observed[j] = (double)covered / n;
            var ci = BinomialInterval.Wilson(covered, n);
            lo[j] = ci.Lower;
            hi[j] = ci.Upper;
        }
        return new CalibrationCurve((double[])levels.Clone(), observed, lo, hi, n);
    }

    private static long UpperBound(double[] sorted, double k)
    {
        int a = 0, b = sorted.Length;
        while (a < b)
        {
            int m = (a + b) >>> 1;
            if (sorted[m] <= k) a = m + 1; else b = m;
        }
        return a;
    }

    /// <summary>Mean width 2·k·u of the central Gaussian interval at a nominal level (sharpness; smaller is sharper).</summary>
    public static double MeanIntervalWidth(double[] std, double level = 0.95)
    {
        ArgumentNullException.ThrowIfNull(std);
        if (std.Length == 0) throw new ArgumentException("std is empty.", nameof(std));
        MetricInput.CheckNonNegative(std, nameof(std), false);
        MetricInput.CheckLevel(level);
        return 2 * NormalDistribution.CoverageFactor(level) * std.Average();
    }

    /// <summary>Root-mean-square uncertainty √(mean u²), the sharpness in units of y.</summary>
    public static double RmsUncertainty(double[] std)
    {
        ArgumentNullException.ThrowIfNull(std);
        if (std.Length == 0) throw new ArgumentException("std is empty.", nameof(std));
        MetricInput.CheckNonNegative(std, nameof(std), false);
        return Math.Sqrt(std.Select(s => s * s).Average());
    }

    /// <summary>Pearson and Spearman correlation between |y − μ| and u.</summary>
    public static ErrorUncertaintyCorrelation ErrorCorrelation(double[] truth, double[] mean, double[] std)
    {
        int n = MetricInput.CheckTriple(truth, mean, std, nameof(std));
        var err = new double[n];
        for (int i = 0; i < n; i++) err[i] = Math.Abs(truth[i] - mean[i]);
        return new ErrorUncertaintyCorrelation(Pearson(err, std), Spearman(err, std), n);
    }

    /// <summary>Pearson correlation of two equally long arrays (NaN when either is constant).</summary>
    public static double Pearson(double[] a, double[] b)
    {
        int n = MetricInput.CheckPair(a, b, nameof(a), nameof(b));
        double ma = a.Average(), mb = b.Average();
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < n; i++)
        {
            double da = a[i] - ma, db = b[i] - mb;
            sab += da * db; saa += da * da; sbb += db * db;
        }
        return saa == 0 || sbb == 0 ? double.NaN : sab / Math.Sqrt(saa * sbb);
    }

    /// <summary>
    /// Spearman rank correlation of two equally long arrays: Pearson's of their ranks, ties given their average rank (NaN
    /// when either is constant). ±∞ have ranks; NaN has none and is refused (<see cref="Ranks"/>).
    /// </summary>
    public static double Spearman(double[] a, double[] b) => Pearson(Ranks(a), Ranks(b));

    /// <summary>Ranks 1..n with ties given their average rank.</summary>
    /// <exception cref="ArgumentException">A NaN, which has no place in the order.</exception>
    public static double[] Ranks(double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        for (int i = 0; i < values.Length; i++)
            if (double.IsNaN(values[i])) throw new ArgumentException($"values[{i}] is NaN; NaN has no rank.", nameof(values));
        int n = values.Length;
        var order = Enumerable.Range(0, n).ToArray();
        Array.Sort(order, (i, j) => values[i].CompareTo(values[j]));
        var ranks = new double[n];
        for (int i = 0; i < n;)
        {
            int j = i;
            while (j + 1 < n && values[order[j + 1]] == values[order[i]]) j++;
            double r = 0.5 * (i + j) + 1;
            for (int t = i; t <= j; t++) ranks[order[t]] = r;
            i = j + 1;
        }
        return ranks;
    }

    /// <summary>All metrics at once (u = std; NLL needs std &gt; 0 everywhere and is NaN otherwise).</summary>
    public static RegressionReport Evaluate(double[] truth, double[] mean, double[] std, double[]? levels = null)
    {
        int n = MetricInput.CheckTriple(truth, mean, std, nameof(std));
        var variance = std.Select(s => s * s).ToArray();
        double nll = variance.All(v => v > 0) ? GaussianNll(truth, mean, variance) : double.NaN;
        return new RegressionReport(
            Count: n,
            Rmse: Rmse(truth, mean),
            MeanAbsoluteError: MeanAbsoluteError(truth, mean),
            Nll: nll,
            Crps: Crps(truth, mean, std),
            Coverage: CoverageAtK123(truth, mean, std),
            Calibration: Calibration(truth, mean, std, levels),
            RmsUncertainty: RmsUncertainty(std),
            MeanIntervalWidth95: MeanIntervalWidth(std, 0.95),
            Correlation: ErrorCorrelation(truth, mean, std));
    }

    // ---- tensor overloads ----

    /// <summary>RMSE over the (masked) elements of two tensors of equal shape.</summary>
    public static double Rmse(Tensor truth, Tensor mean, Tensor? mask = null)
    {
        MetricInput.CheckSameShape(truth, mean);
        return Rmse(MetricInput.ToArray(truth, mask), MetricInput.ToArray(mean, mask));
    }

    /// <summary>Gaussian NLL over the (masked) elements of tensors of equal shape.</summary>
    public static double GaussianNll(Tensor truth, Tensor mean, Tensor variance, Tensor? mask = null)
    {
        MetricInput.CheckSameShape(truth, mean, variance, nameof(variance));
        return GaussianNll(MetricInput.ToArray(truth, mask), MetricInput.ToArray(mean, mask), MetricInput.ToArray(variance, mask));
    }

    /// <summary>Mean Gaussian CRPS over the (masked) elements of tensors of equal shape.</summary>
    public static double Crps(Tensor truth, Tensor mean, Tensor std, Tensor? mask = null)
    {
        MetricInput.CheckSameShape(truth, mean, std);
        return Crps(MetricInput.ToArray(truth, mask), MetricInput.ToArray(mean, mask), MetricInput.ToArray(std, mask));
    }

    /// <summary>Coverage at k over the (masked) elements of tensors of equal shape.</summary>
    public static CoverageResult Coverage(Tensor truth, Tensor mean, Tensor std, double k, Tensor? mask = null)
    {
        MetricInput.CheckSameShape(truth, mean, std);
        return Coverage(MetricInput.ToArray(truth, mask), MetricInput.ToArray(mean, mask), MetricInput.ToArray(std, mask), k);
    }

    /// <summary>Calibration curve over the (masked) elements of tensors of equal shape.</summary>
    public static CalibrationCurve Calibration(Tensor truth, Tensor mean, Tensor std, double[]? levels = null, Tensor? mask = null)
    {
        MetricInput.CheckSameShape(truth, mean, std);
        return Calibration(MetricInput.ToArray(truth, mask), MetricInput.ToArray(mean, mask), MetricInput.ToArray(std, mask), levels);
    }

    /// <summary>All metrics over the (masked) elements of tensors of equal shape.</summary>
    public static RegressionReport Evaluate(Tensor truth, Tensor mean, Tensor std, Tensor? mask = null, double[]? levels = null)
    {
        MetricInput.CheckSameShape(truth, mean, std);
        return Evaluate(MetricInput.ToArray(truth, mask), MetricInput.ToArray(mean, mask), MetricInput.ToArray(std, mask), levels);
    }
}
