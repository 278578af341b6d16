namespace FisherKit.Training;

/// <summary>
/// The outcome of training a model or loading it from the <see cref="ResultCache"/>
/// (<see cref="ResultCache.LoadOrTrain"/>): which entry, the learning curves, and whether and why it was
/// trained.
/// </summary>
/// <param name="Key">The cache key, or null when no cache was used.</param>
/// <param name="Folder">The cache entry's folder, or null when no cache was used.</param>
/// <param name="History">The learning curves of the training run (read back from the cache when loaded).</param>
/// <param name="FromCache">True when the weights were loaded instead of trained.</param>
/// <param name="Note">What happened, e.g. "loaded from …", "trained (nothing cached yet)", "retrained: the entry … was made with engine …".</param>
public sealed record TrainingRun(CacheKey? Key, string? Folder, TrainingHistory History, bool FromCache, string Note)
{
    /// <summary>The weights file of the cache entry, or null when no cache was used.</summary>
    public string? WeightsPath => Folder is null ? null : Path.Combine(Folder, ResultCache.WeightsFile);

    /// <summary>A run trained without a cache.</summary>
    public static TrainingRun Uncached(TrainingHistory history) => new(null, null, history, FromCache: false, "trained (no cache)");

    /// <summary>"key: loaded from …" or "key: trained …; saved to …", with the history's summary.</summary>
    public override string ToString() =>
        Key is null ? $"{Note} ({History})"
        : FromCache ? $"{Key}: {Note} ({History})"
        : $"{Key}: {Note}; saved to {Folder} ({History})";
}
