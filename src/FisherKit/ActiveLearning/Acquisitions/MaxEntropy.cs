using TorchSharp;

namespace FisherKit.ActiveLearning.Acquisitions;

/// <summary>Predictive entropy of the MC-averaged class probabilities, H[p̄] (Gal et al. 2017). Classification only.</summary>
public sealed class MaxEntropy(int samples = 20) : PosteriorAcquisition(samples)
{
    /// <inheritdoc />
    public override string Name => "Max entropy";

    /// <inheritdoc />
    protected override bool Supports(TaskKind task) => task == TaskKind.Classification;

    /// <inheritdoc />
    protected override torch.Tensor ScoreSamples(torch.Tensor samples) => PosteriorScores.Entropy(samples);
}
