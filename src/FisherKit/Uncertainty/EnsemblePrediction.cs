using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Uncertainty;

/// <summary>
/// A per-pixel Gaussian predictive distribution from an ensemble or from MC dropout: mean, aleatoric
/// and epistemic variance and their sum. Tensors are [B, C, H, W] and belong to the dispose scope
/// that was current when the distribution was made; <see cref="Dispose"/> frees them early.
/// </summary>
/// <param name="Mean">Predictive mean μ̄.</param>
/// <param name="AleatoricVariance">Mean of the members' predicted variances (zero for mean-only heads).</param>
/// <param name="EpistemicVariance">Spread of the members' means (after any correction).</param>
/// <param name="Variance">Total predictive variance = aleatoric + epistemic.</param>
/// <param name="Members">Number of members (or MC-dropout passes) combined.</param>
/// <param name="Correction">Correction applied to the epistemic part.</param>
public sealed record EnsemblePrediction(Tensor Mean, Tensor AleatoricVariance, Tensor EpistemicVariance, Tensor Variance, int Members, EnsembleCorrection Correction) : IDisposable
{
    /// <summary>
    /// Degrees of freedom of the Student-t reading of the epistemic part: M − 1 with the
    /// finite-ensemble correction, ∞ otherwise. Used for t-based coverage factors.
    /// </summary>
    public double DegreesOfFreedom => Correction.HasFlag(EnsembleCorrection.FiniteEnsemble) ? Members - 1 : double.PositiveInfinity;

    /// <summary>The total standard uncertainty √Variance (a new tensor).</summary>
    public Tensor Std() => Variance.sqrt();

    /// <summary>The same distribution in other units: mean × factor, variances × factor² (new tensors).</summary>
    public EnsemblePrediction Scaled(double factor)
    {
        if (!(factor > 0) || double.IsInfinity(factor)) throw new ArgumentOutOfRangeException(nameof(factor), factor, "The scale factor must be positive and finite.");
        double f2 = factor * factor;
        return this with { Mean = Mean * Hold(factor), AleatoricVariance = AleatoricVariance * Hold(f2), EpistemicVariance = EpistemicVariance * Hold(f2), Variance = Variance * Hold(f2) };
    }

    /// <summary>Disposes the tensors.</summary>
    public void Dispose()
    {
        Mean.Dispose();
        AleatoricVariance.Dispose();
        EpistemicVariance.Dispose();
        Variance.Dispose();
    }
}
