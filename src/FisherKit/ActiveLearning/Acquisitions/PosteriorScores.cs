using FisherKit.Detection;
using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.ActiveLearning.Acquisitions;

/// <summary>
/// Uncertainty scores from S posterior predictions (Gal, Islam &amp; Ghahramani 2017), one per input.
/// Classification samples are probabilities p̂ᵗ (S, N, C) with p̄ = (1/S) Σ_t p̂ᵗ; regression samples
/// are means (S, N, D). All results are float64 (N).
/// </summary>
public static class PosteriorScores
{
    private static Tensor Check(Tensor samples, string what)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.ndim != 3) throw new ArgumentException($"{what} needs samples of shape (S, N, C), got {TensorChecks.Shape(samples.shape)}.", nameof(samples));
        return samples.to(ScalarType.Float64);
    }

    /// <summary>−Σ_c p log p per row, with 0 log 0 = 0; p is (N, C).</summary>
    private static Tensor RowEntropy(Tensor p) => (p * p.clamp_min(Hold(1e-300)).log()).sum(-1).neg();

    /// <summary>Predictive entropy H[p̄] = −Σ_c p̄_c log p̄_c (max entropy).</summary>
    public static Tensor Entropy(Tensor probabilities)
    {
        using var scope = NewDisposeScope();
        var p = Check(probabilities, nameof(Entropy));
        return scope.MoveToOuter(RowEntropy(p.mean([0])));
    }

    /// <summary>BALD: H[p̄] − (1/S) Σ_t H[p̂ᵗ], the mutual information between the label and the weights; zero when all samples agree.</summary>
    public static Tensor Bald(Tensor probabilities)
    {
        using var scope = NewDisposeScope();
        var p = Check(probabilities, nameof(Bald));
        var mi = RowEntropy(p.mean([0])) - RowEntropy(p).mean([0]);
        return scope.MoveToOuter(mi.clamp_min(Hold(0)));
    }

    /// <summary>Variation ratios: 1 − max_c p̄_c.</summary>
    public static Tensor VariationRatios(Tensor probabilities)
    {
        using var scope = NewDisposeScope();
        var p = Check(probabilities, nameof(VariationRatios));
        return scope.MoveToOuter((p.mean([0]).max(1).values - Hold(1.0)).neg());
    }

    /// <summary>Mean standard deviation: (1/C) Σ_c √(mean_t (p̂ᵗ_c − p̄_c)²); for regression samples the mean over outputs of the standard deviation of the sampled means.</summary>
    public static Tensor MeanStd(Tensor samples)
    {
        using var scope = NewDisposeScope();
        var p = Check(samples, nameof(MeanStd));
        return scope.MoveToOuter(ScoreFunctions.SpreadAroundMean(p).sqrt().mean([1]));
    }

    /// <summary>Sample variance across posterior draws (population form), averaged over classes or outputs: the ensemble-variance score.</summary>
    public static Tensor Variance(Tensor samples)
    {
        using var scope = NewDisposeScope();
        var p = Check(samples, nameof(Variance));
        return scope.MoveToOuter(ScoreFunctions.SpreadAroundMean(p).mean([1]));
    }

}
