namespace FisherKit.Plotting;

/// <summary>
/// Confidence of a classifier's predictions grouped into equal-width bins on [0, 1], with the
/// accuracy in each bin, for reliability diagrams (Guo et al. 2017). The expected calibration
/// error is Σ_b (n_b / n) |accuracy_b − confidence_b|.
/// </summary>
/// <param name="BinCenters">Centre of each bin.</param>
/// <param name="MeanConfidence">Mean confidence in each bin (NaN when empty).</param>
/// <param name="Accuracy">Fraction correct in each bin (NaN when empty).</param>
/// <param name="Counts">Predictions per bin.</param>
/// <param name="ExpectedCalibrationError">ECE over all bins.</param>
public sealed record ReliabilityBins(IReadOnlyList<double> BinCenters, IReadOnlyList<double> MeanConfidence, IReadOnlyList<double> Accuracy,
    IReadOnlyList<int> Counts, double ExpectedCalibrationError)
{
    /// <summary>Bins predictions by confidence (bin b holds (b/B, (b+1)/B]; confidence 0 goes to the first bin).</summary>
    /// <exception cref="ArgumentException">Lengths differ, no predictions, a confidence outside [0, 1], or <paramref name="bins"/> &lt; 1.</exception>
    public static ReliabilityBins FromPredictions(IReadOnlyList<double> confidence, IReadOnlyList<bool> correct, int bins = 10)
    {
        ArgumentNullException.ThrowIfNull(confidence);
        ArgumentNullException.ThrowIfNull(correct);
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        if (confidence.Count != correct.Count)
            throw new ArgumentException($"{confidence.Count} confidences but {correct.Count} outcomes; they must match.", nameof(correct));
        if (confidence.Count == 0) throw new ArgumentException("No predictions.", nameof(confidence));
        var sumConf = new double[bins];
        var sumCorrect = new double[bins];
        var counts = new int[bins];
        for (var i = 0; i < confidence.Count; i++)
        {
            var c = confidence[i];
            if (!(c >= 0 && c <= 1)) throw new ArgumentException($"Confidence {c} at index {i} is outside [0, 1].", nameof(confidence));
            var b = Math.Clamp((int)Math.Ceiling(c * bins) - 1, 0, bins - 1);
            sumConf[b] += c;
            sumCorrect[b] += correct[i] ? 1 : 0;
            counts[b]++;
        }
        var meanConf = new double[bins];
        var acc = new double[bins];
        var ece = 0.0;
        for (var b = 0; b < bins; b++)
        {
            meanConf[b] = counts[b] == 0 ? double.NaN : sumConf[b] / counts[b];
            acc[b] = counts[b] == 0 ? double.NaN : sumCorrect[b] / counts[b];
            if (counts[b] > 0) ece += (double)counts[b] / confidence.Count * Math.Abs(acc[b] - meanConf[b]);
        }
        var centers = Enumerable.Range(0, bins).Select(b => (b + 0.5) / bins).ToArray();
        return new ReliabilityBins(centers, meanConf, acc, counts, ece);
    }
}
