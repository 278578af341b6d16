using TorchSharp;

namespace FisherKit.Uncertainty;

/// <summary>
/// The raw predictions of M members (or M stochastic passes): means [M, B, C, H, W] and, for the
/// Gaussian head, variances of the same shape. Combine them with <see cref="EnsembleCombination"/>.
/// </summary>
/// <param name="Means">Member means.</param>
/// <param name="Variances">Member variances, or null for mean-only heads.</param>
public sealed record MemberPredictions(torch.Tensor Means, torch.Tensor? Variances) : IDisposable
{
    /// <summary>M.</summary>
    public int Count => (int)Means.shape[0];

    /// <summary>Disposes the tensors.</summary>
    public void Dispose()
    {
        Means.Dispose();
        Variances?.Dispose();
    }
}
