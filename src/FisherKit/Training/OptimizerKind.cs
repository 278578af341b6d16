namespace FisherKit.Training;

/// <summary>The optimiser a <see cref="ClassifierTrainer"/> uses.</summary>
public enum OptimizerKind
{
    /// <summary>Adam (Kingma &amp; Ba 2015) with β = (0.9, 0.999).</summary>
    Adam,

    /// <summary>Stochastic gradient descent with <see cref="TrainingOptions.Momentum"/>.</summary>
    Sgd,
}
