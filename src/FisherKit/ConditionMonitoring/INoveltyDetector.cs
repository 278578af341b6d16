namespace FisherKit.ConditionMonitoring;

/// <summary>A novelty detector fitted on normal feature vectors: larger scores mean less normal.</summary>
public interface INoveltyDetector
{
    /// <summary>Short name for tables and legends.</summary>
    string Name { get; }

    /// <summary>The novelty score of each row of <paramref name="features"/>.</summary>
    double[] Score(IReadOnlyList<double[]> features);
}
