using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Fisher.PerSample;

/// <summary>
/// Records, during one forward pass, the input and output of every module that has a fast
/// per-sample rule, and lists the parameters that have none (they fall back to a per-sample loop).
/// Disposing removes the hooks and releases the recorded tensors.
/// </summary>
internal sealed class LayerCapture : IDisposable
{
    internal sealed record Record(string Prefix, nn.Module Module, LayerRule Rule, Tensor Input, Tensor Output);

    private readonly List<Action> _removeHooks = [];
    private readonly List<Record> _records = [];

    public LayerCapture(nn.Module<Tensor, Tensor> model)
    {
        var covered = new HashSet<string>();
        foreach (var (prefix, module) in model.NamedModulesWithSelf())
        {
            if (module is not nn.Module<Tensor, Tensor> typed) continue;
            var rule = LayerRule.For(module);
            if (rule is null) continue;
            var local = module.named_parameters(recurse: false).ToList();
            if (local.Count == 0) continue;
            foreach (var (n, _) in local) covered.Add(prefix.Length == 0 ? n : $"{prefix}.{n}");
            _removeHooks.Add(typed.register_forward_hook((m, input, output) =>
            {
                // Keep our own references: containers dispose intermediate outputs after use.
                _records.Add(new Record(prefix, m, rule, input.detach(), output.alias()));
                return output;
            }).remove);
        }
        Fallback = model.named_parameters().Where(p => !covered.Contains(p.name)).Select(p => p.name).ToList();
    }

    /// <summary>What the last forward pass recorded, in call order.</summary>
    public IReadOnlyList<Record> Records => _records;

    /// <summary>Parameters without a fast rule (by full name).</summary>
    public IReadOnlyList<string> Fallback { get; }

    /// <summary>Removes the hooks (recorded tensors stay until Dispose).</summary>
    public void Detach()
    {
        foreach (var remove in _removeHooks) remove();
        _removeHooks.Clear();
    }

    public void Dispose()
    {
        Detach();
        foreach (var r in _records)
        {
            r.Input.Dispose();
            r.Output.Dispose();
        }
        _records.Clear();
    }
}
