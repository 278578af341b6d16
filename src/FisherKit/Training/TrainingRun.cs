namespace FisherKit.Training;

/// <summary>The outcome of <see cref="ClassifierTrainer.FitOrLoad"/>: which weights, from where, and how they were trained.</summary>
/// <param name="Key">The configuration's cache key.</param>
/// <param name="WeightsPath">The safetensors file holding the weights.</param>
/// <param name="History">The learning curves of the training run (read back from the cache when loaded).</param>
/// <param name="FromCache">True when the weights were loaded instead of trained.</param>
public sealed record TrainingRun(TrainingKey Key, string WeightsPath, TrainingHistory History, bool FromCache)
{
    /// <summary>"trained in 41.2 s" or "loaded from data/cache/models/...".</summary>
    public override string ToString() => FromCache
        ? $"{Key}: loaded from {WeightsPath} ({History})"
        : $"{Key}: trained and saved to {WeightsPath} ({History})";
}
