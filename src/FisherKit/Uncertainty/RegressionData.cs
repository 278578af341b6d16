using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Uncertainty;

/// <summary>
/// Image-to-image training data: inputs [B, C_in, H, W], targets [B, C_out, H, W] (float32 for the
/// networks), and an optional mask [H, W] of the pixels that count in losses and metrics (e.g. the
/// aperture). The tensors stay owned by the caller.
/// </summary>
public sealed record RegressionData
{
    /// <summary>Checks shapes, dtypes and values and creates the record.</summary>
    public RegressionData(Tensor inputs, Tensor targets, Tensor? mask = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        if (inputs.ndim != 4) throw new ArgumentException($"inputs must be [B, C, H, W], got [{string.Join(", ", inputs.shape)}].", nameof(inputs));
        if (targets.ndim != 4) throw new ArgumentException($"targets must be [B, C, H, W], got [{string.Join(", ", targets.shape)}].", nameof(targets));
        var si = inputs.shape; var st = targets.shape;
        if (si[0] != st[0]) throw new ArgumentException($"inputs hold {si[0]} samples but targets {st[0]}.", nameof(targets));
        if (si[2] != st[2] || si[3] != st[3]) throw new ArgumentException($"inputs are {si[2]}×{si[3]} but targets {st[2]}×{st[3]}; the grids must agree.", nameof(targets));
        if (si[0] == 0) throw new ArgumentException("The data set is empty.", nameof(inputs));
        if (!inputs.is_floating_point() || !targets.is_floating_point()) throw new ArgumentException("inputs and targets must be floating-point tensors.");
        TensorChecks.Finite(inputs, nameof(inputs));
        TensorChecks.Finite(targets, nameof(targets));
        if (mask is not null && (mask.ndim != 2 || mask.shape[0] != si[2] || mask.shape[1] != si[3]))
            throw new ArgumentException($"mask must be [{si[2]}, {si[3]}], got [{string.Join(", ", mask.shape)}].", nameof(mask));
        // Losses and the last-layer Laplace fit multiply by the mask: a 2 would weight its pixels twice.
        if (mask is not null) FisherKit.Metrics.Regression.MetricInput.CheckMask(mask, nameof(mask));
        Inputs = inputs;
        Targets = targets;
        Mask = mask;
    }

    /// <summary>Inputs [B, C_in, H, W].</summary>
    public Tensor Inputs { get; }

    /// <summary>Targets [B, C_out, H, W].</summary>
    public Tensor Targets { get; }

    /// <summary>Pixels that count, [H, W] (bool or 0/1), or null for all.</summary>
    public Tensor? Mask { get; }

    /// <summary>Number of samples B.</summary>
    public long Count => Inputs.shape[0];
}
