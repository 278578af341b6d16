using System.Globalization;
using FisherKit.Training;
using static TorchSharp.torch;

namespace FisherKit.Uncertainty.Regression;

/// <summary>
/// Trains a <see cref="RegressionNetwork"/> on standardised inputs [N, d] and targets [N] with FisherKit's one
/// <see cref="TrainingLoop"/> and the <see cref="EiVLoss"/> (the Gaussian negative log-likelihood for K = 1), or loads
/// it from a <see cref="ResultCache"/> under a key of the network, its initial weights, the training settings, the
/// data and the engine. Batch orders come from a generator seeded by the training seed, dropout masks and input draws
/// from another one derived from it.
/// </summary>
public static class RegressionTraining
{
    /// <summary>Version of what is trained (part of the cache key).</summary>
    public const string Version = "fisherkit-regression-mlp/1";

    /// <summary>Trains (or loads) <paramref name="network"/> in place; <paramref name="name"/> names its cache entry.</summary>
    public static TrainingRun Fit(RegressionNetwork network, Tensor inputs, Tensor targets, TrainingOptions options, long seed,
        ResultCache? cache = null, string name = "regression-mlp", IProgress<TrainingProgress>? progress = null, int member = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(options);
        Standardization.CheckData(inputs, targets);
        if (inputs.shape[1] != network.Options.Inputs)
            throw new ArgumentException($"The inputs have {inputs.shape[1]} columns but the network takes {network.Options.Inputs}.", nameof(inputs));
        var training = options with { Seed = seed };
        training.Validate();
        var x = inputs.to(ScalarType.Float32);
        var y = targets.reshape(-1).to(ScalarType.Float32);
        TrainingHistory Train()
        {
            using var order = new Generator((ulong)seed);
            using var noise = new Generator((ulong)Benchmark.BenchmarkProblem.Derive(seed, 2));
            network.Generator = noise;
            try
            {
                return TrainingLoop.Run(network, new EiVLoss(network), new TensorBatches(x, y, training.BatchSize, order, training.EqualBatches), training,
                    null, progress, member, cancellationToken);
            }
            finally
            {
                network.Generator = null;
            }
        }
        if (cache is null) return TrainingRun.Uncached(Train());
        var key = CacheKey.For(name)
            .With("trainer", TrainingLoop.Version + " " + Version)
            .WithSettings("network", network.Options)
            .WithModel("model", network)
            .WithSettings("training", training)
            .WithData("data", x, y)
            .With("seed", seed.ToString(CultureInfo.InvariantCulture));
        return cache.LoadOrTrain(network, key, Train, progress, member);
    }
}
