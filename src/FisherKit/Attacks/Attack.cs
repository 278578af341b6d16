using System.Diagnostics;
using FisherKit.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Attacks;

/// <summary>
/// An evasion attack on a classifier: from inputs x with labels y it makes inputs x' close to x that
/// the classifier gets wrong. The classifier is any module from a batch of inputs (N, ...) to logits
/// (N, C). All attacks here are untargeted, white-box and batched (samples never interact), run the
/// model in evaluation mode (every module's own mode is restored afterwards), differentiate only
/// with respect to the input (parameter gradients are left untouched), and return inputs inside the
/// valid range [<see cref="ClipMin"/>, <see cref="ClipMax"/>].
/// </summary>
public abstract class Attack
{
    /// <summary>Short name with the main parameters, e.g. "PGD-L∞(ε=0.1, α=0.01, 40 steps)".</summary>
    public abstract string Name { get; }

    /// <summary>Smallest valid input value (default 0); −∞ disables the lower clip.</summary>
    public double ClipMin { get; init; }

    /// <summary>Largest valid input value (default 1); +∞ disables the upper clip.</summary>
    public double ClipMax { get; init; } = 1;

    /// <summary>
    /// Adversarial inputs for one batch (same shape as <paramref name="inputs"/>, detached, in the
    /// caller's dispose scope). Inputs must lie in the valid range; labels are int64 class indices.
    /// </summary>
    public Tensor Generate(nn.Module<Tensor, Tensor> model, Tensor inputs, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(model);
        TensorChecks.Batch(inputs, labels);
        if (inputs.size(0) == 0) throw new ArgumentException($"{Name}: the batch is empty.", nameof(inputs));
        if (!(ClipMin < ClipMax)) throw new InvalidOperationException($"{Name}: the valid range [{ClipMin}, {ClipMax}] is empty.");
        using var scope = NewDisposeScope();
        using (no_grad())
        {
            double lo = inputs.min().ToDouble(), hi = inputs.max().ToDouble();
            if (double.IsNaN(lo) || double.IsNaN(hi)) throw new ArgumentException("Inputs contain NaN.", nameof(inputs));
            if (lo < ClipMin - 1e-6 || hi > ClipMax + 1e-6)
                throw new ArgumentException($"Inputs span [{lo}, {hi}], outside the valid range [{ClipMin}, {ClipMax}] of {Name}; scale them or set ClipMin/ClipMax.", nameof(inputs));
        }
        using var modes = ModuleMode.Eval(model);
        CheckLabels(model, inputs, labels);
        var x = inputs.detach();
        var y = labels.detach();
        var adversarial = GenerateCore(model, x, y).detach();
        return scope.MoveToOuter(adversarial);
    }

    /// <summary>
    /// Attacks all inputs in batches of <paramref name="batchSize"/> and reports predictions, success
    /// and perturbation sizes (see <see cref="AttackResult"/>).
    /// </summary>
    public AttackResult Run(nn.Module<Tensor, Tensor> model, Tensor inputs, Tensor labels, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(model);
        TensorChecks.Batch(inputs, labels);
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be positive.");
        if (inputs.size(0) == 0) throw new ArgumentException($"{Name}: there are no inputs to attack.", nameof(inputs));
        var clock = Stopwatch.StartNew();
        long n = inputs.size(0);
        var parts = new List<Tensor>();
        var clean = new List<long>();
        var adv = new List<long>();
        var l2 = new List<double>();
        var linf = new List<double>();
        using var scope = NewDisposeScope();
        for (long start = 0; start < n; start += batchSize)
        {
            var len = Math.Min(batchSize, n - start);
            var x = inputs.narrow(0, start, len);
            var y = labels.narrow(0, start, len);
            var xa = Generate(model, x, y);
            parts.Add(xa);
            using (no_grad())
            using (ModuleMode.Eval(model))
            using (var inner = NewDisposeScope())
            {
                clean.AddRange(Logits(model, x).argmax(1).ToArray<long>());
                adv.AddRange(Logits(model, xa).argmax(1).ToArray<long>());
                var d = (xa - x).flatten(1).to(ScalarType.Float64);
                l2.AddRange(d.norm(1, p: 2).ToArray<double>());
                linf.AddRange(d.abs().amax([1]).ToArray<double>());
            }
        }
        var all = cat(parts, 0);
        return new AttackResult(Name, scope.Detach(all), labels.ToArray<long>(), clean.ToArray(), adv.ToArray(), l2.ToArray(), linf.ToArray(), clock.Elapsed);
    }

