using FisherKit.Detection;
using static TorchSharp.torch;

namespace FisherKit.Metrics.Detection;

/// <summary>Scores clean and unusual inputs and summarises the separation, for one score or a table of them
/// (shown and saved through <see cref="DetectionTables"/>).</summary>
public static class DetectionEvaluation
{
    /// <summary>AUROC, AUPR and FPR95 with percentile-bootstrap intervals for given score values.</summary>
    public static DetectionSummary Summarise(string score, IReadOnlyList<double> clean, IReadOnlyList<double> unusual, int resamples = 1000, double level = 0.95, long seed = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(score);
        var auroc = Bootstrap.Interval(clean, unusual, DetectionMetrics.Auroc, resamples, level, seed);
        var aupr = Bootstrap.Interval(clean, unusual, DetectionMetrics.Aupr, resamples, level, seed);
        var fpr = Bootstrap.Interval(clean, unusual, DetectionMetrics.Fpr95, resamples, level, seed);
        return new DetectionSummary(score, clean.Count, unusual.Count, auroc, aupr, fpr);
    }

    /// <summary>Runs every score on the clean and the unusual inputs and summarises each.</summary>
    public static IReadOnlyList<DetectionSummary> Compare(IEnumerable<IDetectionScore> scores, Tensor clean, Tensor unusual, int batchSize = 256, int resamples = 1000, double level = 0.95, long seed = 0)
    {
        ArgumentNullException.ThrowIfNull(scores);
        return scores.Select(s => Summarise(s.Name, s.ScoreAll(clean, batchSize), s.ScoreAll(unusual, batchSize), resamples, level, seed)).ToList();
    }
}
