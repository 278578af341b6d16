namespace FisherKit.ActiveLearning.Loop;

/// <summary>The outcome of one run (one method, one seed): every round's result and the labelled indices in order.</summary>
public sealed class LoopRun
{
    internal LoopRun(string method, long seed, IReadOnlyList<RoundResult> rounds, IReadOnlyList<long> labelled, IReadOnlyList<int> labelledRounds, int resumedRounds)
    {
        Method = method;
        Seed = seed;
        Rounds = rounds;
        Labelled = labelled;
        LabelledRounds = labelledRounds;
        ResumedRounds = resumedRounds;
    }

    /// <summary>The method's name.</summary>
    public string Method { get; }

    /// <summary>The run's seed.</summary>
    public long Seed { get; }

    /// <summary>Results of rounds 0, 1, ….</summary>
    public IReadOnlyList<RoundResult> Rounds { get; }

    /// <summary>Labelled pool indices in labelling order.</summary>
    public IReadOnlyList<long> Labelled { get; }

    /// <summary>The round in which each labelled point joined.</summary>
    public IReadOnlyList<int> LabelledRounds { get; }

    /// <summary>How many rounds were restored from a checkpoint rather than computed.</summary>
    public int ResumedRounds { get; }

    /// <summary>All metric values as tidy records.</summary>
    public IEnumerable<ResultRecord> Records => Rounds.SelectMany(r => r.ToRecords());
}
