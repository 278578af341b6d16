using static TorchSharp.torch;

namespace FisherKit.Models;

/// <summary>
/// Records what one layer of a model receives or returns during a forward pass, through a forward hook,
/// without changing the model: penultimate features for the Mahalanobis score, feature maps for the
/// local spatial entropy. The recorder keeps only the latest pass; <see cref="Take"/> hands it to the
/// caller. Dispose the recorder to remove the hook.
/// </summary>
/// <example>
/// <code>
/// using var recorder = new ActivationRecorder(model[model.Count - 1], ActivationPoint.Input);
/// using var logits = model.call(x);
/// using var features = recorder.Take();   // (N, D)
/// </code>
/// </example>
public sealed class ActivationRecorder : IDisposable
{
    private readonly Action _removeHook;
    private readonly ActivationPoint _point;
    private readonly bool _keepGraph;
    private Tensor? _last;

    /// <summary>Attaches to <paramref name="layer"/>.</summary>
    /// <param name="layer">The layer to watch (a module inside the model that will be run).</param>
    /// <param name="point">Its input or its output.</param>
    /// <param name="keepGraph">Keep the recorded tensor attached to the autograd graph (to differentiate through it); otherwise it is detached.</param>
    public ActivationRecorder(nn.Module<Tensor, Tensor> layer, ActivationPoint point = ActivationPoint.Output, bool keepGraph = false)
    {
        ArgumentNullException.ThrowIfNull(layer);
        _point = point;
        _keepGraph = keepGraph;
        _removeHook = layer.register_forward_hook(Record).remove;
    }

    /// <summary>True when a forward pass has been recorded and not yet taken.</summary>
    public bool HasRecord => _last is not null;

    private Tensor Record(nn.Module<Tensor, Tensor> module, Tensor input, Tensor output)
    {
        _last?.Dispose();
        var t = _point == ActivationPoint.Input ? input : output;
        _last = (_keepGraph ? t.alias() : t.detach()).DetachFromDisposeScope();
        return output;
    }

    /// <summary>The recorded tensor of the latest forward pass, as a new tensor in the caller's scope; the recorder forgets it.</summary>
    public Tensor Take()
    {
        var last = _last ?? throw new InvalidOperationException("No forward pass went through the recorded layer since the last Take(); is the layer part of the model that was run?");
        var result = last.alias();
        last.Dispose();
        _last = null;
        return result;
    }

    /// <summary>Removes the hook and drops any record.</summary>
    public void Dispose()
    {
        _removeHook();
        _last?.Dispose();
        _last = null;
    }
}
