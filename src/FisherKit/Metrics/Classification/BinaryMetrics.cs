namespace FisherKit.Metrics.Classification;

/// <summary>
/// Precision, recall and F1 of a binary decision "score ≥ threshold means positive" (e.g. a rare defect):
/// precision = TP/(TP + FP) (NaN when nothing is flagged), recall = TP/(TP + FN), F1 = 2PR/(P + R).
/// </summary>
/// <param name="Threshold">The threshold.</param>
/// <param name="TruePositives">Positives flagged.</param>
/// <param name="FalsePositives">Negatives flagged.</param>
/// <param name="FalseNegatives">Positives missed.</param>
/// <param name="TrueNegatives">Negatives passed.</param>
public sealed record BinaryMetrics(double Threshold, long TruePositives, long FalsePositives, long FalseNegatives, long TrueNegatives)
{
    /// <summary>TP/(TP + FP).</summary>
    public double Precision => TruePositives + FalsePositives > 0 ? TruePositives / (double)(TruePositives + FalsePositives) : double.NaN;

    /// <summary>TP/(TP + FN).</summary>
    public double Recall => TruePositives + FalseNegatives > 0 ? TruePositives / (double)(TruePositives + FalseNegatives) : double.NaN;

    /// <summary>2PR/(P + R) (0 when nothing is found).</summary>
    public double F1 => F1Of(TruePositives, FalsePositives, FalseNegatives);

    private static double F1Of(long tp, long fp, long fn) => tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);

    /// <summary>Counts at <paramref name="threshold"/> for scores and true labels (true = positive).</summary>
    public static BinaryMetrics At(IReadOnlyList<double> scores, IReadOnlyList<bool> positive, double threshold)
    {
        Check(scores, positive);
        long tp = 0, fp = 0, fn = 0, tn = 0;
        for (int i = 0; i < scores.Count; i++)
        {
            bool flag = scores[i] >= threshold;
            if (positive[i]) { if (flag) tp++; else fn++; }
            else { if (flag) fp++; else tn++; }
        }
        return new BinaryMetrics(threshold, tp, fp, fn, tn);
    }

    /// <summary>
    /// The threshold (among the distinct scores) with the largest F1, and its counts; among thresholds with equal F1 the
    /// largest. O(n log n): the scores are sorted once and the thresholds swept from the largest down, each group of
    /// equal scores flagged together (0 and −0 are one threshold, the one that comes first in the scores).
    /// </summary>
    public static BinaryMetrics BestF1(IReadOnlyList<double> scores, IReadOnlyList<bool> positive)
    {
        Check(scores, positive);
        int n = scores.Count;
        var s = new double[n];
        var y = new bool[n];
        long positives = 0;
        for (int i = 0; i < n; i++)
        {
            s[i] = scores[i];
            y[i] = positive[i];
            if (y[i]) positives++;
        }
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        // Decreasing score; equal scores in input order, so a group's threshold is its first score (as Distinct keeps it).
        Array.Sort(order, (a, b) => { int c = s[b].CompareTo(s[a]); return c != 0 ? c : a.CompareTo(b); });
        long tp = 0, fp = 0;
        BinaryMetrics? best = null;
        double bestF1 = double.NegativeInfinity;
        for (int i = 0; i < n;)
        {
            double threshold = s[order[i]];
            int j = i;
            for (; j < n && s[order[j]] == threshold; j++)
                if (y[order[j]]) tp++; else fp++;
            double f1 = F1Of(tp, fp, positives - tp);
            if (f1 > bestF1)                        // strictly: on equal F1 the larger threshold, met first, stays
            {
                bestF1 = f1;
                best = new BinaryMetrics(threshold, tp, fp, positives - tp, n - positives - fp);
            }
            i = j;
        }
        return best!;
    }

    private static void Check(IReadOnlyList<double> scores, IReadOnlyList<bool> positive)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(positive);
        if (scores.Count != positive.Count) throw new ArgumentException($"{scores.Count} scores but {positive.Count} labels.", nameof(positive));
        if (scores.Count == 0) throw new ArgumentException("No scores.", nameof(scores));
        if (scores.Any(double.IsNaN)) throw new ArgumentException("A score is NaN.", nameof(scores));
    }
}
