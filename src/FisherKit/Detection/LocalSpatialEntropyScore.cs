using FisherKit.Attacks;
using FisherKit.Data;
using FisherKit.Models;
using static TorchSharp.torch;

namespace FisherKit.Detection;

/// <summary>
/// Average local spatial entropy of a feature response map (Amirian, Schwenker &amp; Stadelmann 2018).
/// The paper traces adversarial perturbations in "feature responses", the backpropagated activations
/// of hidden CNN layers, and detects them by the average local spatial entropy of that map. Only the
/// abstract was available to FisherKit, so this is a reading of it, stated in full:
/// <list type="number">
/// <item>Response map: by default the activations a(x) of the chosen layer are backpropagated to the
/// input, m = Σ_channels |J_a(x)ᵀ a(x)| (the input gradient of ½‖a(x)‖², see
/// <see cref="ResponseMapKind.Backpropagated"/>); alternatively the layer's own maps Σ_k |a_k(x)|.</item>
/// <item>Each map is scaled to [0, 1] by its minimum and maximum and quantised into B grey levels.</item>
/// <item>For every w×w window the Shannon entropy (bits) of its grey-level histogram is computed, and
/// the score is the mean over windows (<see cref="ScoreFunctions.LocalSpatialEntropy"/>).</item>
/// </list>
/// Structured maps of clean inputs have low local entropy; adversarial noise makes them grainier.
/// </summary>
public sealed class LocalSpatialEntropyScore : IDetectionScore
{
    /// <summary>Creates the score.</summary>
    /// <param name="model">The classifier (inputs (N, C, H, W)).</param>
    /// <param name="layer">A hidden layer of the model with output (N, K, h, w), e.g. a convolution or its activation.</param>
    /// <param name="kind">How the response map is formed.</param>
    /// <param name="window">Side w of the local windows (default 5).</param>
    /// <param name="bins">Grey levels B (default 16).</param>
    public LocalSpatialEntropyScore(nn.Module<Tensor, Tensor> model, nn.Module<Tensor, Tensor> layer, ResponseMapKind kind = ResponseMapKind.Backpropagated, int window = 5, int bins = 16)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        Layer = layer ?? throw new ArgumentNullException(nameof(layer));
        if (!model.NamedModulesWithSelf().Any(m => ReferenceEquals(m.module, layer)))
            throw new ArgumentException($"The layer {layer.GetType().Name} is not part of the model {model.GetType().Name}.", nameof(layer));
        if (window < 2) throw new ArgumentOutOfRangeException(nameof(window), window, "The window must be at least 2 pixels wide.");
        if (bins < 2) throw new ArgumentOutOfRangeException(nameof(bins), bins, "At least two grey levels are needed.");
        Kind = kind;
        Window = window;
        Bins = bins;
    }

    /// <summary>The classifier.</summary>
    public nn.Module<Tensor, Tensor> Model { get; }

    /// <summary>The hidden layer whose response is analysed.</summary>
    public nn.Module<Tensor, Tensor> Layer { get; }

    /// <summary>How the response map is formed.</summary>
    public ResponseMapKind Kind { get; }

    /// <summary>Window side.</summary>
    public int Window { get; }

    /// <summary>Number of grey levels.</summary>
    public int Bins { get; }

    /// <inheritdoc />
    public string Name => $"Local spatial entropy ({(Kind == ResponseMapKind.Backpropagated ? "backpropagated" : "activations")})";

    /// <inheritdoc />
    public string Description => $"Mean over {Window}x{Window} windows of the entropy (bits) of the {Bins}-level histogram of the min-max scaled response map " +
        (Kind == ResponseMapKind.Backpropagated ? "Σ_ch |J_aᵀ a|" : "Σ_k |a_k|") + " of a hidden layer (after Amirian et al. 2018).";

    /// <summary>The response maps (N, H, W), float64, detached, in the caller's scope (for display and for the score).</summary>
    public Tensor ResponseMaps(Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.ndim != 4) throw new ArgumentException($"Inputs must be images (N, C, H, W); got {TensorChecks.Shape(inputs)}.", nameof(inputs));
        using var scope = NewDisposeScope();
        using var modes = ModuleMode.Eval(Model);
        if (Kind == ResponseMapKind.Activations)
        {
            using var grad = no_grad();
            using var recorder = new ActivationRecorder(Layer, ActivationPoint.Output);
            Model.call(inputs);
            var a = recorder.Take();
            CheckMaps(a);
            return scope.MoveToOuter(a.abs().sum(1).to(ScalarType.Float64));
        }
        using (enable_grad())
        {
            var x = inputs.detach().requires_grad_();
            using var recorder = new ActivationRecorder(Layer, ActivationPoint.Output, keepGraph: true);
            Model.call(x);
            var a = recorder.Take();
            CheckMaps(a);
            var g = SafeAutograd.grad([a], [x], [a.detach()])[0]!;
            return scope.MoveToOuter(g.detach().abs().sum(1).to(ScalarType.Float64));
        }
    }

    /// <inheritdoc />
    public double[] Score(Tensor inputs)
    {
        using var scope = NewDisposeScope();
        return ScoreFunctions.LocalSpatialEntropy(ResponseMaps(inputs), Window, Bins).ToArray<double>();
    }

    private void CheckMaps(Tensor a)
    {
        if (a.ndim != 4)
            throw new InvalidOperationException($"The layer {Layer.GetType().Name} returned shape {TensorChecks.Shape(a)}; the local spatial entropy needs feature maps (N, K, h, w) from a convolutional layer.");
    }
}
