using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Fisher.PerSample;

/// <summary>
/// Result of <see cref="PerSampleGradients.GradientJvp"/>: the network output, J_n g_n (N, C), and per
/// parameter tensor t (model order) ‖g_{n,t}‖² (N) and, when asked for, J_{n,t} g_{n,t} (N, C). Owns its tensors.
/// </summary>
public sealed class GradientJvpResult : IDisposable
{
    internal GradientJvpResult(Tensor output, Tensor total, List<(string name, Tensor? jvp, Tensor squaredNorm)> entries)
    {
        Output = output;
        Total = total;
        Entries = entries;
    }

    /// <summary>J_n g_n over all parameters, (N, C).</summary>
    public Tensor Total { get; }

    /// <summary>The network output (N, C), detached.</summary>
    public Tensor Output { get; }

    /// <summary>Per parameter tensor: name, J_t g_t (N, C; null unless asked for per tensor), ‖g_t‖² (N).</summary>
    public IReadOnlyList<(string name, Tensor? jvp, Tensor squaredNorm)> Entries { get; }

    /// <summary>Releases every tensor.</summary>
    public void Dispose()
    {
        Output.Dispose();
        Total.Dispose();
        foreach (var (_, j, n) in Entries)
        {
            j?.Dispose();
            n.Dispose();
        }
    }
}
