using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Training;

/// <summary>
/// The log-ratio loss of contrast-detail regression: the model outputs ln ŷ, the targets are y &gt; 0 (threshold
/// thicknesses in µm), and the loss is the mean over samples and outputs of (ln ŷ − ln y)² = (ln(ŷ/y))². PTB's
/// networks minimise a softplus-smoothed version of the same quantity on ŷ directly (it stays finite for ŷ ≤ 0);
/// predicting ln ŷ makes that smoothing unnecessary, and both agree near the optimum.
/// </summary>
public sealed class LogRatioLoss : TrainingLoss
{
    /// <inheritdoc />
    public override string Name => "log-ratio (ln ŷ/y)²";

    /// <inheritdoc />
    public override void Check(nn.Module model, Tensor output, TrainingBatch batch)
    {
        if (output.ndim != 2 || !output.shape.SequenceEqual(batch.Targets.shape))
            throw new ArgumentException($"{model.GetType().Name} returned shape {TensorChecks.Shape(output.shape)} for targets of shape {TensorChecks.Shape(batch.Targets.shape)}.", nameof(model));
        if (batch.Targets.le(Hold(0)).any().item<bool>())
            throw new ArgumentException("The log-ratio loss needs positive targets.", nameof(batch));
    }

    /// <inheritdoc />
    public override BatchLoss Compute(Tensor output, TrainingBatch batch, bool warmUp)
    {
        var loss = (output - batch.Targets.log()).pow(Hold(2)).mean();
        return new BatchLoss(loss, loss);
    }

    /// <inheritdoc />
    public override (double Sum, long Correct) Evaluate(Tensor output, TrainingBatch batch, bool warmUp) =>
        ((output - batch.Targets.log()).pow(Hold(2)).mean().ToDouble() * batch.Count, 0);
}
