using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FisherKit.Models;

/// <summary>
/// Re-initialises a network's parameters from an explicit generator, with PyTorch's default scheme
/// (Kaiming-uniform weights with a = √5 and biases uniform in ±1/√fan_in for Linear and convolution
/// layers; ones and zeros for normalisation layers), so initial weights depend only on the seed.
/// Parameters of other module types keep their constructor values.
/// </summary>
public static class ParameterInit
{
    /// <summary>Resets every Linear, Conv1d, Conv2d and normalisation layer of <paramref name="network"/>.</summary>
    public static void Reset(nn.Module network, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(generator);
        using var _ = no_grad();
        foreach (var (_, m) in network.NamedModulesWithSelf())
        {
            var own = m.named_parameters(recurse: false).ToDictionary(p => p.name, p => (Tensor)p.parameter);
            switch (m)
            {
                case Linear or Conv1d or Conv2d or ConvTranspose2d:
                    {
                        // kaiming_uniform_(a = √5) draws from ±gain·√(3/fan_in) with gain = √(2/(1 + a²)), i.e. ±1/√fan_in;
                        // TorchSharp's kaiming_uniform_ takes no generator, so the bound is applied directly; and
                        // its nn.init.uniform_ ignores the generator it takes (0.107), Tensor.uniform_ does not.
                        var w = own["weight"];
                        var (fanIn, _) = nn.init.CalculateFanInAndFanOut(w);
                        var bound = fanIn > 0 ? 1 / Math.Sqrt(fanIn) : 0;
                        w.uniform_(-bound, bound, generator);
                        if (own.TryGetValue("bias", out var b)) b.uniform_(-bound, bound, generator);
                        break;
                    }
                case BatchNorm or LayerNorm or GroupNorm:
                    if (own.TryGetValue("weight", out var g)) nn.init.ones_(g);
                    if (own.TryGetValue("bias", out var beta)) nn.init.zeros_(beta);
                    break;
            }
        }
    }
}
