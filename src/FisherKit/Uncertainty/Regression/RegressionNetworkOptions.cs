namespace FisherKit.Uncertainty.Regression;

/// <summary>
/// The network of <see cref="RegressionNetwork"/>: an MLP d → hidden (× <see cref="HiddenLayers"/>) → 1 with tanh,
/// <see cref="GroupDropout"/> after every hidden activation when <see cref="Dropout"/> &gt; 0, and a homoscedastic
/// output noise σ_y (learned, as log σ_y, unless <see cref="LearnNoise"/> is off). For errors-in-variables training,
/// <see cref="InputNoise"/> (σ_x in the network's input units, one value or one per input) and
/// <see cref="InputDraws"/> K.
/// </summary>
public sealed record RegressionNetworkOptions
{
    /// <summary>d, the number of inputs.</summary>
    public int Inputs { get; init; } = 1;

    /// <summary>Units per hidden layer (default 64).</summary>
    public int Hidden { get; init; } = 64;

    /// <summary>Hidden layers (default 2).</summary>
    public int HiddenLayers { get; init; } = 2;

    /// <summary>Drop probability after each hidden layer (default 0: no dropout layers).</summary>
    public double Dropout { get; init; }

    /// <summary>σ_x of the inputs in the network's (standardised) input units: null or empty for none, one value for all, or one per input.</summary>
    public double[]? InputNoise { get; init; }

    /// <summary>K, noisy copies of each example per training step (default 1; errors-in-variables: e.g. 5).</summary>
    public int InputDraws { get; init; } = 1;

    /// <summary>Initial σ_y in the network's output units (default 0.5).</summary>
    public double InitialNoise { get; init; } = 0.5;

    /// <summary>Learn σ_y (default); off keeps <see cref="InitialNoise"/>.</summary>
    public bool LearnNoise { get; init; } = true;

    /// <summary>σ_x expanded to one value per input.</summary>
    public double[] InputNoisePerInput => Benchmark.BenchmarkProblem.InputNoise(InputNoise, Inputs);

    /// <summary>True when the network is trained as an errors-in-variables model (σ_x &gt; 0 for some input).</summary>
    public bool IsErrorsInVariables => InputNoisePerInput.Any(s => s > 0);

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (Inputs < 1) throw new ArgumentOutOfRangeException(nameof(Inputs), Inputs, "The network needs at least one input.");
        if (Hidden < 1) throw new ArgumentOutOfRangeException(nameof(Hidden), Hidden, "Hidden layers need at least one unit.");
        if (HiddenLayers < 1) throw new ArgumentOutOfRangeException(nameof(HiddenLayers), HiddenLayers, "The MLP needs at least one hidden layer.");
        if (!(Dropout >= 0 && Dropout < 1)) throw new ArgumentOutOfRangeException(nameof(Dropout), Dropout, "The drop probability must lie in [0, 1).");
        if (InputDraws < 1) throw new ArgumentOutOfRangeException(nameof(InputDraws), InputDraws, "K, the input draws per example, must be at least 1.");
        if (!(InitialNoise > 0) || !double.IsFinite(InitialNoise)) throw new ArgumentOutOfRangeException(nameof(InitialNoise), InitialNoise, "The initial σ_y must be positive and finite.");
        _ = InputNoisePerInput;   // σ_x < 0, non-finite or of the wrong length throws here
    }
}
