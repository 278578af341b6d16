using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Fisher.PerSample;

/// <summary>
/// The result of a per-sample pass: the network output and, per parameter tensor (model order),
/// either Gram matrices (N, K, K) or per-sample gradients (K, N, parameter shape...). Owns its tensors.
/// </summary>
public sealed class GramResult : IDisposable
{
    private readonly List<(string name, Tensor value)> _entries;

    internal GramResult(Tensor output, List<(string, Tensor)> entries, IReadOnlyList<string> fallback, bool isGram)
    {
        Output = output;
        _entries = entries;
        FallbackParameters = fallback;
        IsGram = isGram;
    }

    /// <summary>The network output (N, C), detached.</summary>
    public Tensor Output { get; }

    /// <summary>True for Gram matrices, false for per-sample gradients.</summary>
    public bool IsGram { get; }

    /// <summary>Parameter names in model order.</summary>
    public IEnumerable<string> Names => _entries.Select(e => e.name);

    /// <summary>Parameters that had no fast rule and went through the per-sample loop.</summary>
    public IReadOnlyList<string> FallbackParameters { get; }

    /// <summary>The entry of one parameter tensor.</summary>
    public Tensor this[string name] => _entries.First(e => e.name == name).value;

    /// <summary>Per parameter tensor, in model order.</summary>
    public IReadOnlyList<(string name, Tensor value)> Entries => _entries;

    /// <summary>Σ over parameter tensors of the Gram matrices: the Gram matrix of the full per-sample gradients, (N, K, K).</summary>
    public Tensor Total()
    {
        if (!IsGram) throw new InvalidOperationException("Total() sums Gram matrices; this result holds gradients.");
        using var scope = NewDisposeScope();
        var acc = _entries[0].value.clone();
        foreach (var (_, v) in _entries.Skip(1)) acc.add_(v, One);
        return scope.MoveToOuter(acc);
    }

    /// <summary>Disposes the output and every entry.</summary>
    public void Dispose()
    {
        Output.Dispose();
        foreach (var (_, v) in _entries) v.Dispose();
    }
}
