using System.Globalization;
using static TorchSharp.torch;

namespace FisherKit.Detection;

/// <summary>
/// Energy score (Liu, Wang, Owens &amp; Li 2020): s(x) = E(x) = −T · log Σ_c exp(z_c(x)/T). In-distribution
/// inputs get large logits and low (very negative) energy; unusual inputs higher energy.
/// </summary>
/// <param name="model">The classifier.</param>
/// <param name="temperature">Temperature T &gt; 0 (the paper uses T = 1).</param>
public sealed class EnergyScore(nn.Module<Tensor, Tensor> model, double temperature = 1) : LogitScore(model)
{
    /// <summary>The temperature T.</summary>
    public double Temperature { get; } = temperature > 0 && double.IsFinite(temperature) ? temperature : throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "The temperature must be positive.");

    /// <inheritdoc />
    public override string Name => Temperature == 1 ? "Energy" : string.Create(CultureInfo.InvariantCulture, $"Energy (T={Temperature:G3})");

    /// <inheritdoc />
    public override string Description => "s(x) = −T log Σ_c exp(z_c(x)/T) (Liu et al. 2020).";

    /// <inheritdoc />
    public override Tensor FromLogits(Tensor logits) => ScoreFunctions.Energy(logits, Temperature);
}
