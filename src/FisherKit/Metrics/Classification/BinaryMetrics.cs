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
    public double F1 => TruePositives == 0 ? 0 : 2.0 * TruePositives / (2.0 * TruePositives + FalsePositives + FalseNegatives);

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

    /// <summary>The threshold (among the distinct scores) with the largest F1, and its counts.</summary>
    public static BinaryMetrics BestF1(IReadOnlyList<double> scores, IReadOnlyList<bool> positive)
    {
        Check(scores, positive);
        return scores.Distinct().Select(t => At(scores, positive, t)).OrderByDescending(m => m.F1).ThenByDescending(m => m.Threshold).First();
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
