using static FisherKit.Torch.torch;

namespace FisherKit.Torch.Modules;

/// <summary>
/// Runs its children in order. Intermediate outputs are disposed as soon as the next layer has
/// consumed them (the autograd graph keeps what it needs), so long chains do not pile up handles.
/// </summary>
public sealed class Sequential : nn.Module<Tensor, Tensor>
{
    private readonly List<nn.Module<Tensor, Tensor>> _layers = [];

    /// <summary>Children named "0", "1", ... as in PyTorch.</summary>
    public Sequential(params nn.Module<Tensor, Tensor>[] layers) : base(nameof(Sequential))
    {
        foreach (var l in layers) append(l);
    }

    /// <summary>Children with explicit names.</summary>
    public Sequential(params (string name, nn.Module<Tensor, Tensor> module)[] layers) : base(nameof(Sequential))
    {
        foreach (var (n, l) in layers) _layers.Add(register_module(n, l));
    }

    /// <summary>Adds a layer at the end, named by its position.</summary>
    public Sequential append(nn.Module<Tensor, Tensor> layer)
    {
        _layers.Add(register_module(_layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), layer));
        return this;
    }

    /// <summary>Number of layers.</summary>
    public int Count => _layers.Count;

    /// <summary>The layer at a position.</summary>
    public nn.Module<Tensor, Tensor> this[int index] => _layers[index];

    /// <summary>The layers in order.</summary>
    public IReadOnlyList<nn.Module<Tensor, Tensor>> Layers => _layers;

    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input)
    {
        var x = input;
        foreach (var layer in _layers)
        {
            var y = layer.forward(x);
            if (!ReferenceEquals(x, input) && !ReferenceEquals(x, y)) x.Dispose();
            x = y;
        }
        return ReferenceEquals(x, input) ? input.alias() : x;
    }
}

/// <summary>A list of modules whose parameters are registered ("0.weight", ...); no forward of its own.</summary>
public sealed class ModuleList : nn.Module
{
    private readonly List<nn.Module> _items = [];

    /// <summary>Creates the list.</summary>
    public ModuleList(params nn.Module[] modules) : base(nameof(ModuleList))
    {
        foreach (var m in modules) append(m);
    }

    /// <summary>Adds a module.</summary>
    public ModuleList append(nn.Module module)
    {
        _items.Add(register_module(_items.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), module));
        return this;
    }

    /// <summary>Number of modules.</summary>
    public int Count => _items.Count;

    /// <summary>The module at a position.</summary>
    public nn.Module this[int index] => _items[index];
}
