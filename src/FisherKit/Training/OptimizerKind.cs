namespace FisherKit.Training;

/// <summary>The optimiser a <see cref="TrainingLoop"/> run uses (<see cref="TrainingOptions.Optimizer"/>).</summary>
public enum OptimizerKind
{
    /// <summary>Adam (Kingma &amp; Ba 2015) with β = (0.9, 0.999).</summary>
    Adam,

    /// <summary>Stochastic gradient descent with <see cref="TrainingOptions.Momentum"/>.</summary>
    Sgd,
}
