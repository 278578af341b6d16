using TorchSharp;

namespace FisherKit.ActiveLearning.Acquisitions;

/// <summary>Variation ratios 1 − max_c p̄_c (Freeman 1965; Gal et al. 2017). Classification only.</summary>
public sealed class VariationRatios(int samples = 20) : PosteriorAcquisition(samples)
{
    /// <inheritdoc />
    public override string Name => "Variation ratios";

    /// <inheritdoc />
    protected override bool Supports(TaskKind task) => task == TaskKind.Classification;

    /// <inheritdoc />
    protected override torch.Tensor ScoreSamples(torch.Tensor samples) => PosteriorScores.VariationRatios(samples);
}
