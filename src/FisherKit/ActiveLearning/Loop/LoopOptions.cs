using FisherKit.ActiveLearning.Acquisitions;
using FisherKit.Training;

namespace FisherKit.ActiveLearning.Loop;

/// <summary>Settings of one pool-based active-learning run.</summary>
public sealed record LoopOptions
{
    /// <summary>Name of the method in records (default: the acquisition's name).</summary>
    public string? Method { get; init; }

    /// <summary>How the initial labelled set is chosen (random by default; see <see cref="InitialStrategies"/>).</summary>
    public IAcquisition Initial { get; init; } = new RandomAcquisition();

    /// <summary>Size of the initial labelled set.</summary>
    public int InitialSize { get; init; } = 20;

    /// <summary>Points labelled per round after the initial set.</summary>
    public int BatchSize { get; init; } = 10;

    /// <summary>Total labels including the initial set; the last batch is cut to fit.</summary>
    public int Budget { get; init; } = 100;

    /// <summary>When set, each round scores only a random subset of this many unlabelled points (Gal et al.: 2,000).</summary>
    public int? CandidateSubset { get; init; }

    /// <summary>Train the previous round's model further (warm start) instead of a fresh model from the factory each round.</summary>
    public bool WarmStart { get; init; }

    /// <summary>Metrics computed after every round.</summary>
    public IReadOnlyList<Metric> Metrics { get; init; } = [];

    /// <summary>
    /// When set, the run is checkpointed in this cache after every finished round (the labelled set, the
    /// results and the model's tensors) and resumed from there when a checkpoint of the same key exists
    /// (<see cref="ActiveLearningLoop"/>); <c>Retrain</c> on the cache starts over.
    /// </summary>
    public ResultCache? Checkpoints { get; init; }

    /// <summary>
    /// What identifies the run beyond what the loop sees (the model and its training, the experiment's data
    /// and settings; default: nothing but the name "active-learning"). The loop adds its own settings, the
    /// method, the pool's fingerprint and the seed, and names the entry "&lt;name&gt;/&lt;method&gt;.seed&lt;seed&gt;".
    /// </summary>
    public CacheKey? CheckpointKey { get; init; }

    /// <summary>Checks the values; throws naming the first bad one.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Initial, nameof(Initial));
        if (InitialSize < 1) throw new ArgumentOutOfRangeException(nameof(InitialSize), InitialSize, "The initial set needs at least one point.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "Each round labels at least one point.");
        if (Budget < InitialSize) throw new ArgumentOutOfRangeException(nameof(Budget), Budget, $"The budget must cover the initial set ({InitialSize}).");
        if (CandidateSubset is < 1) throw new ArgumentOutOfRangeException(nameof(CandidateSubset), CandidateSubset, "The candidate subset needs at least one point.");
        if (Metrics.Select(m => m.Name).Distinct().Count() != Metrics.Count) throw new ArgumentException("Metric names must be distinct.", nameof(Metrics));
    }
}
