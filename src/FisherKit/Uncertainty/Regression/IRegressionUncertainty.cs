using static TorchSharp.torch;

namespace FisherKit.Uncertainty.Regression;

/// <summary>
/// One interface for the regression uncertainty methods on vector inputs: MC dropout and errors-in-variables
/// networks (<see cref="DropoutRegression"/>), deep ensembles, plain or corrected (<see cref="EnsembleRegression"/>),
/// Laplace approximations of the last layer or of all weights (<see cref="LaplaceRegression"/>), and the exact
/// reference of the benchmark problems (<c>FisherKit.Uncertainty.Benchmark.ReferenceRegression</c>, which works on
/// the true basis instead of the inputs).
/// </summary>
public interface IRegressionUncertainty
{
    /// <summary>The method's name, as it appears in tables.</summary>
    string Name { get; }

    /// <summary>The predictive distribution at inputs [N, d] (in the units of the training data).</summary>
    RegressionPrediction Predict(Tensor inputs);
}