    /// <summary>Attacks every image of a data set (moved batch by batch to <paramref name="device"/>).</summary>
    public AttackResult Run(nn.Module<Tensor, Tensor> model, ImageDataset data, int batchSize = 256, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var scope = NewDisposeScope();
        var x = device is null ? data.Images : data.Images.to(device);
        var y = device is null ? data.Labels : data.Labels.to(device);
        return Run(model, x, y, batchSize);
    }

    /// <summary>
    /// The logits of the first input must be (1, C), C ≥ 2, and every label a class in [0, C): cross entropy would ignore
    /// the label −100 (its default ignore index) and leave that input unattacked, and count it a success.
    /// </summary>
    private static void CheckLabels(nn.Module<Tensor, Tensor> model, Tensor inputs, Tensor labels)
    {
        using var scope = NewDisposeScope();
        using var grad = no_grad();
        var z = model.call(inputs.narrow(0, 0, 1));
        TensorChecks.Logits(z, "the model's output");
        long lo = labels.min().ToInt64(), hi = labels.max().ToInt64(), classes = z.size(1);
        if (lo < 0 || hi >= classes)
            throw new ArgumentException($"Labels span [{lo}, {hi}], but the model has {classes} classes: labels must lie in [0, {classes - 1}].", nameof(labels));
    }

    /// <summary>The attack itself on detached inputs; the base class has validated them and set evaluation mode.</summary>
    protected abstract Tensor GenerateCore(nn.Module<Tensor, Tensor> model, Tensor inputs, Tensor labels);

    /// <summary>Clamps to the valid range (infinite bounds are left open).</summary>
    protected Tensor Clip(Tensor x)
    {
        double? lo = double.IsNegativeInfinity(ClipMin) ? null : ClipMin;
        double? hi = double.IsPositiveInfinity(ClipMax) ? null : ClipMax;
        return lo is null && hi is null ? x.alias() : x.clamp(lo is { } l ? Hold(l) : null, hi is { } h ? Hold(h) : null);
    }

    /// <summary>
    /// The network's logits for a batch, with or without a graph. In evaluation mode the samples never
    /// interact, so the network runs in calls sized by <see cref="ConvolutionWorkspace"/> (where libtorch's
    /// own CPU convolutions would unfold a whole large batch into one buffer that is mapped and faulted
    /// in anew at every call); the values equal one call on the batch up to float rounding, and the
    /// attack's own random draws stay per batch.
    /// </summary>
    protected static Tensor Logits(nn.Module<Tensor, Tensor> model, Tensor x) => ConvolutionWorkspace.Call(model, x);

    /// <summary>∇ₓ of the summed cross-entropy loss Σᵢ L(f(xᵢ), yᵢ): one backward pass, per-sample gradients.</summary>
    protected static Tensor LossGradient(nn.Module<Tensor, Tensor> model, Tensor x, Tensor labels)
    {
        using var scope = NewDisposeScope();
        var xg = x.detach().requires_grad_();
        using var enable = enable_grad();
        var loss = nn.functional.cross_entropy(Logits(model, xg), labels, reduction: nn.Reduction.Sum);
        var g = SafeAutograd.grad(loss, xg);
        return scope.MoveToOuter(g);
    }

    /// <summary>Per-sample norms of a batch, shaped (N, 1, ..., 1) to broadcast against it.</summary>
    protected static Tensor SampleNorms(Tensor t, PerturbationNorm norm)
    {
        using var scope = NewDisposeScope();
        var flat = t.flatten(1);
        var n = norm == PerturbationNorm.L2 ? flat.norm(1, keepdim: true, p: 2) : flat.abs().amax([1], keepdim: true);
        var shape = new long[t.ndim];
        Array.Fill(shape, 1L);
        shape[0] = t.size(0);
        return scope.MoveToOuter(n.reshape(shape));
    }

    /// <summary>Formats a number for attack names.</summary>
    protected static string F(double v) => v.ToString("G4", System.Globalization.CultureInfo.InvariantCulture);
}
