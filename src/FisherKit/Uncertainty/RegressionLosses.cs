using TorchSharp;
using FisherKit.Models;
using static TorchSharp.torch;

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
            ? (mean - target).pow(Hold(2))
            : GaussianNll(mean, target, variance);
        return scope.MoveToOuter(MaskedMean(perPixel, mask));
    }

    /// <summary>
    /// The loss minimised during the MSE warm-up of a Gaussian head: the squared error of the mean plus
    /// the Gaussian NLL of the variance given the <em>detached</em> mean,
    /// <c>(y − μ)² + ½[log σ² + (y − sg(μ))²/σ²]</c> (sg: no gradient). The mean is trained by the squared
    /// error alone, while the variance head learns the size of the current residuals, so that the switch
    /// to the full NLL starts from a variance that fits them (an untrained head can sit at a tiny σ², whose
    /// 1/σ² gradients then wreck the mean). Returns the loss to minimise and the squared error to report.
    /// </summary>
    public static (Tensor Loss, Tensor SquaredError) WarmupLoss(UNet model, Tensor output, Tensor target, Tensor? mask = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var scope = NewDisposeScope();
        var (mean, variance) = model.Split(output);
        if (!mean.shape.SequenceEqual(target.shape))
            throw new ArgumentException($"The prediction has shape [{string.Join(", ", mean.shape)}] but the target [{string.Join(", ", target.shape)}].", nameof(target));
        var mse = MaskedMean((mean - target).pow(Hold(2)), mask);
        var reported = mse.detach();
        var loss = variance is null
            ? mse
            : mse.add(MaskedMean(GaussianNll(mean.detach(), target, variance), mask), One);
        scope.MoveToOuter(loss, reported);
        return (loss, reported);
    }

    /// <summary>
    /// PyTorch's <c>gaussian_nll_loss(mean, target, variance, reduction="none")</c> per element:
    /// ½[log max(σ², 1e-6) + (y − μ)²/max(σ², 1e-6)], the clamp not blocking the gradient to σ².
    /// TorchSharp's <c>gaussian_nll_loss</c> sums each sample's terms even without reduction (shape [B]).
    /// </summary>
    private static Tensor GaussianNll(Tensor mean, Tensor target, Tensor variance)
    {
        using var scope = NewDisposeScope();
        var v = variance.clone();
        using (no_grad()) v.clamp_(Hold(1e-6));
        return scope.MoveToOuter(v.log().add((mean - target).pow(Hold(2)) / v, One) * Hold(0.5));
    }

    /// <summary>Mean of a [B, C, H, W] tensor over the pixels where <paramref name="mask"/> [H, W] is set (all when null).</summary>
    public static Tensor MaskedMean(Tensor values, Tensor? mask)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (mask is null) return values.mean();
        using var scope = NewDisposeScope();
        var m = mask.to(values.dtype);
        var total = (values * m).sum();
        double count = m.sum().ToDouble() * values.shape[0] * values.shape[1];
        if (count == 0) throw new ArgumentException("The mask selects no pixel.", nameof(mask));
        return scope.MoveToOuter(total / Hold(count));
    }
}
