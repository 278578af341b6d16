using FisherKit.Models;
using FisherKit.Training;
using static TorchSharp.torch;

namespace FisherKit.Uncertainty;

/// <summary>
/// Training a <see cref="UNet"/> on <see cref="RegressionData"/> with the one <see cref="TrainingLoop"/>:
/// its loss (<see cref="UNetLoss"/>: masked squared error, or Gaussian NLL after a squared-error warm-up with
/// Adam restarted at the switch), mini-batches in the order of a permutation per epoch drawn from a
/// generator seeded with <see cref="TrainingOptions.Seed"/> (<see cref="TensorBatches"/>), and a report after
/// every step and epoch to any <see cref="IProgress{T}"/>, so that a notebook can draw learning curves while
/// it runs. Dropout draws from the global generator (seed it for a reproducible run, e.g. inside
/// <c>using var random = GlobalRandom.Fork(seed)</c>; <see cref="DeepEnsemble"/> does).
/// </summary>
public static class UNetTraining
{
    /// <summary>
    /// Trains <paramref name="model"/> in place and returns its learning curves (per epoch: the mean training
    /// loss as <see cref="TrainingRecord.EpochTrainLoss"/>, the validation loss; every step's loss); the model
    /// is left in evaluation mode. <paramref name="member"/> is passed on in the progress reports.
    /// </summary>
    public static TrainingHistory Fit(UNet model, RegressionData train, RegressionData? validation, TrainingOptions options,
        IProgress<TrainingProgress>? progress = null, int member = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        model.CheckInput(train.Inputs);
        CheckTargets(model, train);
        if (validation is not null)
        {
            model.CheckInput(validation.Inputs);
            CheckTargets(model, validation);
        }
        model.eval();
        using var order = new Generator((ulong)options.Seed);
        return TrainingLoop.Run(model, new UNetLoss(model),
            new TensorBatches(train.Inputs, train.Targets, options.BatchSize, order, options.EqualBatches, options.Device, train.Mask), options,
            validation is null ? null : new TensorBatches(validation.Inputs, validation.Targets, 64, device: options.Device, mask: validation.Mask),
            progress, member, cancellationToken);
    }

    /// <summary>The loss of <paramref name="model"/> on <paramref name="data"/> in evaluation mode (dropout off), batched; <paramref name="warmUp"/> evaluates the squared error of the Gaussian head's mean.</summary>
    public static double Evaluate(UNet model, RegressionData data, int batchSize = 64, bool warmUp = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        return TrainingLoop.Evaluate(model, new UNetLoss(model), new TensorBatches(data.Inputs, data.Targets, batchSize, device: ModelDevice(model), mask: data.Mask), warmUp).Loss;
    }

    /// <summary>The device of a model's first parameter.</summary>
    internal static Device ModelDevice(nn.Module model) => model.parameters().First().device;

    /// <summary>Throws unless the targets have the network's output channels (a 1-channel target would broadcast against 2).</summary>
    internal static void CheckTargets(UNet model, RegressionData data)
    {
        if (data.Targets.shape[1] != model.Options.OutChannels)
            throw new ArgumentException($"The targets have {data.Targets.shape[1]} channels but the network predicts {model.Options.OutChannels}.");
    }
}
