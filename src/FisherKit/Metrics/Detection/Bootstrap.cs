namespace FisherKit.Metrics.Detection;

/// <summary>
/// Percentile bootstrap confidence intervals for detection metrics (Efron &amp; Tibshirani 1993). The
/// clean and the unusual scores are resampled separately with replacement (each group keeps its
/// size), the metric is recomputed on every resample, and the interval is given by the
/// (1 − level)/2 and (1 + level)/2 quantiles (linear interpolation) of the resampled values. The point
/// estimate is the metric on the original data. Resamples are drawn from a seeded generator, so the
/// interval is reproducible.
/// </summary>
public static class Bootstrap
{
    /// <summary>Interval for any metric of (negatives, positives), e.g. <see cref="DetectionMetrics.Auroc"/>.</summary>
    public static ConfidenceInterval Interval(IReadOnlyList<double> negatives, IReadOnlyList<double> positives,
        Func<IReadOnlyList<double>, IReadOnlyList<double>, double> metric, int resamples = 1000, double level = 0.95, long seed = 0)
    {
        ArgumentNullException.ThrowIfNull(metric);
        var neg = ScoreChecks.Finite(negatives, nameof(negatives));
        var pos = ScoreChecks.Finite(positives, nameof(positives));
        if (resamples < 2) throw new ArgumentOutOfRangeException(nameof(resamples), resamples, "At least two resamples are needed.");
        if (!(level > 0 && level < 1)) throw new ArgumentOutOfRangeException(nameof(level), level, "The confidence level must lie in (0, 1).");
        double estimate = metric(neg, pos);
        var rng = new Random(unchecked((int)(seed ^ (seed >> 32))));
        var values = new List<double>(resamples);
        var rn = new double[neg.Length];
        var rp = new double[pos.Length];
        for (int b = 0; b < resamples; b++)
        {
            for (int i = 0; i < rn.Length; i++) rn[i] = neg[rng.Next(neg.Length)];
            for (int i = 0; i < rp.Length; i++) rp[i] = pos[rng.Next(pos.Length)];
            var v = metric(rn, rp);
            if (!double.IsNaN(v)) values.Add(v);
        }
        if (values.Count < 2) throw new InvalidOperationException("The metric was undefined (NaN) on almost every resample.");
        values.Sort();
        double alpha = (1 - level) / 2;
        return new ConfidenceInterval(estimate, Quantile(values, alpha), Quantile(values, 1 - alpha), level, values.Count);
    }

    /// <summary>The q-quantile of sorted values with linear interpolation between order statistics.</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double q)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0) throw new ArgumentException("No values.", nameof(sorted));
        if (!(q >= 0 && q <= 1)) throw new ArgumentOutOfRangeException(nameof(q), q, "The quantile must lie in [0, 1].");
        double h = (sorted.Count - 1) * q;
        int lo = (int)Math.Floor(h);
        int hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
