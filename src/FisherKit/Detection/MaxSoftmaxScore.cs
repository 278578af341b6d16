using static TorchSharp.torch;

namespace FisherKit.Detection;

/// <summary>
/// Maximum-softmax-probability baseline (Hendrycks &amp; Gimpel 2017), turned into an unusualness score:
/// s(x) = 1 − max_c p_c(x) with p = softmax(z). A confident prediction scores near 0, a uniform one
/// 1 − 1/C.
/// </summary>
public sealed class MaxSoftmaxScore(nn.Module<Tensor, Tensor> model) : LogitScore(model)
{
    /// <inheritdoc />
    public override string Name => "1 − max softmax";

    /// <inheritdoc />
    public override string Description => "s(x) = 1 − max_c softmax(z(x))_c (Hendrycks & Gimpel 2017).";

    /// <inheritdoc />
    public override Tensor FromLogits(Tensor logits)
    {
        using var scope = NewDisposeScope();
        return scope.MoveToOuter((ScoreFunctions.MaxSoftmaxProbability(logits) - Hold(1)).neg());
    }
}
