using TorchSharp;

namespace FisherKit.ActiveLearning.Acquisitions;

/// <summary>
/// Variation ratios 1 − max_c p̄_c of the mean prediction p̄ over MC-dropout samples, as Gal et al. (2017) define it for
/// acquisition. Freeman's (1965) variation ratio counts votes instead, 1 − (samples voting for the modal class)/S: that
/// is the detection measure <see cref="FisherKit.Detection.SampleMeasure.VariationRatio"/>; both are 0 when the samples
/// agree on a confident class, and they rank candidates differently when samples are split. Classification only.
/// </summary>
public sealed class VariationRatios(int samples = 20) : PosteriorAcquisition(samples, classificationOnly: true)
{
    /// <inheritdoc />
    public override string Name => "Variation ratios";

    /// <inheritdoc />
    protected override torch.Tensor ScoreSamples(torch.Tensor samples) => PosteriorScores.VariationRatios(samples);
}
