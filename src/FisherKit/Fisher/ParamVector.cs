using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Fisher;

/// <summary>
/// A vector in parameter space: one tensor per named parameter tensor of a model, in model order
/// (the order of <c>named_parameters()</c>). The flat view concatenates them in that order. A
/// ParamVector owns its tensors (dispose it, or create it inside a scope).
/// </summary>
public sealed class ParamVector : IDisposable
{
    private readonly List<string> _names;
    private readonly Dictionary<string, Tensor> _values;

    /// <summary>Creates a vector from named tensors; the order of <paramref name="entries"/> is kept.</summary>
    public ParamVector(IEnumerable<(string name, Tensor value)> entries)
    {
        _names = [];
        _values = [];
        foreach (var (n, v) in entries)
        {
            if (_values.ContainsKey(n)) throw new ArgumentException($"Duplicate parameter name \"{n}\".", nameof(entries));
            _names.Add(n);
            _values[n] = v;
        }
    }

    /// <summary>Names in model order.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>The tensor of one parameter.</summary>
    public Tensor this[string name] => _values.TryGetValue(name, out var t) ? t : throw new KeyNotFoundException($"No parameter \"{name}\" in this vector.");

    /// <summary>The tensors in model order.</summary>
    public IEnumerable<Tensor> Tensors => _names.Select(n => _values[n]);

    /// <summary>Names and tensors in model order.</summary>
    public IEnumerable<(string name, Tensor value)> Entries => _names.Select(n => (n, _values[n]));

    /// <summary>As a dictionary (for <c>Module.WithParameters</c>); the tensors are this vector's own.</summary>
    public IReadOnlyDictionary<string, Tensor> AsDictionary() => _values;

    /// <summary>Total number of scalars.</summary>
    public long Numel => Tensors.Sum(t => t.numel());

    /// <summary>Zeros shaped like the model's parameters.</summary>
    public static ParamVector ZerosLike(nn.Module model) => new(model.named_parameters().Select(p => (p.name, zeros_like(p.parameter))));

    /// <summary>A copy of the model's current parameter values (detached).</summary>
    public static ParamVector FromModel(nn.Module model) => new(model.named_parameters().Select(p => (p.name, p.parameter.detach().clone())));

    /// <summary>Standard normal entries shaped like the model's parameters.</summary>
    public static ParamVector RandnLike(nn.Module model, Generator? generator = null) =>
        new(model.named_parameters().Select(p => (p.name, randn(p.parameter.shape, dtype: p.parameter.dtype, device: p.parameter.device, generator: generator))));

    /// <summary>Rademacher (±1) entries shaped like the model's parameters (for Hutchinson estimates).</summary>
    public static ParamVector RademacherLike(nn.Module model, Generator? generator = null) =>
        new(model.named_parameters().Select(p =>
        {
            using var u = rand(p.parameter.shape, dtype: p.parameter.dtype, device: p.parameter.device, generator: generator);
            using var b = u.lt(Hold(0.5));
            using var f = b.to(p.parameter.dtype);
            return (p.name, f * Hold(2.0) - Hold(1.0));
        }));

    /// <summary>Splits a flat vector (length = total parameter count) into the model's shapes.</summary>
    public static ParamVector FromFlat(Tensor flat, nn.Module model)
    {
        var shapes = model.named_parameters().Select(p => (p.name, p.parameter.shape)).ToList();
        long total = shapes.Sum(s => s.shape.Aggregate(1L, (a, b) => a * b));
        if (flat.ndim != 1 || flat.shape[0] != total)
            throw new ArgumentException($"A flat parameter vector of this model needs shape [{total}], got {TensorChecks.Shape(flat.shape)}.", nameof(flat));
        var entries = new List<(string, Tensor)>();
        long offset = 0;
        foreach (var (name, shape) in shapes)
        {
            long n = shape.Aggregate(1L, (a, b) => a * b);
            using var piece = flat.narrow(0, offset, n);
            entries.Add((name, piece.reshape(shape)));
            offset += n;
        }
        return new ParamVector(entries);
    }

    /// <summary>All entries concatenated in model order (a new 1-D tensor).</summary>
    public Tensor Flatten()
    {
        using var scope = NewDisposeScope();
        var flat = cat(Tensors.Select(t => t.reshape(-1)).ToList());
        return scope.MoveToOuter(flat);
    }

    /// <summary>Checks that this vector has exactly the model's parameter names and shapes.</summary>
    public void CheckMatches(nn.Module model, string argumentName)
    {
        var own = model.named_parameters().ToList();
        if (own.Count != _names.Count || own.Select(p => p.name).Where((n, i) => n != _names[i]).Any())
            throw new ArgumentException($"The direction has parameters [{string.Join(", ", _names)}] but the model has [{string.Join(", ", own.Select(p => p.name))}].", argumentName);
        foreach (var (name, p) in own)
        {
            var a = p.shape;
            var b = _values[name].shape;
            if (!a.SequenceEqual(b))
                throw new ArgumentException($"Direction entry \"{name}\" has shape {TensorChecks.Shape(b)}, the parameter has {TensorChecks.Shape(a)}.", argumentName);
        }
    }

    /// <summary>Σ ⟨this, other⟩ over all entries (a 0-d tensor).</summary>
    public Tensor Dot(ParamVector other)
    {
        using var scope = NewDisposeScope();
        Tensor? acc = null;
        foreach (var n in _names)
        {
            var d = (_values[n] * other[n]).sum();
            acc = acc is null ? d : acc.add(d, One);
        }
        return scope.MoveToOuter(acc!);
    }

    /// <summary>Euclidean norm over all entries.</summary>
    public double Norm()
    {
        using var d = Dot(this);
        return Math.Sqrt(d.ToDouble());
    }

    /// <summary>a·this + b·other, entrywise (a new vector).</summary>
    public ParamVector Combine(double a, ParamVector other, double b) => Map(n => (_values[n] * Hold(a)).add(other[n] * Hold(b), One));

    /// <summary>this·a (a new vector).</summary>
    public ParamVector Scale(double a) => Map(n => _values[n] * Hold(a));

    /// <summary>A deep copy.</summary>
    public ParamVector Clone() => Map(n => _values[n].clone());

    /// <summary>A new vector with f applied to each entry name; temporaries of f are disposed.</summary>
    public ParamVector Map(Func<string, Tensor> f)
    {
        var entries = new List<(string, Tensor)>(_names.Count);
        foreach (var n in _names)
        {
            using var scope = NewDisposeScope();
            entries.Add((n, scope.MoveToOuter(f(n))));
        }
        return new ParamVector(entries);
    }

    /// <summary>Moves every entry out of <paramref name="scope"/> (to its enclosing scope) and returns this vector: for returning a vector built inside a scope.</summary>
    public ParamVector MoveOutOf(DisposeScope scope)
    {
        foreach (var t in _values.Values) scope.MoveToOuter(t);
        return this;
    }

    /// <summary>Disposes every entry.</summary>
    public void Dispose()
    {
        foreach (var t in _values.Values) t.Dispose();
    }
}
