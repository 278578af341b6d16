using FisherKit.Torch;
using static FisherKit.Torch.torch;

namespace FisherKit.Uncertainty;

/// <summary>
/// Training losses of the regression heads, averaged over the masked pixels, channels and samples:
/// the mean squared error for the mean head, and PyTorch's <c>gaussian_nll_loss</c>
/// ½[log σ² + (y − μ)²/σ²] (without the constant) for the Gaussian head.
/// </summary>
public static class RegressionLosses
{
    /// <summary>The loss of a U-Net output for the targets; <paramref name="useMse"/> forces the MSE on the mean (warm-up).</summary>
    public static Tensor Loss(UNet model, Tensor output, Tensor target, Tensor? mask = null, bool useMse = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var scope = NewDisposeScope();
        var (mean, variance) = model.Split(output);
        if (!mean.shape.SequenceEqual(target.shape))
            throw new ArgumentException($"The prediction has shape [{string.Join(", ", mean.shape)}] but the target [{string.Join(", ", target.shape)}].", nameof(target));
        Tensor perPixel = variance is null || useMse
            ? (mean - target).square()
            : nn.functional.gaussian_nll_loss(mean, target, variance, reduction: Reduction.None);
        return scope.MoveToOuter(MaskedMean(perPixel, mask));
    }

    /// <summary>Mean of a [B, C, H, W] tensor over the pixels where <paramref name="mask"/> [H, W] is set (all when null).</summary>
    public static Tensor MaskedMean(Tensor values, Tensor? mask)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (mask is null) return values.mean();
        using var scope = NewDisposeScope();
        var m = mask.to(values.dtype);
        var total = (values * m).sum();
        double count = m.sum().item() * values.shape[0] * values.shape[1];
        if (count == 0) throw new ArgumentException("The mask selects no pixel.", nameof(mask));
        return scope.MoveToOuter(total / count);
    }
}
