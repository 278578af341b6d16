using FisherKit.Training;

namespace FisherKit.ActiveLearning.Experiments;

/// <summary>Settings of <see cref="GalProtocol"/>; <see cref="Full"/> follows Gal et al. (2017), <see cref="Quick"/> runs in about a minute on 2 cores.</summary>
public sealed record GalProtocolSettings
{
    /// <summary>Initial images per class (2 → 20 for 10 classes).</summary>
    public int InitialPerClass { get; init; } = 2;

    /// <summary>Images acquired per round.</summary>
    public int AcquisitionSize { get; init; } = 10;

    /// <summary>Total labels, initial set included.</summary>
    public int Budget { get; init; } = 1000;

    /// <summary>Random pool subset scored per round.</summary>
    public int CandidateSubset { get; init; } = 2000;

    /// <summary>MC-dropout passes T (the paper states 20; the published code uses 100).</summary>
    public int McSamples { get; init; } = 20;

    /// <summary>Repeats (seeds 0, 1, …).</summary>
    public int Seeds { get; init; } = 3;

    /// <summary>Images held out of the pool as a validation set (not used for selection).</summary>
    public int ValidationSize { get; init; } = 5000;

    /// <summary>When set, the pool is a fixed random subset of this size of the remaining training images.</summary>
    public int? PoolSize { get; init; }

    /// <summary>When set, only the first this many test images are used for the metrics.</summary>
    public int? TestSize { get; init; }

    /// <summary>Members of the deep ensemble for ensemble variance.</summary>
    public int EnsembleSize { get; init; } = 5;

    /// <summary>Prior precision λ of the Fisher designs and BAIT.</summary>
    public double PriorPrecision { get; init; } = 1.0;

    /// <summary>Training: Adam, 50 epochs of batch 128, L2 coefficient 3.5/n (Gal et al.'s code), retrained from scratch each round.</summary>
    public TrainingOptions Training { get; init; } = new() { Epochs = 50, BatchSize = 128, WeightDecayPerPoint = 3.5 };

    /// <summary>Methods to run (names from <see cref="GalProtocol.Methods"/>); null runs all.</summary>
    public IReadOnlyList<string>? Methods { get; init; }

    /// <summary>The protocol of the paper.</summary>
    public static GalProtocolSettings Full { get; } = new();

    /// <summary>A pool of 1,000 images, 300 test images, 40 labels, T = 5, training of at least 100 Adam steps of batch 32, one seed (about 3 minutes on 2 cores for all 11 methods; E-optimal and the ensemble take the longest).</summary>
    public static GalProtocolSettings Quick { get; } = new()
    {
        Budget = 40, CandidateSubset = 200, McSamples = 5, Seeds = 1, ValidationSize = 0, PoolSize = 1000, TestSize = 300, EnsembleSize = 3,
        Training = new TrainingOptions { Epochs = 50, BatchSize = 32, MinSteps = 100, WeightDecayPerPoint = 3.5 },
    };
}
