namespace FisherKit.ActiveLearning.Loop;

/// <summary>
/// How many labels a method needed to reach a target value: on the mean curve over seeds, and per seed
/// (null where the target was not reached within the budget).
/// </summary>
public sealed record LabelsToReach(string Method, double Target, int? MeanCurve, IReadOnlyDictionary<long, int?> PerSeed)
{
    /// <summary>Seeds that reached the target.</summary>
    public int SeedsReached => PerSeed.Values.Count(v => v is not null);
}
