using TorchSharp;

namespace FisherKit.ActiveLearning.Acquisitions;

/// <summary>Mean standard deviation of the sampled class probabilities (Kampffmeyer et al. 2016; Gal et al. 2017); for regression the standard deviation of the sampled means.</summary>
public sealed class MeanStd(int samples = 20) : PosteriorAcquisition(samples, classificationOnly: false)
{
    /// <inheritdoc />
    public override string Name => "Mean STD";

    /// <inheritdoc />
    protected override torch.Tensor ScoreSamples(torch.Tensor samples) => PosteriorScores.MeanStd(samples);
}
