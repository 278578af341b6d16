using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Simulators;

/// <summary>
/// A Gaussian estimate of form deviations from a batch of measurements: the coefficient means and
/// the per-pixel mean and standard deviation maps (float64, zero outside the aperture).
/// </summary>
/// <param name="CoefficientMean">Posterior (or estimator) mean of the coefficients, [B, K].</param>
/// <param name="Mean">Per-pixel mean of Δz, [B, 1, N, N].</param>
/// <param name="Std">Per-pixel standard deviation of Δz, [B, 1, N, N] (the same map for every measurement in the linear-Gaussian model).</param>
public sealed record PosteriorEstimate(Tensor CoefficientMean, Tensor Mean, Tensor Std) : IDisposable
{
    /// <summary>Disposes the three tensors.</summary>
    public void Dispose()
    {
        CoefficientMean.Dispose();
        Mean.Dispose();
        Std.Dispose();
    }
}
