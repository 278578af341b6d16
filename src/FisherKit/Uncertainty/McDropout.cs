using TorchSharp;
using FisherKit.Models;
using static TorchSharp.torch;

namespace FisherKit.Uncertainty;

/// <summary>
/// Monte Carlo dropout (Gal &amp; Ghahramani 2016): T forward passes with dropout active, combined
/// like ensemble members (mean of the means; aleatoric = mean of the predicted variances for the
/// Gaussian head; epistemic = spread of the pass means). The model must have dropout &gt; 0; train it
/// with <see cref="UNetTraining"/> (or as a one-member <see cref="DeepEnsemble"/> to use the cache).
/// </summary>
public static class McDropout
{
    /// <summary>
    /// The T stochastic passes as member predictions [T, B, C, H, W]; reproducible for a given seed. TorchSharp's
    /// dropout draws its masks from the global generator, so this seeds it for the passes and puts its state back
    /// afterwards (<see cref="GlobalRandom.Fork"/>): the caller's CPU random stream is left as it was (CUDA generators stay seeded).
    /// </summary>
    public static MemberPredictions Sample(UNet model, Tensor inputs, int passes = 30, long seed = 0, int batchSize = 64)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!(model.Options.Dropout > 0))
            throw new ArgumentException("MC dropout needs a U-Net built with Dropout > 0; this one has none, so every pass would be identical.", nameof(model));
        if (passes < 2) throw new ArgumentOutOfRangeException(nameof(passes), passes, "MC dropout needs at least 2 passes.");
        using var random = GlobalRandom.Fork(seed);
        var models = Enumerable.Repeat(model, passes).ToArray();
        return DeepEnsemble.PredictMembers(models, inputs, batchSize, stochastic: true);
    }

    /// <summary>The MC-dropout predictive distribution from <paramref name="passes"/> stochastic passes.</summary>
    public static EnsemblePrediction Predict(UNet model, Tensor inputs, int passes = 30, long seed = 0, int batchSize = 64)
    {
        using var scope = NewDisposeScope();
        var samples = Sample(model, inputs, passes, seed, batchSize);
        var p = EnsembleCombination.Combine(samples.Means, samples.Variances);
        scope.MoveToOuter(p.Mean, p.AleatoricVariance, p.EpistemicVariance, p.Variance);
        return p;
    }
}
