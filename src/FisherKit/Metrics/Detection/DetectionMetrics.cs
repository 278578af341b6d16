namespace FisherKit.Metrics.Detection;

/// <summary>
/// Threshold-free metrics of a detection score that separates clean inputs (negatives) from unusual
/// ones (positives, e.g. adversarial or out of distribution), higher score = more unusual. Ties are
/// handled exactly: inputs with equal scores are flagged together at a threshold.
/// </summary>
public static class DetectionMetrics
{
    /// <summary>
    /// Area under the ROC curve, AUROC = P(s⁺ &gt; s⁻) + ½ P(s⁺ = s⁻) for a random positive and negative
    /// (the Mann–Whitney statistic), computed from mid-ranks in O(n log n). 0.5 = no separation, 1 = perfect.
    /// </summary>
    public static double Auroc(IReadOnlyList<double> negatives, IReadOnlyList<double> positives)
    {
        var neg = ScoreChecks.Finite(negatives, nameof(negatives));
        var pos = ScoreChecks.Finite(positives, nameof(positives));
        int n = neg.Length, p = pos.Length;
        var all = new (double v, bool positive)[n + p];
        for (int i = 0; i < n; i++) all[i] = (neg[i], false);
        for (int i = 0; i < p; i++) all[n + i] = (pos[i], true);
        Array.Sort(all, (a, b) => a.v.CompareTo(b.v));
        double rankSum = 0;
        for (int i = 0; i < all.Length;)
        {
            int j = i;
            while (j < all.Length && all[j].v == all[i].v) j++;
            double midRank = (i + 1.0 + j) / 2.0;     // ranks i+1 .. j share their mean
            for (int k = i; k < j; k++) if (all[k].positive) rankSum += midRank;
            i = j;
        }
        return (rankSum - (double)p * (p + 1.0) / 2.0) / ((double)p * n);   // p(p+1) in double: an int overflows above 46,340 positives
    }

    /// <summary>
    /// The ROC curve: one point per distinct threshold, from (FPR, TPR) = (0, 0) at threshold +∞ to (1, 1)
    /// at the smallest score. Linear interpolation between the points (the diagonal step of a tie)
    /// gives an area equal to <see cref="Auroc"/>.
    /// </summary>
    public static RocPoint[] RocCurve(IReadOnlyList<double> negatives, IReadOnlyList<double> positives)
    {
        var (thresholds, fp, tp, n, p) = Cumulative(negatives, positives);
        var points = new List<RocPoint>(thresholds.Length + 1) { new(double.PositiveInfinity, 0, 0) };
        for (int k = 0; k < thresholds.Length; k++) points.Add(new RocPoint(thresholds[k], fp[k] / (double)n, tp[k] / (double)p));
        return points.ToArray();
    }

    /// <summary>
    /// Area under the precision–recall curve with the unusual inputs as positives, as average precision
    /// AP = Σ_k (R_k − R_{k−1}) P_k over distinct thresholds in decreasing order (the step-wise definition,
    /// without interpolation, as scikit-learn's average_precision_score). A random score gives about the
    /// fraction of positives.
    /// </summary>
    public static double Aupr(IReadOnlyList<double> negatives, IReadOnlyList<double> positives)
    {
        var (_, fp, tp, _, p) = Cumulative(negatives, positives);
        double ap = 0, previousRecall = 0;
        for (int k = 0; k < tp.Length; k++)
        {
            double recall = tp[k] / (double)p;
            double precision = tp[k] / (double)(tp[k] + fp[k]);
            ap += (recall - previousRecall) * precision;
            previousRecall = recall;
        }
        return ap;
    }

    /// <summary>The precision–recall curve, one point per distinct threshold in decreasing order.</summary>
    public static PrPoint[] PrecisionRecallCurve(IReadOnlyList<double> negatives, IReadOnlyList<double> positives)
    {
        var (thresholds, fp, tp, _, p) = Cumulative(negatives, positives);
        return Enumerable.Range(0, thresholds.Length).Select(k => new PrPoint(thresholds[k], tp[k] / (double)p, tp[k] / (double)(tp[k] + fp[k]))).ToArray();
    }

    /// <summary>
    /// False-positive rate at the highest threshold whose true-positive rate reaches
    /// <paramref name="tpr"/> (default 95 %): the fraction of clean inputs flagged when a fraction
    /// <paramref name="tpr"/> of the unusual ones is caught. 0 is best. With P positives the threshold is
    /// the ⌈tpr·P⌉-th largest positive score, and FPR counts negatives at or above it.
    /// </summary>
    public static double FprAtTpr(IReadOnlyList<double> negatives, IReadOnlyList<double> positives, double tpr = 0.95)
    {
        if (!(tpr > 0 && tpr <= 1)) throw new ArgumentOutOfRangeException(nameof(tpr), tpr, "The true-positive rate must lie in (0, 1].");
        var neg = ScoreChecks.Finite(negatives, nameof(negatives));
        var pos = ScoreChecks.Finite(positives, nameof(positives));
        Array.Sort(pos);
        int needed = (int)Math.Ceiling(tpr * pos.Length - 1e-9);
        needed = Math.Clamp(needed, 1, pos.Length);
        double threshold = pos[pos.Length - needed];
        return neg.Count(v => v >= threshold) / (double)neg.Length;
    }

    /// <summary>FPR at 95 % TPR (see <see cref="FprAtTpr"/>).</summary>
    public static double Fpr95(IReadOnlyList<double> negatives, IReadOnlyList<double> positives) => FprAtTpr(negatives, positives, 0.95);

    /// <summary>Counts at each distinct threshold, in decreasing order: inputs with score ≥ threshold.</summary>
    private static (double[] thresholds, long[] fp, long[] tp, int n, int p) Cumulative(IReadOnlyList<double> negatives, IReadOnlyList<double> positives)
    {
        var neg = ScoreChecks.Finite(negatives, nameof(negatives));
        var pos = ScoreChecks.Finite(positives, nameof(positives));
        var all = new (double v, bool positive)[neg.Length + pos.Length];
        for (int i = 0; i < neg.Length; i++) all[i] = (neg[i], false);
        for (int i = 0; i < pos.Length; i++) all[neg.Length + i] = (pos[i], true);
        Array.Sort(all, (a, b) => b.v.CompareTo(a.v));
        var thresholds = new List<double>();
        var fp = new List<long>();
        var tp = new List<long>();
        long f = 0, t = 0;
        for (int i = 0; i < all.Length;)
        {
            int j = i;
            while (j < all.Length && all[j].v == all[i].v)
            {
                if (all[j].positive) t++; else f++;
                j++;
            }
            thresholds.Add(all[i].v);
            fp.Add(f);
            tp.Add(t);
            i = j;
        }
        return (thresholds.ToArray(), fp.ToArray(), tp.ToArray(), neg.Length, pos.Length);
    }
}
