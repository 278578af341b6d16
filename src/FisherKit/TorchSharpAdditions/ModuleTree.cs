using System.Reflection;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FisherKit.TorchSharpAdditions;

/// <summary>Walking a TorchSharp module tree as PyTorch does, and swapping parameter values.</summary>
public static class ModuleTree
{
    /// <summary>
    /// The module itself (name "") followed by every submodule with its dotted name, depth first in
    /// pre-order (each module before its children, children in registration order), a module that is
    /// registered twice only under its first name: PyTorch's <c>named_modules()</c>. TorchSharp's
    /// <c>named_modules()</c> leaves the module itself out (a bare <c>nn.Linear</c> has no modules at all)
    /// and lists all children before any grandchild.
    /// </summary>
    public static IEnumerable<(string name, nn.Module module)> NamedModulesWithSelf(this nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Walk(model, "", new HashSet<nn.Module>(ReferenceEqualityComparer.Instance));
    }

    private static IEnumerable<(string name, nn.Module module)> Walk(nn.Module module, string name, HashSet<nn.Module> seen)
    {
        if (!seen.Add(module)) yield break;
        yield return (name, module);
        foreach (var (childName, child) in module.named_children())
            foreach (var m in Walk(child, name.Length == 0 ? childName : $"{name}.{childName}", seen))
                yield return m;
    }

    /// <summary>True when the model has a dropout layer (Dropout, Dropout1d/2d/3d, AlphaDropout).</summary>
    public static bool HasDropout(this nn.Module model) => model.NamedModulesWithSelf().Any(m => IsDropout(m.module));

    /// <summary>
    /// For a module of type <c>Sequential</c> (exactly: a subclass may change its forward), its top-level
    /// layers before the first one that holds a dropout layer, and the layers from there on. The first
    /// part gives the same output in every Monte Carlo dropout pass, so it can run once. Two empty lists
    /// when the module is not a Sequential, has no dropout layer or starts with one (then the whole
    /// module runs in every pass). <paramref name="isDropout"/> says which modules drop (default:
    /// <see cref="IsDropout"/>).
    /// </summary>
    public static (IReadOnlyList<nn.Module<Tensor, Tensor>> Deterministic, IReadOnlyList<nn.Module<Tensor, Tensor>> Stochastic) SplitAtFirstDropout(
        this nn.Module<Tensor, Tensor> model, Func<nn.Module, bool>? isDropout = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        isDropout ??= IsDropout;
        if (model.GetType() != typeof(Sequential)) return ([], []);
        var children = ((Sequential)model).children().ToList();
        if (children.Any(c => c is not nn.Module<Tensor, Tensor>)) return ([], []);
        var layers = children.Cast<nn.Module<Tensor, Tensor>>().ToList();
        int first = layers.FindIndex(l => l.NamedModulesWithSelf().Any(m => isDropout(m.module)));
        return first <= 0 ? ([], []) : (layers.Take(first).ToList(), layers.Skip(first).ToList());
    }

    /// <summary>Whether <paramref name="module"/> is one of TorchSharp's dropout layers.</summary>
    public static bool IsDropout(nn.Module module) =>
        module is Dropout or Dropout1d or Dropout2d or Dropout3d or AlphaDropout or FeatureAlphaDropout;

    /// <summary>
    /// Replaces the named parameters by other values until the result is disposed, without touching the
    /// original parameter tensors: a graph recorded with either set stays valid after the swap back
    /// (an in-place copy would bump the parameters' version and break it). The values are used as
    /// constants (no gradient flows into them); the caller keeps ownership of the tensors it passed.
    /// Names are those of <c>named_parameters()</c>; an unknown name, a shape, dtype or device that
    /// differs from the parameter's is an <see cref="ArgumentException"/> and swaps nothing.
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
        var done = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            foreach (var (prefix, module) in model.NamedModulesWithSelf())
                foreach (var (local, original) in module.named_parameters(recurse: false).ToList())
                {
                    var full = prefix.Length == 0 ? local : $"{prefix}.{local}";
                    if (!values.TryGetValue(full, out var value)) continue;
                    // Owned by the swap, not by a dispose scope that may end while the swap is still in place.
                    using var detached = value.detach();
                    var substitute = new Parameter(detached, requires_grad: false);
                    substitute.DetachFromDisposeScope();
                    swaps.Add((module, local, original, substitute));
                    SetParameter(module, local, original, substitute);
                    done.Add(full);
                }
            if (values.Keys.FirstOrDefault(k => !done.Contains(k)) is { } missed)
                throw new ArgumentException($"Parameter \"{missed}\" could not be swapped: its module is registered under another name too; pass the parameter under its first name.", nameof(values));
        }
        catch
        {
            Restore(swaps);
            throw;
        }
        return new Swap(swaps);
    }

    /// <summary>
    /// Points a module's parameter slot from <paramref name="current"/> to <paramref name="value"/> without
    /// disposing <paramref name="current"/>: every field of the module that holds it (TorchSharp's layers
    /// keep theirs in private fields such as <c>_weight</c>, custom modules in a field named like the
    /// parameter) is set to the new Parameter, and the registration is replaced in place, so that
    /// <c>named_parameters()</c> keeps its order. TorchSharp's own property setters
    /// (<c>Linear.weight = p</c>) would dispose the Parameter they replace, and <c>register_parameter</c>
    /// refuses a name that is already registered.
    /// </summary>
    private static void SetParameter(nn.Module module, string name, Parameter current, Parameter value)
    {
        const BindingFlags Flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        int set = 0;
        for (var type = module.GetType(); type is not null && type != typeof(nn.Module); type = type.BaseType)
            foreach (var field in type.GetFields(Flags))
                if (field.FieldType.IsAssignableFrom(typeof(Parameter)) && ReferenceEquals(field.GetValue(module), current))
                {
                    field.SetValue(module, value);
                    set++;
                }
        if (set == 0)
            throw new NotSupportedException(
                $"Cannot substitute parameter \"{name}\" of {module.GetType().Name}: no field of the module holds it.");
        ReplaceRegistration.Invoke(module, [name, value]);
    }

    /// <summary>nn.Module's protected ConditionallyRegisterParameter: replaces a registered parameter in place.</summary>
    private static readonly MethodInfo ReplaceRegistration =
        typeof(nn.Module).GetMethod("ConditionallyRegisterParameter", BindingFlags.Instance | BindingFlags.NonPublic, [typeof(string), typeof(Parameter)])
        ?? typeof(nn.Module).GetMethod("ConditionallyRegisterParameter", BindingFlags.Instance | BindingFlags.NonPublic, [typeof(string), typeof(Tensor)])
        ?? throw new MissingMethodException("TorchSharp's nn.Module has no ConditionallyRegisterParameter(string, Parameter); WithParameterValues needs it.");

    private static void Restore(List<(nn.Module module, string local, Parameter original, Parameter substitute)> swaps)
    {
        for (int i = swaps.Count - 1; i >= 0; i--)
        {
            var (module, local, original, substitute) = swaps[i];
            if (Holds(module, substitute)) SetParameter(module, local, substitute, original);
            // A graph recorded during the swap holds its own reference to the values; this handle is the swap's.
            substitute.Dispose();
        }
    }

    private static bool Holds(nn.Module module, Parameter p) =>
        module.named_parameters(recurse: false).Any(q => ReferenceEquals(q.parameter, p));

    private sealed class Swap(List<(nn.Module module, string local, Parameter original, Parameter substitute)> swaps) : IDisposable
    {
        private bool _done;

        public void Dispose()
        {
            if (_done) return;
            _done = true;
            Restore(swaps);
        }
    }
}
