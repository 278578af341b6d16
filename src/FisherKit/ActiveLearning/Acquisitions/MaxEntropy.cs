using TorchSharp;

namespace FisherKit.ActiveLearning.Acquisitions;

/// <summary>Predictive entropy of the MC-averaged class probabilities, H[p̄] (Gal et al. 2017). Classification only.</summary>
public sealed class MaxEntropy(int samples = 20) : PosteriorAcquisition(samples, classificationOnly: true)
{
    /// <inheritdoc />
    public override string Name => "Max entropy";

    /// <inheritdoc />
    protected override torch.Tensor ScoreSamples(torch.Tensor samples) => PosteriorScores.Entropy(samples);

    /// <inheritdoc />
    protected override bool ScoresSpread => false;   // the entropy of the mean prediction: defined for a deterministic network too
}
