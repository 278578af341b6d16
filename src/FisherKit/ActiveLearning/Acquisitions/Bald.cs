using TorchSharp;

namespace FisherKit.ActiveLearning.Acquisitions;

/// <summary>BALD (Houlsby et al. 2011; Gal et al. 2017): mutual information between the label and the weights, H[p̄] − mean_t H[p̂ᵗ]; zero for a deterministic model. Classification only.</summary>
public sealed class Bald(int samples = 20) : PosteriorAcquisition(samples, classificationOnly: true)
{
    /// <inheritdoc />
    public override string Name => "BALD";

    /// <inheritdoc />
    protected override torch.Tensor ScoreSamples(torch.Tensor samples) => PosteriorScores.Bald(samples);
}
