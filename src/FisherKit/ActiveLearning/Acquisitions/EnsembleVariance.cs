using TorchSharp;

namespace FisherKit.ActiveLearning.Acquisitions;

/// <summary>Variance of the posterior predictions across draws (ensemble members or MC passes), averaged over classes or outputs.</summary>
public sealed class EnsembleVariance(int samples = 20) : PosteriorAcquisition(samples, classificationOnly: false)
{
    /// <inheritdoc />
    public override string Name => "Ensemble variance";

    /// <inheritdoc />
    protected override torch.Tensor ScoreSamples(torch.Tensor samples) => PosteriorScores.Variance(samples);
}
