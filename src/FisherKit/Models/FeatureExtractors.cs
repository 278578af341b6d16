using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FisherKit.Models;

/// <summary>
/// Feature vectors (N, D) taken from inside a network: the input or output of one of its layers,
/// flattened per input. The one feature extractor of FisherKit: feature-space detection scores such as
/// <see cref="Detection.MahalanobisScore"/> and the penultimate-layer embeddings of active learning
/// (k-centre core sets, last-layer Fisher designs) both use it. The model runs in evaluation mode
/// without gradients; results are returned in the caller's scope.
/// </summary>
/// <example>
/// <code>
/// var features = FeatureExtractors.Penultimate(model);      // a Func&lt;Tensor, Tensor&gt;
/// var h = features(images);                                 // (N, 128) for the benchmark CNN
/// </code>
/// </example>
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
            var (features, output) = Run(model, layer, point, inputs, batchSize: int.MaxValue);
            output.Dispose();
            return features;
        };
    }

    /// <summary>
    /// Runs <paramref name="model"/> over <paramref name="inputs"/> in batches of at most <paramref name="batchSize"/> (see <see cref="ConvolutionWorkspace"/>)
    /// (evaluation mode, no gradient) and returns the features at <paramref name="layer"/>, (N, D), and the
    /// model's outputs, both concatenated over the batches.
    /// </summary>
    public static (Tensor Features, Tensor Output) Run(nn.Module<Tensor, Tensor> model, nn.Module<Tensor, Tensor> layer, ActivationPoint point, Tensor inputs, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(layer);
        TensorChecks.Alive(inputs, nameof(inputs));
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (inputs.ndim < 1) throw new ArgumentException($"The inputs need a batch dimension; got shape {TensorChecks.Shape(inputs)}.", nameof(inputs));
        using var scope = NewDisposeScope();
        using var grad = no_grad();
        using var modes = ModuleMode.Eval(model);
        int perCall = ConvolutionWorkspace.InputsPerCall(model, inputs, batchSize);   // before the recorder: its probe call is not a batch
        using var recorder = new ActivationRecorder(layer, point);
        var features = new List<Tensor>();
        var outputs = new List<Tensor>();
        long n = inputs.shape[0];
        for (long start = 0; start < n; start += perCall)
        {
            outputs.Add(model.call(inputs.narrow(0, start, Math.Min(perCall, n - start))));
            features.Add(recorder.Take().flatten(1));
        }
        return (scope.MoveToOuter(cat(features, 0)), scope.MoveToOuter(cat(outputs, 0)));
    }

    /// <summary>Penultimate features of a sequential classifier: the input of its last layer.</summary>
    public static Func<Tensor, Tensor> Penultimate(Sequential model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Count < 2) throw new ArgumentException("A sequential model needs at least two layers to have penultimate features.", nameof(model));
        return AtLayer(model, (nn.Module<Tensor, Tensor>)model.named_children().Last().module, ActivationPoint.Input);
    }
}
