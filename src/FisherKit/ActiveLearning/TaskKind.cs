namespace FisherKit.ActiveLearning;

/// <summary>What the model predicts, which fixes the meaning of targets and predictions.</summary>
public enum TaskKind
{
    /// <summary>Class labels: targets are int64 in [0, C); predictions are class probabilities (N, C).</summary>
    Classification,
    /// <summary>Real values: targets are floating point (N) or (N, D); predictions are means (N, D).</summary>
    Regression,
}
