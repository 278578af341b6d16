using FisherKit.Models;
using FisherKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Uncertainty;

/// <summary>
/// The <see cref="TrainingLoss"/> of a <see cref="UNet"/> (<see cref="RegressionLosses"/>), averaged over the
/// pixels of the batch's mask: the squared error for the mean head; the Gaussian NLL for the Gaussian head,
/// whose warm-up (<see cref="TrainingOptions.WarmupEpochs"/>) trains the mean with the squared error while
/// the variance head learns the size of the detached residuals (<see cref="RegressionLosses.WarmupLoss"/>;
/// the squared error is reported then).
/// </summary>
public sealed class UNetLoss : TrainingLoss
{
    private readonly UNet _model;

    /// <summary>The loss of <paramref name="model"/>'s head.</summary>
    public UNetLoss(UNet model)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
    }

    /// <inheritdoc />
    public override string Name => HasWarmup ? "Gaussian NLL" : "squared error";

    /// <inheritdoc />
    public override bool HasWarmup => _model.Options.Head == RegressionHead.Gaussian;

    /// <inheritdoc />
    public override BatchLoss Compute(Tensor output, TrainingBatch batch, bool warmUp)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(batch);
        var mask = batch.Mask?.to(output.device);
        if (warmUp)
        {
            var (loss, squaredError) = RegressionLosses.WarmupLoss(_model, output, batch.Targets, mask);
            return new BatchLoss(loss, squaredError);
        }
        var l = RegressionLosses.Loss(_model, output, batch.Targets, mask);
        return new BatchLoss(l, l);
    }

    /// <inheritdoc />
    public override (double Sum, long Correct) Evaluate(Tensor output, TrainingBatch batch, bool warmUp)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return (RegressionLosses.Loss(_model, output, batch.Targets, batch.Mask?.to(output.device), useMse: warmUp).ToDouble() * batch.Count, 0);
    }
}
