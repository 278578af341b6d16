using static TorchSharp.torch;

namespace FisherKit.Detection;

/// <summary>Predictive entropy of one classifier: s(x) = −Σ_c p_c log p_c (nats), p = softmax(z(x)); between 0 and log C.</summary>
public sealed class PredictiveEntropyScore(nn.Module<Tensor, Tensor> model) : LogitScore(model)
{
    /// <inheritdoc />
    public override string Name => "Predictive entropy";

    /// <inheritdoc />
    public override string Description => "s(x) = −Σ_c p_c log p_c with p = softmax(z(x)), in nats.";

    /// <inheritdoc />
    public override Tensor FromLogits(Tensor logits) => ScoreFunctions.EntropyFromLogits(logits);
}
