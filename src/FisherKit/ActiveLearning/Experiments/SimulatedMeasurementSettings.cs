using FisherKit.Training;

namespace FisherKit.ActiveLearning.Experiments;

/// <summary>Settings of <see cref="SimulatedMeasurement"/>; <see cref="Full"/> for the main run, <see cref="Quick"/> for about a minute on 2 cores.</summary>
public sealed record SimulatedMeasurementSettings
{
    /// <summary>Pool size.</summary>
    public int PoolSize { get; init; } = 2000;

    /// <summary>Test-set size (uniform positions).</summary>
    public int TestSize { get; init; } = 2000;

    /// <summary>Initial labelled set size.</summary>
    public int InitialSize { get; init; } = 10;

    /// <summary>Points per round.</summary>
    public int BatchSize { get; init; } = 10;

    /// <summary>Total labels.</summary>
    public int Budget { get; init; } = 200;

    /// <summary>Repeats (seeds 0, 1, …); the pool and test set are the same for all, the seed drives initial sets, models and acquisitions.</summary>
    public int Seeds { get; init; } = 5;

    /// <summary>MC-dropout passes.</summary>
    public int McSamples { get; init; } = 20;

    /// <summary>Ensemble members for ensemble variance.</summary>
    public int EnsembleSize { get; init; } = 5;

    /// <summary>Hidden units per layer of the MLP.</summary>
    public int Hidden { get; init; } = 64;

    /// <summary>Prior precision λ of the Fisher designs and BAIT.</summary>
    public double PriorPrecision { get; init; } = 1.0;

    /// <summary>Dimension of the random-subspace projection and number of Fisher eigenvectors.</summary>
    public int SubspaceDimension { get; init; } = 32;

    /// <summary>Training of the MLP (retrained from scratch each round).</summary>
    public TrainingOptions Training { get; init; } = new() { Epochs = 100, BatchSize = 32, MinSteps = 400, LearningRate = 3e-3, WeightDecay = 1e-4 };

    /// <summary>Methods to run (names from <see cref="SimulatedMeasurement.Methods"/>); null runs all.</summary>
    public IReadOnlyList<string>? Methods { get; init; }

    /// <summary>Pool and test data seed.</summary>
    public long DataSeed { get; init; } = 42;

    /// <summary>The main run.</summary>
    public static SimulatedMeasurementSettings Full { get; } = new();

    /// <summary>Pool 500, test 500, 40 labels, one seed, short training, smaller subspaces.</summary>
    public static SimulatedMeasurementSettings Quick { get; } = new()
    {
        PoolSize = 500, TestSize = 500, Budget = 40, Seeds = 1, McSamples = 8, EnsembleSize = 3, Hidden = 32, SubspaceDimension = 8,
        Training = new TrainingOptions { Epochs = 30, BatchSize = 16, MinSteps = 60, LearningRate = 3e-3, WeightDecay = 1e-4 },
    };
}
