using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Training;

/// <summary>
/// Class-weighted cross-entropy for imbalanced classes: with weights w_c and log-probabilities log p_{i,c}
/// of the N samples of a batch, L = Σ_i w_{y_i}(−log p_{i,y_i}) / Σ_i w_{y_i} (the weighted mean, PyTorch's
/// convention). A common choice is w_c ∝ 1/(share of class c).
/// </summary>
public sealed class WeightedClassificationLoss : TrainingLoss
{
    private readonly double[] _weights;

    /// <summary>Cross-entropy with one positive, finite weight per class.</summary>
    public WeightedClassificationLoss(IReadOnlyList<double> classWeights)
    {
        ArgumentNullException.ThrowIfNull(classWeights);
        if (classWeights.Count < 2 || classWeights.Any(w => !(w > 0) || double.IsInfinity(w)))
            throw new ArgumentException("Class weights must be at least two positive, finite numbers.", nameof(classWeights));
        _weights = classWeights.ToArray();
    }

    /// <summary>The class weights w_c.</summary>
    public IReadOnlyList<double> Weights => _weights;

    /// <inheritdoc />
    public override string Name => "class-weighted cross-entropy";

    /// <inheritdoc />
    public override bool CountsCorrect => true;

    /// <inheritdoc />
    public override void Check(nn.Module model, Tensor output, TrainingBatch batch) => ImbalancedLosses.CheckLogits(model, output, _weights.Length);

    /// <inheritdoc />
    public override BatchLoss Compute(Tensor output, TrainingBatch batch, bool warmUp)
    {
        using var w = tensor(_weights, dtype: output.dtype, device: output.device);
        var loss = nn.functional.cross_entropy(output, batch.Targets, weight: w);
        using var _ = no_grad();
        return new BatchLoss(loss, loss, output.argmax(1).eq(batch.Targets).sum());
    }

    /// <inheritdoc />
    public override (double Sum, long Correct) Evaluate(Tensor output, TrainingBatch batch, bool warmUp)
    {
        var b = Compute(output, batch, warmUp);
        return (b.Reported.ToDouble() * batch.Count, b.Correct!.item<long>());
    }
}

/// <summary>
/// Focal loss (Lin, Goyal, Girshick, He &amp; Dollár 2017): FL = mean_i α_{y_i} (1 − p_{i,y_i})^γ (−log p_{i,y_i}).
/// γ &gt; 0 down-weights the samples the network already gets right, so the rare, hard ones weigh more;
/// γ = 0 with α = 1 is the cross-entropy. α per class is optional (all 1 by default).
/// </summary>
public sealed class FocalLoss : TrainingLoss
{
    private readonly double[]? _alpha;

    /// <summary>Focal loss with focusing parameter <paramref name="gamma"/> ≥ 0 and optional class weights <paramref name="alpha"/>.</summary>
    public FocalLoss(double gamma = 2, IReadOnlyList<double>? alpha = null)
    {
        if (!(gamma >= 0) || double.IsInfinity(gamma)) throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "γ must be finite and ≥ 0.");
        if (alpha is not null && (alpha.Count < 2 || alpha.Any(a => !(a > 0) || double.IsInfinity(a))))
            throw new ArgumentException("α must be at least two positive, finite numbers (one per class).", nameof(alpha));
        Gamma = gamma;
        _alpha = alpha?.ToArray();
    }

    /// <summary>The focusing parameter γ.</summary>
    public double Gamma { get; }

    /// <summary>Class weights α (null: all 1).</summary>
    public IReadOnlyList<double>? Alpha => _alpha;

    /// <inheritdoc />
    public override string Name => $"focal loss (γ = {Gamma})";

    /// <inheritdoc />
    public override bool CountsCorrect => true;

    /// <inheritdoc />
    public override void Check(nn.Module model, Tensor output, TrainingBatch batch) => ImbalancedLosses.CheckLogits(model, output, _alpha?.Length);

    /// <inheritdoc />
    public override BatchLoss Compute(Tensor output, TrainingBatch batch, bool warmUp)
    {
        Tensor loss;
        using (var scope = NewDisposeScope())
        {
            var logp = nn.functional.log_softmax(output, 1).gather(1, batch.Targets.unsqueeze(1)).squeeze(1);
            var focus = (logp.exp() - Hold(1)).neg().clamp_min(Hold(0)).pow(Hold(Gamma));
            var perSample = -focus * logp;
            if (_alpha is not null)
            {
                var a = tensor(_alpha, dtype: output.dtype, device: output.device);
                perSample = perSample * a.index_select(0, batch.Targets);
            }
            loss = perSample.mean().MoveToOuterDisposeScope();
        }
        using var _ = no_grad();
        return new BatchLoss(loss, loss, output.argmax(1).eq(batch.Targets).sum());
    }

    /// <inheritdoc />
    public override (double Sum, long Correct) Evaluate(Tensor output, TrainingBatch batch, bool warmUp)
    {
        var b = Compute(output, batch, warmUp);
        return (b.Reported.ToDouble() * batch.Count, b.Correct!.item<long>());
    }
}

/// <summary>Helpers shared by the losses for imbalanced classes.</summary>
public static class ImbalancedLosses
{
    /// <summary>Weights w_c = N/(K·n_c) from the class counts n_c (1 for balanced classes); a class with no sample gets weight 0 … refused.</summary>
    public static double[] InverseFrequencyWeights(IReadOnlyList<long> classCounts)
    {
        ArgumentNullException.ThrowIfNull(classCounts);
        if (classCounts.Count < 2 || classCounts.Any(c => c <= 0)) throw new ArgumentException("Every class needs at least one sample to get an inverse-frequency weight.", nameof(classCounts));
        double total = classCounts.Sum();
        return classCounts.Select(c => total / (classCounts.Count * (double)c)).ToArray();
    }

    internal static void CheckLogits(nn.Module model, Tensor output, int? classes)
    {
        if (output.ndim != 2)
            throw new ArgumentException($"{model.GetType().Name} must return logits (N, K); it returned shape {TensorChecks.Shape(output.shape)}.", nameof(model));
        if (classes is int k && output.size(1) != k)
            throw new ArgumentException($"{model.GetType().Name} returns {output.size(1)} logits but the loss has weights for {k} classes.", nameof(model));
    }
}
