using TorchSharp;

namespace FisherKit.ActiveLearning.Acquisitions;

/// <summary>Variation ratios 1 − max_c p̄_c (Freeman 1965; Gal et al. 2017). Classification only.</summary>
public sealed class VariationRatios(int samples = 20) : PosteriorAcquisition(samples, classificationOnly: true)
{
    /// <inheritdoc />
    public override string Name => "Variation ratios";

    /// <inheritdoc />
    protected override torch.Tensor ScoreSamples(torch.Tensor samples) => PosteriorScores.VariationRatios(samples);
}
