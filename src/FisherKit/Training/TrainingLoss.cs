using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Training;

/// <summary>
/// The part of a <see cref="TrainingLoop"/> run that depends on the task: the loss of a mini-batch
/// (the tensor to minimise and the value to report), optionally the number of correct predictions
/// (classification accuracy), the same loss summed over a validation set, and an optional warm-up
/// phase (epochs with another loss; the optimiser restarts when it ends). FisherKit's losses:
/// <see cref="ClassificationLoss"/> (cross-entropy with accuracy), <see cref="SquaredErrorLoss"/> (regression
/// on standardised targets) and <c>FisherKit.Uncertainty.UNetLoss</c> (masked squared error or Gaussian NLL
/// of a U-Net, with a squared-error warm-up).
/// </summary>
public abstract class TrainingLoss
{
    /// <summary>The loss's name in histories and figures, e.g. "cross-entropy".</summary>
    public abstract string Name { get; }

    /// <summary>True when <see cref="Compute"/> counts correct predictions (the records then carry accuracies).</summary>
    public virtual bool CountsCorrect => false;

    /// <summary>Whether the loss has a warm-up phase, so that <see cref="TrainingOptions.WarmupEpochs"/> applies (default false).</summary>
    public virtual bool HasWarmup => false;

    /// <summary>Checks the model's output for the first batch of a run (shapes, number of classes); throws <see cref="ArgumentException"/>.</summary>
    public virtual void Check(nn.Module model, Tensor output, TrainingBatch batch)
    {
    }

    /// <summary>
    /// The loss of one mini-batch: the scalar to minimise, the scalar to report (the same tensor unless the
    /// warm-up reports another quantity), and the number of correct predictions when <see cref="CountsCorrect"/>.
    /// The tensors belong to the caller's dispose scope.
    /// </summary>
    public abstract BatchLoss Compute(Tensor output, TrainingBatch batch, bool warmUp);

    /// <summary>
    /// The loss summed over the samples of a batch (its mean times the batch size, or a summed reduction)
    /// and the number of correct predictions (0 when the loss does not count them), for evaluation.
    /// </summary>
    public abstract (double Sum, long Correct) Evaluate(Tensor output, TrainingBatch batch, bool warmUp);
}

/// <summary>The loss of one mini-batch (see <see cref="TrainingLoss.Compute"/>).</summary>
/// <param name="Minimised">The scalar the optimiser minimises.</param>
/// <param name="Reported">The scalar reported in the learning curves (often the same tensor).</param>
/// <param name="Correct">Correct predictions in the batch, or null.</param>
public readonly record struct BatchLoss(Tensor Minimised, Tensor Reported, Tensor? Correct = null);

/// <summary>
/// The classification loss: mean cross-entropy of logits (N, K) against int64 labels (N), with the
/// accuracy (argmax = label); for image classifiers and active-learning classifiers.
/// </summary>
public sealed class ClassificationLoss : TrainingLoss
{
    /// <summary>A cross-entropy loss; <paramref name="classes"/>, when given, is checked against the model's outputs.</summary>
    public ClassificationLoss(int? classes = null)
    {
        Classes = classes;
    }

    /// <summary>The number of classes the labels use, or null when unknown.</summary>
    public int? Classes { get; }

    /// <inheritdoc />
    public override string Name => "cross-entropy";

    /// <inheritdoc />
    public override bool CountsCorrect => true;

    /// <inheritdoc />
    public override void Check(nn.Module model, Tensor output, TrainingBatch batch)
    {
        if (output.ndim != 2)
            throw new ArgumentException($"{model.GetType().Name} must return logits (N, K); it returned shape {TensorChecks.Shape(output.shape)}.", nameof(model));
        if (Classes is int k && output.size(1) < k)
            throw new ArgumentException($"{model.GetType().Name} has {output.size(1)} outputs but the data set has {k} classes.", nameof(model));
        var labels = batch.Targets;
        if (labels.dtype != ScalarType.Int64 || labels.ndim != 1 || labels.size(0) != output.size(0))
            throw new ArgumentException($"Classification needs one class index per input as an Int64 tensor [N] (labels.to(ScalarType.Int64)); got {labels.dtype} {TensorChecks.Shape(labels.shape)} for {output.size(0)} inputs.", nameof(batch));
        long classes = Classes ?? output.size(1);
        if (labels.numel() > 0 && (labels.min().item<long>() < 0 || labels.max().item<long>() >= classes))
            throw new ArgumentException($"Class labels must lie in 0 … {classes - 1}; this batch holds {labels.min().item<long>()} … {labels.max().item<long>()}.", nameof(batch));
    }

    /// <inheritdoc />
    public override BatchLoss Compute(Tensor output, TrainingBatch batch, bool warmUp)
    {
        var loss = nn.functional.cross_entropy(output, batch.Targets);
        using var _ = no_grad();
        return new BatchLoss(loss, loss, output.argmax(1).eq(batch.Targets).sum());
    }

    /// <inheritdoc />
    public override (double Sum, long Correct) Evaluate(Tensor output, TrainingBatch batch, bool warmUp) =>
        (nn.functional.cross_entropy(output, batch.Targets, reduction: nn.Reduction.Sum).ToDouble(), output.argmax(1).eq(batch.Targets).sum().item<long>());
}

/// <summary>
/// Mean squared error of the outputs against targets with the same number of elements (reshaped to the
/// output's shape): regression on standardised targets (active learning).
/// </summary>
public sealed class SquaredErrorLoss : TrainingLoss
{
    /// <inheritdoc />
    public override string Name => "squared error";

    /// <inheritdoc />
    public override void Check(nn.Module model, Tensor output, TrainingBatch batch)
    {
        if (output.numel() != batch.Targets.numel())
            throw new ArgumentException($"{model.GetType().Name} returned shape {TensorChecks.Shape(output.shape)} for targets of shape {TensorChecks.Shape(batch.Targets.shape)}.", nameof(model));
    }

    /// <inheritdoc />
    public override BatchLoss Compute(Tensor output, TrainingBatch batch, bool warmUp)
    {
        var loss = nn.functional.mse_loss(output, batch.Targets.reshape(output.shape));
        return new BatchLoss(loss, loss);
    }

    /// <inheritdoc />
    public override (double Sum, long Correct) Evaluate(Tensor output, TrainingBatch batch, bool warmUp) =>
        (nn.functional.mse_loss(output, batch.Targets.reshape(output.shape)).ToDouble() * batch.Count, 0);
}
