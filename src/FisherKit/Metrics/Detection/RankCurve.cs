namespace FisherKit.Metrics.Detection;

/// <summary>
/// A rank curve: how unusual the inputs of growing corruption strength look to one score, on the
/// scale-free rank scale of <see cref="EmpiricalCdf"/> against clean reference inputs. Curves of
/// different scores can be overlaid: the faster a curve rises towards 1, the earlier the score notices
/// the corruption. At strength 0 with the reference inputs themselves the mean rank is about ½.
/// </summary>
public sealed class RankCurve
{
    private RankCurve(string score, double alarmRank, RankCurvePoint[] points)
    {
        Score = score;
        AlarmRank = alarmRank;
        Points = points;
    }

    /// <summary>The score's name.</summary>
    public string Score { get; }

    /// <summary>The rank above which an input counts as flagged.</summary>
    public double AlarmRank { get; }

    /// <summary>One point per strength, in the order given.</summary>
    public IReadOnlyList<RankCurvePoint> Points { get; }

    /// <summary>
    /// Computes the curve from the score's values on the clean reference inputs and on the inputs of
    /// every strength.
    /// </summary>
    /// <param name="score">Name for legends.</param>
    /// <param name="reference">Scores of clean reference inputs (e.g. clean test images).</param>
    /// <param name="levels">Pairs (strength, scores of the inputs corrupted with that strength).</param>
    /// <param name="alarmRank">Rank above which an input is counted as flagged (default 0.95).</param>
    public static RankCurve Compute(string score, IReadOnlyList<double> reference, IEnumerable<(double Strength, IReadOnlyList<double> Scores)> levels, double alarmRank = 0.95)
    {
        ArgumentException.ThrowIfNullOrEmpty(score);
        ArgumentNullException.ThrowIfNull(levels);
        if (!(alarmRank >= 0 && alarmRank < 1)) throw new ArgumentOutOfRangeException(nameof(alarmRank), alarmRank, "The alarm rank must lie in [0, 1).");
        var cdf = new EmpiricalCdf(reference);
        var points = new List<RankCurvePoint>();
        foreach (var (strength, scores) in levels)
        {
            var r = cdf.Ranks(ScoreChecks.Finite(scores, nameof(levels)));
            Array.Sort(r);
            double mean = r.Average();
            double se = r.Length > 1 ? Math.Sqrt(r.Sum(v => (v - mean) * (v - mean)) / (r.Length - 1) / r.Length) : double.NaN;
            points.Add(new RankCurvePoint(strength, r.Length, mean, se, Bootstrap.Quantile(r, 0.5), Bootstrap.Quantile(r, 0.25), Bootstrap.Quantile(r, 0.75),
                r.Count(v => v > alarmRank) / (double)r.Length));
        }
        if (points.Count == 0) throw new ArgumentException("No strength levels were given.", nameof(levels));
        return new RankCurve(score, alarmRank, points.ToArray());
    }
}
