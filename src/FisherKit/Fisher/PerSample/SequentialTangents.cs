using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FisherKit.Fisher.PerSample;

/// <summary>
/// Forward-mode differentiation by hand for networks that are a chain of familiar layers: a change
/// of some layers' outputs is pushed through the rest of the chain with each layer's Jacobian
/// (the linear part of a Linear or convolution, the derivative mask of an activation, the selection
/// of a max pooling, the scale of batch normalisation in eval mode). This is what the double-backward
/// pass of <see cref="PerSampleGradients.GradientJvp"/> computes for any network; for a chain it
/// costs one pass of the linear maps instead, and libtorch's double backward through a
/// convolution also forms a weight gradient nobody asked for (the largest single cost).
/// </summary>
internal sealed class SequentialTangents
{
    private readonly IReadOnlyList<nn.Module<Tensor, Tensor>> _layers;

    /// <summary>
    /// The positions of the maxima of each max-pooling layer into its flattened input, by layer index,
    /// from the last <see cref="Forward"/> (owned by the caller's dispose scope, like the values): the
    /// push picks the tangent at them instead of pooling again.
    /// </summary>
    private readonly Dictionary<int, Tensor> _poolPositions = [];

    private SequentialTangents(IReadOnlyList<nn.Module<Tensor, Tensor>> layers) => _layers = layers;

    /// <summary>The position of a layer in the chain.</summary>
    public int IndexOf(nn.Module layer) => _layers.Select((l, i) => (l, i)).First(p => ReferenceEquals(p.l, layer)).i;

    /// <summary>The chain of a model (nested Sequentials flattened) when every layer's Jacobian is known here and no module appears twice; otherwise null.</summary>
    public static SequentialTangents? For(nn.Module<Tensor, Tensor> model)
    {
        var layers = new List<nn.Module<Tensor, Tensor>>();
        if (!Collect(model, layers) || layers.Count == 0 || layers.Distinct().Count() != layers.Count) return null;
        return new SequentialTangents(layers);
    }

    private static bool Collect(nn.Module<Tensor, Tensor> module, List<nn.Module<Tensor, Tensor>> into)
    {
        if (module is Sequential s) return s.named_children().All(l => l.module is nn.Module<Tensor, Tensor> m && Collect(m, into));
        if (!Known(module)) return false;
        into.Add(module);
        return true;
    }

    private static bool Known(nn.Module module) => module switch
    {
        Linear or ReLU or Tanh or Sigmoid or Flatten or Identity => true,
        Conv2d c => ConvGeometry.ZeroPadding(c),
        Conv1d c => ConvGeometry.ZeroPadding(c),
        _ when ModuleTree.IsDropout(module) => true,
        MaxPool2d m => !m.ceil_mode && m.dilation.All(d => d == 1),
        BatchNorm bn => !bn.training && bn.running_mean is not null,
        _ => false,
    };

    /// <summary>
    /// Runs the chain on <paramref name="input"/> (layer by layer, so forward hooks fire as in
    /// model.forward, except on max-pooling layers: they run as FisherKit's max pooling,
    /// <see cref="MaxPooling"/>, with libtorch's values and gradients in a fraction of libtorch 2.10's
    /// CPU time, and keep their positions for <see cref="Push"/>) and returns every intermediate
    /// value: element i is the input of layer i, the last element the network output.
    /// </summary>
    public List<Tensor> Forward(Tensor input)
    {
        var values = new List<Tensor>(_layers.Count + 1) { input };
        _poolPositions.Clear();
        for (int i = 0; i < _layers.Count; i++)
        {
            if (_layers[i] is MaxPool2d m && PoolPositions(m, values[^1]) is { } positions)
            {
                _poolPositions[i] = positions;
                values.Add(MaxPooling.Select(values[^1], positions));
            }
            else values.Add(_layers[i].call(values[^1]));
        }
        return values;
    }

    /// <summary>The flat positions of a max-pooling layer's maxima in x, or null where FisherKit's kernel does not apply (then the module runs).</summary>
    private static Tensor? PoolPositions(MaxPool2d m, Tensor x) =>
        MaxPooling.FlatPositions(x, m.kernel_size, m.stride ?? m.kernel_size, m.padding, m.dilation, m.ceil_mode);

    /// <summary>
    /// The change of the network output when the output of layer i changes by injected[i] (for each
    /// i given), to first order: Σ_i (∂f/∂out_i) · injected[i]. <paramref name="values"/> is what
    /// <see cref="Forward"/> returned. Layers before the first injection are skipped.
    /// </summary>
    public Tensor Push(IReadOnlyList<Tensor> values, IReadOnlyDictionary<int, Tensor> injected)
    {
        Tensor? t = null;
        for (int i = injected.Count == 0 ? _layers.Count : injected.Keys.Min(); i < _layers.Count; i++)
        {
            if (t is not null) t = Jacobian(i, values[i], values[i + 1], t);
            if (injected.TryGetValue(i, out var c)) t = t is null ? c : t.add(c, One);
        }
        return t ?? zeros_like(values[^1]);
    }

    /// <summary>J·t for layer i with input x and output y.</summary>
    private Tensor Jacobian(int i, Tensor x, Tensor y, Tensor t) => _layers[i] switch
    {
        Linear l => nn.functional.linear(t, l.weight),
        Conv2d c => nn.functional.conv2d(t, c.weight, null, c.stride, ConvGeometry.Padding(c), c.dilation, c.groups),
        Conv1d c => nn.functional.conv1d(t, c.weight, null, c.stride[0], ConvGeometry.Padding(c)[0], c.dilation[0], c.groups),
        ReLU => t * (y > Hold(0)).to(t.dtype),                                   // relu'(0) = 0 (and NaN → 0), as libtorch's derivative
        Tanh => t * (y.pow(Hold(2)) - Hold(1)).neg(),
        Sigmoid => t * y * (y - Hold(1)).neg(),
        Flatten => t.reshape(y.shape),
        Identity => t,
        var layer when ModuleTree.IsDropout(layer) => t,                     // dropout is off in eval mode
        MaxPool2d m => Pool(_poolPositions.TryGetValue(i, out var p) ? p : null, m, x, t),
        BatchNorm bn => t * BatchNormScale(bn, x),
        var layer => throw new InvalidOperationException($"No Jacobian for {layer.GetType().Name}."),
    };

    /// <summary>The tangent of the chosen element of each window (the positions of the maxima in x, from the forward pass when there).</summary>
    private static Tensor Pool(Tensor? positions, MaxPool2d m, Tensor x, Tensor t)
    {
        if (positions is null && PoolPositions(m, x) is { } computed) positions = computed;
        if (positions is not null) return MaxPooling.Select(t, positions);
        var (values, p) = nn.functional.max_pool2d_with_indices(x, m.kernel_size, m.stride ?? m.kernel_size, m.padding, m.dilation, m.ceil_mode);
        values.Dispose();
        var flat = t.contiguous().flatten(2).gather(2, p.flatten(2));
        return flat.view(p.shape);
    }

    /// <summary>γ/√(running var + ε) shaped to broadcast over the channel dimension of x.</summary>
    private static Tensor BatchNormScale(BatchNorm bn, Tensor x)
    {
        var view = Enumerable.Repeat(1L, (int)x.ndim).ToArray();
        view[1] = x.shape[1];
        var inv = (bn.running_var!).add(Hold(bn.eps), One).rsqrt();
        var gamma = bn.named_parameters(recurse: false).FirstOrDefault(p => p.name == "weight").parameter;
        return (gamma is null ? inv : inv * gamma).reshape(view);
    }
}
