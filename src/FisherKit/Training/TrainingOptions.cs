using System.Globalization;
using static TorchSharp.torch;

namespace FisherKit.Training;

/// <summary>
/// Hyper-parameters of a supervised classifier training run (<see cref="ClassifierTrainer"/>). All
/// of them except <see cref="RecordEvery"/> and <see cref="Device"/> change the trained weights and
/// therefore enter the weight-cache key (<see cref="Describe"/>).
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>Passes over the training set (default 5).</summary>
    public int Epochs { get; init; } = 5;

    /// <summary>Samples per mini-batch (default 128); the last batch of an epoch may be smaller.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Initial learning rate (default 1e-3, Adam's usual value).</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>The optimiser (default Adam).</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;

    /// <summary>Momentum of SGD (ignored by Adam; default 0.9).</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>L2 weight decay added to the gradient (default 0).</summary>
    public double WeightDecay { get; init; }

    /// <summary>The learning-rate schedule over the epochs (default constant).</summary>
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Constant;

    /// <summary>
    /// Seed of everything random during training: the order of the samples in every epoch and the
    /// dropout masks. The initial weights are the model's own (see <c>ConvNetSpec.Build(seed)</c>).
    /// </summary>
    public long Seed { get; init; }

    /// <summary>A learning-curve record every this many mini-batches within an epoch (and one at every epoch's end; default 50).</summary>
    public int RecordEvery { get; init; } = 50;

    /// <summary>Where the batches are moved for training (default: where they are, the CPU).</summary>
    public Device? Device { get; init; }

    /// <summary>
    /// The options that determine the trained weights, as one canonical line (invariant culture,
    /// round-trip number format), e.g. "epochs=5 batch=128 optimizer=Adam lr=0.001 ...".
    /// </summary>
    public string Describe()
    {
        Validate();
        return string.Create(CultureInfo.InvariantCulture,
            $"epochs={Epochs} batch={BatchSize} optimizer={Optimizer} lr={LearningRate:R} momentum={(Optimizer == OptimizerKind.Sgd ? Momentum : 0):R} weight_decay={WeightDecay:R} schedule={Schedule} seed={Seed}");
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (Epochs < 1) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "At least one epoch is needed.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "The batch size must be positive.");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "The learning rate must be a positive finite number.");
        if (!(Momentum >= 0 && Momentum < 1)) throw new ArgumentOutOfRangeException(nameof(Momentum), Momentum, "The momentum must lie in [0, 1).");
        if (!(WeightDecay >= 0) || !double.IsFinite(WeightDecay)) throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, "The weight decay must be a finite value >= 0.");
        if (RecordEvery < 1) throw new ArgumentOutOfRangeException(nameof(RecordEvery), RecordEvery, "Records need a positive interval in mini-batches.");
        if (!Enum.IsDefined(Optimizer)) throw new ArgumentOutOfRangeException(nameof(Optimizer), Optimizer, "Unknown optimiser.");
        if (!Enum.IsDefined(Schedule)) throw new ArgumentOutOfRangeException(nameof(Schedule), Schedule, "Unknown learning-rate schedule.");
    }
}
