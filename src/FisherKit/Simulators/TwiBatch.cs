using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Simulators;

/// <summary>
/// A batch of virtual measurements with their ground truth (float64, nm). Tensors belong to the
/// dispose scope that was current when the batch was made (if any); <see cref="Dispose"/> frees them early.
/// </summary>
/// <param name="Coefficients">Zernike coefficients of the in-distribution part, [B, K].</param>
/// <param name="Deviation">The true form deviation Δz including inserted defects, [B, 1, N, N].</param>
/// <param name="Defects">The inserted out-of-distribution part of Δz (zeros if none), [B, 1, N, N].</param>
/// <param name="CleanMeasurement">Noise-free optical path differences, [B, S, N, N].</param>
/// <param name="Measurement">Measured optical path differences (with noise, zero outside each patch), [B, S, N, N].</param>
/// <param name="NoiseSigma">The noise σ actually used (nm).</param>
/// <param name="Seed">The seed the batch was drawn with.</param>
/// <param name="Ood">The insertions applied.</param>
public sealed record TwiBatch(Tensor Coefficients, Tensor Deviation, Tensor Defects, Tensor CleanMeasurement, Tensor Measurement, double NoiseSigma, long Seed, OodOptions Ood) : IDisposable
{
    /// <summary>B, the number of samples.</summary>
    public long Count => Deviation.shape[0];

    /// <summary>Network inputs: Measurement/<paramref name="scale"/> as float32 [B, S, N, N].</summary>
    public Tensor Inputs(double scale) => Scaled(Measurement, scale);

    /// <summary>Network targets: Deviation/<paramref name="scale"/> as float32 [B, 1, N, N].</summary>
    public Tensor Targets(double scale) => Scaled(Deviation, scale);

    private static Tensor Scaled(Tensor t, double scale)
    {
        if (!(scale > 0) || double.IsInfinity(scale)) throw new ArgumentOutOfRangeException(nameof(scale), scale, "The scale must be positive and finite.");
        using var scope = NewDisposeScope();
        return scope.MoveToOuter((t / Hold(scale)).to(ScalarType.Float32));
    }

    /// <summary>Disposes the tensors.</summary>
    public void Dispose()
    {
        Coefficients.Dispose();
        Deviation.Dispose();
        Defects.Dispose();
        CleanMeasurement.Dispose();
        Measurement.Dispose();
    }
}
