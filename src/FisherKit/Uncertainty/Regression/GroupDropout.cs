using static TorchSharp.torch;

namespace FisherKit.Uncertainty.Regression;

/// <summary>
/// Dropout whose Bernoulli mask is shared by consecutive groups of <see cref="GroupSize"/> rows of the batch: the
/// errors-in-variables layer (Martin &amp; Elster 2022; the PTB group's later code calls it EIVDropout). An EiV
/// network sees each example as K noisy copies laid out example-major (rows i·K … i·K + K − 1); all K copies must
/// pass through the same network, i.e. the same mask, so that the average over the input noise sits inside the log
/// for one draw of the weights. With <see cref="GroupSize"/> = 1 it is ordinary dropout. Active only in training
/// mode (and for MC-dropout prediction); the kept elements are scaled by 1/(1 − p). Masks come from
/// <see cref="Generator"/> (null: the global generator).
/// </summary>
public sealed class GroupDropout : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the layer with drop probability <paramref name="p"/> in [0, 1).</summary>
    public GroupDropout(double p) : base(nameof(GroupDropout))
    {
        if (!(p >= 0 && p < 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "The drop probability must lie in [0, 1).");
        P = p;
    }

    /// <summary>Drop probability.</summary>
    public double P { get; }

    /// <summary>Rows that share one mask (default 1).</summary>
    public int GroupSize { get; set; } = 1;

    /// <summary>The generator of the masks; null uses the global generator.</summary>
    public Generator? Generator { get; set; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        if (!training || P == 0) return input.alias();
        long rows = input.shape[0];
        if (GroupSize < 1 || rows % GroupSize != 0)
            throw new ArgumentException($"The batch has {rows} rows, which is not a multiple of the group size {GroupSize} (K input draws per example).", nameof(input));
        using var scope = NewDisposeScope();
        var shape = input.shape.ToArray();
        shape[0] = rows / GroupSize;
        using var keep = full(shape, Hold(1 - P), input.dtype, input.device);
        var mask = bernoulli(keep, Generator);
        if (GroupSize > 1) mask = mask.repeat_interleave(GroupSize, 0);
        return scope.MoveToOuter(input * mask * Hold(1.0 / (1 - P)));
    }
}
