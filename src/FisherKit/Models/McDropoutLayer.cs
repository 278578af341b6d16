using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Models;

/// <summary>
/// Dropout whose masks come from a generator that the owning model sets (<see cref="Generator"/>),
/// so training and MC-dropout sampling are reproducible without touching the global generator
/// (which other threads may use). Active only in training mode, as <c>nn.Dropout</c>: elements are
/// zeroed with probability p and the rest scaled by 1/(1 − p).
/// </summary>
public sealed class McDropoutLayer : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the layer with drop probability <paramref name="p"/>.</summary>
    public McDropoutLayer(double p = 0.5) : base(nameof(McDropoutLayer))
    {
        if (!(p >= 0 && p < 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "The drop probability must lie in [0, 1).");
        this.p = p;
    }

    /// <summary>Drop probability.</summary>
    public double p { get; }

    /// <summary>The generator of the masks; null uses the global generator.</summary>
    public Generator? Generator { get; set; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        if (!training || p == 0) return input.alias();
        using var scope = NewDisposeScope();
        using var keep = full(input.shape, Hold(1 - p), input.dtype, input.device);
        var mask = bernoulli(keep, Generator);
        return scope.MoveToOuter(input * mask * Hold(1.0 / (1 - p)));
    }
}
