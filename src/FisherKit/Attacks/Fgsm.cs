using static TorchSharp.torch;

namespace FisherKit.Attacks;

/// <summary>
/// Fast gradient sign method (Goodfellow, Shlens &amp; Szegedy 2015): one step of size ε along the sign
/// of the input gradient of the cross-entropy loss,
/// x' = clip(x + ε · sign(∇ₓ L(f(x), y))). The result satisfies ‖x' − x‖∞ ≤ ε up to one rounding of the input's dtype (float32: ε = 0.1 can come out as 0.10000002).
/// </summary>
/// <param name="epsilon">Step size ε = the L∞ bound, on the input scale (e.g. 0.1 for images in [0, 1]).</param>
public sealed class Fgsm(double epsilon) : Attack
{
    /// <summary>The L∞ bound ε.</summary>
    public double Epsilon { get; } = epsilon > 0 && double.IsFinite(epsilon) ? epsilon : throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε must be a positive finite number.");

    /// <inheritdoc />
    public override string Name => $"FGSM(ε={F(Epsilon)})";

    /// <inheritdoc />
    protected override Tensor GenerateCore(nn.Module<Tensor, Tensor> model, Tensor inputs, Tensor labels)
    {
        using var scope = NewDisposeScope();
        var g = LossGradient(model, inputs, labels);
        return scope.MoveToOuter(Clip(inputs.add(g.sign() * Hold(Epsilon), One)));
    }
}
