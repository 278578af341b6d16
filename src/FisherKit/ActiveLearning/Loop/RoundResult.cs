namespace FisherKit.ActiveLearning.Loop;

/// <summary>
/// What one finished round reports (to progress callbacks and in a run's result): the points chosen,
/// the metric values, the wall time, and whether the round was restored from a checkpoint.
/// </summary>
public sealed record RoundResult(string Method, long Seed, int Round, int Labels, IReadOnlyList<long> Selected,
    IReadOnlyDictionary<string, double> Metrics, TimeSpan Elapsed, bool FromCheckpoint)
{
    /// <summary>The round's metrics as tidy records.</summary>
    public IEnumerable<ResultRecord> ToRecords() =>
        Metrics.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => new ResultRecord(Method, Seed, Round, Labels, kv.Key, kv.Value));
}
