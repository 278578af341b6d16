using FisherKit.Attacks;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FisherKit.Detection;

/// <summary>
/// Functions from a batch of inputs to feature vectors (N, D), taken from inside a classifier, for
/// feature-space scores such as <see cref="MahalanobisScore"/>. The model runs in evaluation mode
/// without gradients; the features are flattened per input and returned in the caller's scope.
/// </summary>
public static class FeatureExtractors
{
    /// <summary>The input or output of <paramref name="layer"/> while <paramref name="model"/> runs, flattened to (N, D).</summary>
    public static Func<Tensor, Tensor> AtLayer(nn.Module<Tensor, Tensor> model, nn.Module<Tensor, Tensor> layer, ActivationPoint point)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(layer);
        if (!model.NamedModulesWithSelf().Any(m => ReferenceEquals(m.module, layer)))
            throw new ArgumentException($"The layer {layer.GetType().Name} is not part of the model {model.GetType().Name}.", nameof(layer));
        return inputs =>
        {
            using var scope = NewDisposeScope();
            using var grad = no_grad();
            using var modes = ModuleMode.Eval(model);
            using var recorder = new ActivationRecorder(layer, point);
            model.call(inputs);
            return scope.MoveToOuter(recorder.Take().flatten(1));
        };
    }

    /// <summary>Penultimate features of a sequential classifier: the input of its last layer.</summary>
    public static Func<Tensor, Tensor> Penultimate(Sequential model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Count < 2) throw new ArgumentException("A sequential model needs at least two layers to have penultimate features.", nameof(model));
        return AtLayer(model, (nn.Module<Tensor, Tensor>)model.named_children().Last().module, ActivationPoint.Input);
    }
}
