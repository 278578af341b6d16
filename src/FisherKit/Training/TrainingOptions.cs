using System.Text.Json.Serialization;
using static TorchSharp.torch;

namespace FisherKit.Training;

/// <summary>
/// The settings of a <see cref="TrainingLoop"/> run, the same for every task: how long (epochs, a
/// minimum number of steps), in what batches, with which optimiser and learning-rate schedule, the
/// warm-up phase of a loss that has one, the seed, and how often the learning curves get a record.
/// Every setting except <see cref="RecordEvery"/> and <see cref="Device"/> can change the trained
/// weights, so a cache key includes them (<see cref="CacheKey.WithSettings"/>; those two are left out).
/// </summary>
/// <example>
/// <code>
/// var classifier = new TrainingOptions { Epochs = 3, BatchSize = 128, LearningRate = 1e-3, Seed = 0 };
/// var unet = new TrainingOptions { Epochs = 10, BatchSize = 8, LearningRate = 3e-3, Schedule = LearningRateSchedule.Cosine, WarmupEpochs = 4 };
/// var activeLearning = new TrainingOptions { Epochs = 50, BatchSize = 32, MinSteps = 100, WeightDecayPerPoint = 3.5 };
/// </code>
/// </example>
public sealed record TrainingOptions
{
    /// <summary>Passes over the training set (default 5); 0 is allowed when <see cref="MinSteps"/> sets the length.</summary>
    public int Epochs { get; init; } = 5;

    /// <summary>
    /// At least this many optimiser steps, whatever the training set's size (default 0): the run goes on
    /// with further epochs, the last one cut short, until it has taken them. Small active-learning sets
    /// would otherwise get very few steps.
    /// </summary>
    public int MinSteps { get; init; }

    /// <summary>
    /// Samples per mini-batch (default 128); the last batch of an epoch may be smaller. Read by the front ends that
    /// make the batches (<see cref="ClassifierTraining"/>, the U-Net and active-learning trainers); a batch source
    /// handed to <see cref="TrainingLoop.Run"/> directly has its own batch size and order, and the loop does not
    /// change them.
    /// </summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>
    /// Split each epoch into batches of equal size (at most <see cref="BatchSize"/>, sizes differing by at
    /// most one) instead of full batches and a remainder (default off, as in Keras and PyTorch's
    /// DataLoader). With it off, 130 points in batches of 128 end every epoch with a step on 2 points.
    /// Only for tensor batches (<see cref="TensorBatches"/>).
    /// </summary>
    public bool EqualBatches { get; init; }

    /// <summary>Initial learning rate (default 1e-3, Adam's usual value).</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>The optimiser (default Adam).</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;

    /// <summary>Momentum of SGD (ignored by Adam; default 0.9).</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>L2 weight decay added to the gradient as weight_decay·θ (default 0).</summary>
    public double WeightDecay { get; init; }

    /// <summary>
    /// When set, the weight decay is this constant divided by the number of training samples n (e.g. Gal
    /// et al.'s 3.5/n for a labelled set that grows round by round); overrides <see cref="WeightDecay"/>.
    /// </summary>
    public double? WeightDecayPerPoint { get; init; }

    /// <summary>The learning-rate schedule over the epochs (default constant).</summary>
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Constant;

    /// <summary>
    /// Epochs of the loss's warm-up phase, for a loss that has one (the U-Net's Gaussian head trains the
    /// mean with the squared error first); ignored by the others. The optimiser starts afresh (new moment
    /// estimates) when the warm-up ends. Default 0.
    /// </summary>
    public int WarmupEpochs { get; init; }

    /// <summary>
    /// Seed of the run's randomness (default 0). What it seeds depends on the task's batch source: the
    /// image classifier's per-epoch shuffles and dropout masks, the U-Net's batch order, an active-learning
    /// network's batch order and dropout masks (see each front end). Initial weights are the model's own.
    /// <see cref="TrainingLoop.Run"/> itself draws nothing: with a batch source of your own, its order comes from
    /// the generator you give it (<see cref="TensorBatches"/>), and this seed is not read.
    /// </summary>
    public long Seed { get; init; }

    /// <summary>A learning-curve record every this many mini-batches within an epoch, and one at every epoch's end (default 50).</summary>
    [JsonIgnore]
    public int RecordEvery { get; init; } = 50;

    /// <summary>Where the model and the batches go (default: where they are).</summary>
    [JsonIgnore]
    public Device? Device { get; init; }

    /// <summary>The weight decay for a training set of <paramref name="samples"/> samples.</summary>
    public double WeightDecayFor(long samples) => WeightDecayPerPoint is double c ? c / samples : WeightDecay;

    /// <summary>The optimiser steps of one epoch over <paramref name="samples"/> samples.</summary>
    public long StepsPerEpoch(long samples) => (samples + BatchSize - 1) / BatchSize;

    /// <summary>The steps a run over <paramref name="samples"/> samples takes: all epochs, or <see cref="MinSteps"/> if more.</summary>
    public long TotalSteps(long samples) => Math.Max(Epochs * StepsPerEpoch(samples), MinSteps);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (Epochs < 0 || (Epochs == 0 && MinSteps == 0)) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "At least one epoch (or a positive MinSteps) is needed.");
        if (MinSteps < 0) throw new ArgumentOutOfRangeException(nameof(MinSteps), MinSteps, "MinSteps must be 0 or more.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "The batch size must be positive.");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "The learning rate must be a positive finite number.");
        if (!(Momentum >= 0 && Momentum < 1)) throw new ArgumentOutOfRangeException(nameof(Momentum), Momentum, "The momentum must lie in [0, 1).");
        if (!(WeightDecay >= 0) || !double.IsFinite(WeightDecay)) throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, "The weight decay must be a finite value >= 0.");
        if (WeightDecayPerPoint is double c && (!(c >= 0) || !double.IsFinite(c))) throw new ArgumentOutOfRangeException(nameof(WeightDecayPerPoint), WeightDecayPerPoint, "The weight decay per point must be a finite value >= 0.");
        if (WarmupEpochs < 0) throw new ArgumentOutOfRangeException(nameof(WarmupEpochs), WarmupEpochs, "WarmupEpochs must be 0 or more.");
        if (RecordEvery < 1) throw new ArgumentOutOfRangeException(nameof(RecordEvery), RecordEvery, "Records need a positive interval in mini-batches.");
        if (!Enum.IsDefined(Optimizer)) throw new ArgumentOutOfRangeException(nameof(Optimizer), Optimizer, "Unknown optimiser.");
        if (!Enum.IsDefined(Schedule)) throw new ArgumentOutOfRangeException(nameof(Schedule), Schedule, "Unknown learning-rate schedule.");
    }
}
