using static TorchSharp.torch;

namespace FisherKit.Detection;

/// <summary>
/// A score that tells how unusual an input is to a trained classifier: one number per input, higher
/// = more unusual (adversarial, corrupted, out of distribution). Every detection method of FisherKit,
/// the Fisher-information quantities included, implements this one interface, so that tables, ROC
/// curves and rank curves treat them alike. Scores that need fitting (Mahalanobis) or several models
/// (ensembles, Monte Carlo dropout) receive those in their constructor or factory; <see cref="Score"/>
/// itself must not change the model (modes are restored, parameter gradients untouched).
/// </summary>
public interface IDetectionScore
{
    /// <summary>Short name for tables and legends, e.g. "Energy" or "Fisher form (full, unit v)".</summary>
    string Name { get; }

    /// <summary>One or two sentences: the formula and the variant implemented.</summary>
    string Description { get; }

    /// <summary>Scores a batch of inputs (N, ...): N values, higher = more unusual.</summary>
    double[] Score(Tensor inputs);
}
