using FisherKit.Training;

namespace FisherKit.Uncertainty.Regression;

/// <summary>
/// What the network-based regression methods share: the MLP (hidden width and depth, dropout for MC dropout and
/// EiV), the training (FisherKit's one <see cref="TrainingLoop"/>), the number of stochastic passes T at prediction,
/// the seed, and where trained weights are kept.
/// </summary>
public sealed record NetworkRegressionOptions
{
    /// <summary>Units per hidden layer (default 64).</summary>
    public int Hidden { get; init; } = 64;

    /// <summary>Hidden layers (default 2).</summary>
    public int HiddenLayers { get; init; } = 2;

    /// <summary>Drop probability of MC-dropout and EiV networks (default 0.1; ensembles and Laplace use none).</summary>
    public double Dropout { get; init; } = 0.1;

    /// <summary>
    /// The training: default 300 epochs of Adam (learning rate 1e-2, cosine schedule) in batches of 32, with weight
    /// decay 1/n (<see cref="TrainingOptions.WeightDecayPerPoint"/> = 1, a Gaussian prior of precision 1 on the
    /// weights, which the Laplace approximations use as their prior).
    /// </summary>
    public TrainingOptions Training { get; init; } = new()
    {
        Epochs = 300, BatchSize = 32, LearningRate = 1e-2, Schedule = LearningRateSchedule.Cosine, WeightDecayPerPoint = 1, RecordEvery = 1000,
    };

    /// <summary>T, stochastic forward passes of MC dropout and EiV at prediction (default 50).</summary>
    public int Passes { get; init; } = 50;

    /// <summary>Seed of the initial weights, batch orders, dropout masks and input draws.</summary>
    public long Seed { get; init; }

    /// <summary>Where trained networks are kept (null: always train).</summary>
    public ResultCache? Cache { get; init; }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (Hidden < 1) throw new ArgumentOutOfRangeException(nameof(Hidden), Hidden, "Hidden layers need at least one unit.");
        if (HiddenLayers < 1) throw new ArgumentOutOfRangeException(nameof(HiddenLayers), HiddenLayers, "The MLP needs at least one hidden layer.");
        if (!(Dropout >= 0 && Dropout < 1)) throw new ArgumentOutOfRangeException(nameof(Dropout), Dropout, "The drop probability must lie in [0, 1).");
        if (Passes < 2) throw new ArgumentOutOfRangeException(nameof(Passes), Passes, "At least 2 stochastic passes are needed.");
        ArgumentNullException.ThrowIfNull(Training);
        Training.Validate();
    }

    /// <summary>The network for <paramref name="inputs"/> inputs, with or without dropout, σ_x (network units) and K.</summary>
    public RegressionNetworkOptions Network(int inputs, bool dropout, double[]? inputNoise = null, int inputDraws = 1) => new()
    {
        Inputs = inputs,
        Hidden = Hidden,
        HiddenLayers = HiddenLayers,
        Dropout = dropout ? Dropout : 0,
        InputNoise = inputNoise,
        InputDraws = inputDraws,
    };
}
