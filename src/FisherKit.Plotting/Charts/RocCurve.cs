namespace FisherKit.Plotting;

/// <summary>
/// An empirical receiver operating characteristic: for every threshold t, the fraction of
/// negatives with score ≥ t (false positive rate) against the fraction of positives with score ≥ t
/// (true positive rate). Tied scores move both rates at once (a diagonal step).
/// </summary>
/// <param name="FalsePositiveRate">From 0 to 1.</param>
/// <param name="TruePositiveRate">From 0 to 1.</param>
/// <param name="Thresholds">The score at each point (+∞ at the origin).</param>
/// <param name="Auc">Area under the curve (trapezoidal rule), equal to P(score⁺ &gt; score⁻) + ½ P(tie).</param>
public sealed record RocCurve(IReadOnlyList<double> FalsePositiveRate, IReadOnlyList<double> TruePositiveRate, IReadOnlyList<double> Thresholds, double Auc)
{
    /// <summary>Computes the curve; a higher score means "more likely positive".</summary>
    /// <exception cref="ArgumentException">Lengths differ, a score is NaN, or one class is empty.</exception>
    public static RocCurve FromScores(IReadOnlyList<double> scores, IReadOnlyList<bool> isPositive)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(isPositive);
        if (scores.Count != isPositive.Count)
            throw new ArgumentException($"{scores.Count} scores but {isPositive.Count} labels; they must match.", nameof(isPositive));
        if (scores.Any(double.IsNaN)) throw new ArgumentException("A score is NaN.", nameof(scores));
        var pos = isPositive.Count(p => p);
        var neg = isPositive.Count - pos;
        if (pos == 0 || neg == 0) throw new ArgumentException($"A ROC curve needs both classes; got {pos} positives and {neg} negatives.", nameof(isPositive));
        var order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToArray();
        var fpr = new List<double> { 0 };
        var tpr = new List<double> { 0 };
        var thr = new List<double> { double.PositiveInfinity };
        int tp = 0, fp = 0;
        for (var k = 0; k < order.Length;)
        {
            var s = scores[order[k]];
            while (k < order.Length && scores[order[k]] == s)
            {
                if (isPositive[order[k]]) tp++; else fp++;
                k++;
            }
            fpr.Add((double)fp / neg);
            tpr.Add((double)tp / pos);
            thr.Add(s);
        }
        var auc = 0.0;
        for (var i = 1; i < fpr.Count; i++) auc += (fpr[i] - fpr[i - 1]) * (tpr[i] + tpr[i - 1]) / 2;
        return new RocCurve(fpr, tpr, thr, auc);
    }
}
