using FisherKit.TorchSharpAdditions;
using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Explanations;

/// <summary>
/// Input attributions of a classifier's logit z_c(x) (the class c chosen per input):
/// <list type="bullet">
/// <item><b>gradient</b> (Simonyan, Vedaldi &amp; Zisserman 2014): ∂z_c/∂x;</item>
/// <item><b>integrated gradients</b> (Sundararajan, Taly &amp; Yan 2017): IG_i = (x_i − x′_i)·∫₀¹ ∂z_c/∂x_i(x′ + a(x − x′)) da
/// from a baseline x′, the integral by the midpoint rule with m steps. It is <i>complete</i>:
/// Σ_i IG_i = z_c(x) − z_c(x′) up to the quadrature error (exact for a model linear in x).</item>
/// </list>
/// The model runs in evaluation mode; gradients go through FisherKit's guarded autograd.
/// </summary>
public static class Saliency
{
    /// <summary>∂z_c/∂x for each input (N, ...) and its class <paramref name="classes"/>[n].</summary>
    public static Tensor Gradient(nn.Module<Tensor, Tensor> model, Tensor inputs, IReadOnlyList<long> classes)
    {
        Check(model, inputs, classes);
        using var mode = ModuleMode.Eval(model);
        using var scope = NewDisposeScope();
        var g = GradientAt(model, inputs.detach(), classes);
        return g.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Integrated gradients from <paramref name="baseline"/> (same shape as the inputs, or null for zeros)
    /// with <paramref name="steps"/> midpoint steps.
    /// </summary>
    public static Tensor IntegratedGradients(nn.Module<Tensor, Tensor> model, Tensor inputs, IReadOnlyList<long> classes, Tensor? baseline = null, int steps = 32)
    {
        Check(model, inputs, classes);
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "At least one step is needed.");
        if (baseline is not null && !baseline.shape.SequenceEqual(inputs.shape))
            throw new ArgumentException($"The baseline has shape {TensorChecks.Shape(baseline.shape)}, the inputs {TensorChecks.Shape(inputs.shape)}.", nameof(baseline));
        using var mode = ModuleMode.Eval(model);
        using var scope = NewDisposeScope();
        var x = inputs.detach();
        long b = x.shape[0];
        var idx = tensor(classes.ToArray(), device: x.device);
        // The general routine evaluates path points in blocks of b rows per point (row r belongs to input r mod b).
        Tensor ChosenLogit(Tensor path)
        {
            var z = model.call(path);
            if (z.ndim != 2) throw new ArgumentException($"{model.GetType().Name} must return logits (N, K); it returned shape {TensorChecks.Shape(z.shape)}.", nameof(model));
            if (classes.Any(c => c < 0 || c >= z.shape[1])) throw new ArgumentException($"A class index lies outside [0, {z.shape[1] - 1}].", nameof(classes));
            return z.gather(1, idx.repeat(path.shape[0] / b).unsqueeze(1)).squeeze(1);
        }
        var result = FisherKit.Explanations.IntegratedGradients.Attribute(ChosenLogit, x, baseline?.detach() ?? zeros_like(x), steps, batch: 1);
        return result.Attributions.MoveToOuterDisposeScope();
    }

    /// <summary>The logits z_c(x) of the chosen classes (no gradients), e.g. to check completeness.</summary>
    public static double[] Logit(nn.Module<Tensor, Tensor> model, Tensor inputs, IReadOnlyList<long> classes)
    {
        Check(model, inputs, classes);
        using var mode = ModuleMode.Eval(model);
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var z = model.call(inputs);
        CheckLogits(model, z, classes);
        using var idx = tensor(classes.ToArray(), device: z.device);
        return z.gather(1, idx.unsqueeze(1)).squeeze(1).to(ScalarType.Float64).data<double>().ToArray();
    }

    private static Tensor GradientAt(nn.Module<Tensor, Tensor> model, Tensor point, IReadOnlyList<long> classes)
    {
        var x = point.detach().requires_grad_(true);
        var z = model.call(x);
        CheckLogits(model, z, classes);
        var idx = tensor(classes.ToArray(), device: z.device);
        var chosen = z.gather(1, idx.unsqueeze(1)).sum();
        return SafeAutograd.grad(chosen, x);
    }

    private static void CheckLogits(nn.Module<Tensor, Tensor> model, Tensor z, IReadOnlyList<long> classes)
    {
        if (z.ndim != 2) throw new ArgumentException($"{model.GetType().Name} must return logits (N, K); it returned shape {TensorChecks.Shape(z.shape)}.", nameof(model));
        if (classes.Any(c => c < 0 || c >= z.shape[1])) throw new ArgumentException($"A class index lies outside [0, {z.shape[1] - 1}].", nameof(classes));
    }

    private static void Check(nn.Module<Tensor, Tensor> model, Tensor inputs, IReadOnlyList<long> classes)
    {
        ArgumentNullException.ThrowIfNull(model);
        TensorChecks.FloatingPoint(inputs, nameof(inputs));   // also names a disposed tensor
        TensorChecks.Finite(inputs, nameof(inputs));          // NaN made every attribution and the completeness gap NaN
        ArgumentNullException.ThrowIfNull(classes);
        if (inputs.ndim < 2) throw new ArgumentException($"Inputs need a batch dimension, got shape {TensorChecks.Shape(inputs.shape)}.", nameof(inputs));
        if (classes.Count != inputs.shape[0]) throw new ArgumentException($"{inputs.shape[0]} inputs but {classes.Count} classes.", nameof(classes));
    }
}
