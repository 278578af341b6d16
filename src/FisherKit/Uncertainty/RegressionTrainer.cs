using System.Diagnostics;
using TorchSharp;
using FisherKit.Models;
using static TorchSharp.torch;

namespace FisherKit.Uncertainty;

/// <summary>
/// Trains a <see cref="UNet"/> with Adam on mini-batches (MSE for the mean head, Gaussian NLL for
/// the Gaussian head, masked to the pixels that count), reporting every step and epoch to an
/// <see cref="IProgress{T}"/> so that a notebook can draw learning curves while it runs.
/// </summary>
public static class RegressionTrainer
{
    /// <summary>
    /// Trains <paramref name="model"/> in place and returns its learning curve. Mini-batches are drawn
    /// from a permutation seeded with <paramref name="seed"/>; dropout draws from the global generator
    /// (seed it with manual_seed for a reproducible run).
    /// </summary>
    public static RegressionTrainingHistory Fit(UNet model, RegressionData train, RegressionData? validation, RegressionTrainingOptions options,
                                      long seed = 0, IProgress<TrainingProgress>? progress = null, int member = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        model.CheckInput(train.Inputs);
        CheckTargets(model, train);
        if (validation is not null) { model.CheckInput(validation.Inputs); CheckTargets(model, validation); }

        var device = options.Device ?? CPU;
        model.to(device);
        using var trainMask = train.Mask?.to(device);
        var history = new RegressionTrainingHistory();
        var clock = Stopwatch.StartNew();
        long n = train.Count;
        int stepsPerEpoch = (int)((n + options.BatchSize - 1) / options.BatchSize);
        using var generator = new Generator((ulong)seed);
        var optimizer = optim.Adam(model.parameters(), lr: options.LearningRate, weight_decay: options.WeightDecay);
        try
        {
            long step = 0;
            bool gaussian = model.Options.Head == RegressionHead.Gaussian;
            for (int epoch = 1; epoch <= options.Epochs; epoch++)
            {
                bool useMse = gaussian && epoch <= options.MseWarmupEpochs;
                if (gaussian && options.MseWarmupEpochs > 0 && epoch == options.MseWarmupEpochs + 1)
                {
                    // From the squared error to the NLL the mean's gradients grow by 1/σ²; Adam's moment
                    // estimates still hold the warm-up's scale and would take steps many times too large.
                    // Start them afresh, as at the beginning of training.
                    optimizer.Dispose();
                    optimizer = optim.Adam(model.parameters(), lr: options.LearningRate, weight_decay: options.WeightDecay);
                }
                if (options.CosineSchedule)
                    foreach (var g in optimizer.ParamGroups) g.LearningRate = options.LearningRate * 0.5 * (1 + Math.Cos(Math.PI * (epoch - 1) / options.Epochs));
                model.train();
                double sum = 0;
                long seen = 0;
                using (var perm = randperm(n, generator: generator))
                {
                    for (int b = 0; b < stepsPerEpoch; b++)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        using var scope = NewDisposeScope();
                        long start = (long)b * options.BatchSize, count = Math.Min(options.BatchSize, n - start);
                        var idx = perm.narrow(0, start, count);
                        var x = train.Inputs.index_select(0, idx).to(device);
                        var y = train.Targets.index_select(0, idx).to(device);
                        optimizer.zero_grad();
                        Tensor loss, reported;
                        if (useMse) (loss, reported) = RegressionLosses.WarmupLoss(model, model.call(x), y, trainMask);
                        else reported = loss = RegressionLosses.Loss(model, model.call(x), y, trainMask);
                        loss.backward();
                        optimizer.step();
                        double value = reported.ToDouble();
                        if (!double.IsFinite(value))
                            throw new InvalidOperationException($"Training diverged: the loss became {value} at epoch {epoch}, step {b + 1}. Lower the learning rate or use MseWarmupEpochs for the Gaussian head.");
                        step++;
                        sum += value * count;
                        seen += count;
                        history.StepLosses.Add(value);
                        progress?.Report(new TrainingProgress(TrainingEvent.Step, member, epoch, options.Epochs, step, stepsPerEpoch, value, sum / seen, null, clock.Elapsed));
                    }
                }
                double? val = validation is null ? null : Evaluate(model, validation, useMse: useMse);
                var record = new EpochRecord(epoch, sum / seen, val, clock.Elapsed.TotalSeconds, useMse);
                history.Epochs.Add(record);
                progress?.Report(new TrainingProgress(TrainingEvent.EpochEnd, member, epoch, options.Epochs, step, stepsPerEpoch, double.NaN, record.TrainLoss, val, clock.Elapsed));
            }
            model.eval();
            var last = history.Epochs[^1];
            progress?.Report(new TrainingProgress(TrainingEvent.Finished, member, options.Epochs, options.Epochs, step, stepsPerEpoch, double.NaN, last.TrainLoss, last.ValidationLoss, clock.Elapsed));
            return history;
        }
        finally
        {
            optimizer.Dispose();
        }
    }

    /// <summary>The training loss of <paramref name="model"/> on <paramref name="data"/> in evaluation mode (dropout off), batched.</summary>
    public static double Evaluate(UNet model, RegressionData data, int batchSize = 64, bool useMse = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var _ = no_grad();
            var device = ModelDevice(model);
            using var mask = data.Mask?.to(device);
            double sum = 0;
            long n = data.Count;
            for (long start = 0; start < n; start += batchSize)
            {
                using var scope = NewDisposeScope();
                long count = Math.Min(batchSize, n - start);
                var x = data.Inputs.narrow(0, start, count).to(device);
                var y = data.Targets.narrow(0, start, count).to(device);
                sum += RegressionLosses.Loss(model, model.call(x), y, mask, useMse).ToDouble() * count;
            }
            return sum / n;
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <summary>The device of a model's first parameter.</summary>
    internal static Device ModelDevice(nn.Module model) => model.parameters().First().device;

    private static void CheckTargets(UNet model, RegressionData data)
    {
        if (data.Targets.shape[1] != model.Options.OutChannels)
            throw new ArgumentException($"The targets have {data.Targets.shape[1]} channels but the network predicts {model.Options.OutChannels}.");
    }
}
