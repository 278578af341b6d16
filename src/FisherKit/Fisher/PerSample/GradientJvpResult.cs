using FisherKit.Torch;
using static FisherKit.Torch.torch;

namespace FisherKit.Fisher.PerSample;

/// <summary>
/// Result of <see cref="PerSampleGradients.GradientJvp"/>: the network output and, per parameter
/// tensor t (model order), J_{n,t} g_{n,t} (N, C) and ‖g_{n,t}‖² (N). Owns its tensors.
/// </summary>
public sealed class GradientJvpResult : IDisposable
{
    internal GradientJvpResult(Tensor output, List<(string name, Tensor jvp, Tensor squaredNorm)> entries)
    {
        Output = output;
        Entries = entries;
    }

    /// <summary>The network output (N, C), detached.</summary>
    public Tensor Output { get; }

    /// <summary>Per parameter tensor: name, J_t g_t (N, C), ‖g_t‖² (N).</summary>
    public IReadOnlyList<(string name, Tensor jvp, Tensor squaredNorm)> Entries { get; }

    /// <summary>Releases every tensor.</summary>
    public void Dispose()
    {
        Output.Dispose();
        foreach (var (_, j, n) in Entries)
        {
            j.Dispose();
            n.Dispose();
        }
    }
}
