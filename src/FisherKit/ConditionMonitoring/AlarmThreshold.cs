namespace FisherKit.ConditionMonitoring;

/// <summary>
/// An alarm threshold set from a stated false-alarm rate α on n scores of normal data s_(1) ≤ … ≤ s_(n):
/// τ = s_(m) with m = ⌈(1 − α)(n + 1)⌉, an alarm being s &gt; τ. For a new normal score exchangeable with the
/// n, P(s &gt; τ) = 1 − m/(n + 1) ∈ (α − 1/(n + 1), α] (the split-conformal quantile; Vovk et al. 2005). When
/// m &gt; n no finite threshold holds the rate and τ = +∞ (never alarm).
/// </summary>
/// <param name="Threshold">τ.</param>
/// <param name="FalseAlarmRate">The stated α.</param>
/// <param name="CalibrationCount">n.</param>
public sealed record AlarmThreshold(double Threshold, double FalseAlarmRate, int CalibrationCount)
{
    /// <summary>
    /// The false-alarm probability 1 − m/(n + 1) of the threshold for exchangeable normal scores: exact for continuous
    /// scores (no ties), an upper bound where scores tie (a new score equal to τ raises no alarm).
    /// </summary>
    public double GuaranteedRate => 1 - Rank(FalseAlarmRate, CalibrationCount) / (double)(CalibrationCount + 1);

    /// <summary>The threshold for false-alarm rate <paramref name="rate"/> from <paramref name="normalScores"/>.</summary>
    public static AlarmThreshold FromFalseAlarmRate(IReadOnlyList<double> normalScores, double rate)
    {
        ArgumentNullException.ThrowIfNull(normalScores);
        if (normalScores.Count == 0) throw new ArgumentException("No normal scores to set the threshold from.", nameof(normalScores));
        if (!(rate > 0 && rate < 1)) throw new ArgumentOutOfRangeException(nameof(rate), rate, "The false-alarm rate must lie in (0, 1).");
        if (normalScores.Any(s => double.IsNaN(s))) throw new ArgumentException("A normal score is NaN.", nameof(normalScores));
        var sorted = normalScores.OrderBy(s => s).ToArray();
        int m = Rank(rate, sorted.Length);
        return new AlarmThreshold(m > sorted.Length ? double.PositiveInfinity : sorted[m - 1], rate, sorted.Length);
    }

    /// <summary>Whether <paramref name="score"/> raises an alarm (score &gt; τ); a NaN score (a faulty sensor or feature) is refused, as it would never alarm.</summary>
    public bool Alarms(double score) => double.IsNaN(score)
        ? throw new ArgumentException("The score is NaN: it can be neither above nor below the threshold; check the sensor or the features it came from.", nameof(score))
        : score > Threshold;

    private static int Rank(double rate, int n) => (int)Math.Ceiling((1 - rate) * (n + 1) - 1e-9);
}
