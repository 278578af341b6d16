using FisherKit.Data;
using FisherKit.Detection;
using static TorchSharp.torch;

namespace FisherKit.Metrics.Detection;

/// <summary>
/// The "modified input" experiment in one call: every score is computed on clean reference inputs and
/// on inputs corrupted with growing strength, giving one <see cref="RankCurve"/> per score and, per
/// strength, the raw score values (for AUROC tables against the clean inputs).
/// </summary>
public static class CorruptionStudy
{
    /// <summary>Result of <see cref="Run"/>: rank curves and the raw scores, keyed by score name.</summary>
    /// <param name="Kind">The corruption.</param>
    /// <param name="Strengths">The strengths, in order.</param>
    /// <param name="Reference">Scores of the clean reference inputs, per score.</param>
    /// <param name="Corrupted">Scores of the corrupted inputs, per score and strength (same order as <paramref name="Strengths"/>).</param>
    /// <param name="Curves">The rank curves, per score.</param>
    public sealed record Result(CorruptionKind Kind, IReadOnlyList<double> Strengths, IReadOnlyDictionary<string, double[]> Reference,
        IReadOnlyDictionary<string, double[][]> Corrupted, IReadOnlyDictionary<string, RankCurve> Curves);

    /// <summary>
    /// Scores <paramref name="reference"/> (clean) and <paramref name="evaluated"/> corrupted with each
    /// strength (corruption noise fixed by <paramref name="seed"/>; the same seed at every strength, so
    /// noise patterns only grow). <paramref name="evaluated"/> may be the reference set itself: then the
    /// curve starts near ½ at strength 0.
    /// </summary>
    public static Result Run(IReadOnlyList<IDetectionScore> scores, ImageDataset reference, ImageDataset evaluated, CorruptionKind kind,
        IReadOnlyList<double> strengths, long seed = 0, int batchSize = 256, Device? device = null, double alarmRank = 0.95)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(evaluated);
        ArgumentNullException.ThrowIfNull(strengths);
        if (scores.Count == 0) throw new ArgumentException("Give at least one score.", nameof(scores));
        if (strengths.Count == 0) throw new ArgumentException("Give at least one strength.", nameof(strengths));
        if (scores.Select(s => s.Name).Distinct().Count() != scores.Count) throw new ArgumentException("Score names must be distinct.", nameof(scores));
        var refScores = scores.ToDictionary(s => s.Name, s => s.ScoreAll(reference, batchSize, device));
        var corrupted = scores.ToDictionary(s => s.Name, _ => new double[strengths.Count][]);
        for (int k = 0; k < strengths.Count; k++)
        {
            using var data = evaluated.Corrupt(kind, strengths[k], seed, batchSize);
            foreach (var s in scores) corrupted[s.Name][k] = s.ScoreAll(data, batchSize, device);
        }
        var curves = scores.ToDictionary(s => s.Name, s => RankCurve.Compute(s.Name, refScores[s.Name],
            strengths.Select((v, k) => (v, (IReadOnlyList<double>)corrupted[s.Name][k])), alarmRank));
        return new Result(kind, strengths.ToArray(), refScores, corrupted.ToDictionary(p => p.Key, p => p.Value), curves);
    }
}
