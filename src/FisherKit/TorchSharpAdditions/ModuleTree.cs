using System.Reflection;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FisherKit.TorchSharpAdditions;

/// <summary>Walking a TorchSharp module tree as PyTorch does, and swapping parameter values.</summary>
public static class ModuleTree
{
    /// <summary>
    /// The module itself (name "") followed by every submodule with its dotted name, in pre-order:
    /// PyTorch's <c>named_modules()</c>. TorchSharp's <c>named_modules()</c> leaves the module itself out,
    /// so a bare <c>nn.Linear</c> would have no modules at all.
    /// </summary>
    public static IEnumerable<(string name, nn.Module module)> NamedModulesWithSelf(this nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        yield return ("", model);
        foreach (var m in model.named_modules()) yield return m;
    }

    /// <summary>True when the model has a dropout layer (Dropout, Dropout1d/2d/3d, AlphaDropout).</summary>
    public static bool HasDropout(this nn.Module model) => model.NamedModulesWithSelf().Any(m => IsDropout(m.module));

    /// <summary>Whether <paramref name="module"/> is one of TorchSharp's dropout layers.</summary>
    public static bool IsDropout(nn.Module module) =>
        module is Dropout or Dropout1d or Dropout2d or Dropout3d or AlphaDropout or FeatureAlphaDropout;

    /// <summary>
    /// Replaces the named parameters by other values until the result is disposed, without touching the
    /// original parameter tensors: a graph recorded with either set stays valid after the swap back
    /// (an in-place copy would bump the parameters' version and break it). The values are used as
    /// constants (no gradient flows into them). Names are those of <c>named_parameters()</c>.
    /// </summary>
    /// <example>
    /// <code>
    /// var plus = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach() + 1e-3 * v[p.name]);
    /// using (model.WithParameterValues(plus)) { var logp = model.call(x); }
    /// </code>
    /// </example>
    public static IDisposable WithParameterValues(this nn.Module model, IReadOnlyDictionary<string, Tensor> values)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(values);
        var own = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, t) in values)
        {
            if (!own.TryGetValue(name, out var p))
                throw new ArgumentException($"{model.GetType().Name} has no parameter \"{name}\" (it has: {string.Join(", ", own.Keys)}).", nameof(values));
            TensorChecks.Alive(t, name);
            if (!p.shape.SequenceEqual(t.shape))
                throw new ArgumentException($"Parameter \"{name}\" has shape {TensorChecks.Shape(p)}, the substitute {TensorChecks.Shape(t)}.", nameof(values));
            TensorChecks.SameKind(p, t, name, $"the substitute for {name}");
        }
        var swaps = new List<(nn.Module module, string local, Parameter original, Parameter substitute)>();
        try
        {
            foreach (var (prefix, module) in model.NamedModulesWithSelf())
                foreach (var (local, original) in module.named_parameters(recurse: false))
                {
                    var full = prefix.Length == 0 ? local : $"{prefix}.{local}";
                    if (!values.TryGetValue(full, out var value)) continue;
                    var substitute = new Parameter(value.detach(), requires_grad: false);
                    SetParameter(module, local, substitute);
                    swaps.Add((module, local, original, substitute));
                }
        }
        catch
        {
            Restore(swaps);
            throw;
        }
        return new Swap(swaps);
    }

    /// <summary>
    /// Points a module's parameter slot at another Parameter: through its public property of that name
    /// (TorchSharp's layers: <c>weight</c>, <c>bias</c>), else its field of that name (custom modules
    /// registered with <c>RegisterComponents</c>), and re-registers it.
    /// </summary>
    private static void SetParameter(nn.Module module, string name, Parameter value)
    {
        const BindingFlags Flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
        for (var type = module.GetType(); type is not null; type = type.BaseType)
        {
            if (type.GetProperty(name, Flags | BindingFlags.DeclaredOnly) is { CanWrite: true } property && property.PropertyType.IsAssignableFrom(typeof(Parameter)))
            {
                property.SetValue(module, value);
                module.register_parameter(name, value);
                return;
            }
            if (type.GetField(name, Flags | BindingFlags.DeclaredOnly) is { } field && field.FieldType.IsAssignableFrom(typeof(Parameter)))
            {
                field.SetValue(module, value);
                module.register_parameter(name, value);
                return;
            }
        }
        throw new NotSupportedException(
            $"Cannot substitute parameter \"{name}\" of {module.GetType().Name}: it has no settable property or field of that name holding it.");
    }

    private static void Restore(List<(nn.Module module, string local, Parameter original, Parameter substitute)> swaps)
    {
        for (int i = swaps.Count - 1; i >= 0; i--)
        {
            var (module, local, original, _) = swaps[i];
            SetParameter(module, local, original);
        }
    }

    private sealed class Swap(List<(nn.Module module, string local, Parameter original, Parameter substitute)> swaps) : IDisposable
    {
        private bool _done;

        public void Dispose()
        {
            if (_done) return;
            _done = true;
            Restore(swaps);
            // The substitutes stay alive for graphs that saved them; their handles go with the GC of those graphs.
        }
    }
}
