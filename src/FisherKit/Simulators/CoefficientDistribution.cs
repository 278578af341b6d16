namespace FisherKit.Simulators;

/// <summary>The law of each random Zernike coefficient (independent, zero mean, given standard deviation).</summary>
public enum CoefficientDistribution
{
    /// <summary>Normal; with the linearised forward model the posterior is then exactly Gaussian.</summary>
    Gaussian,

    /// <summary>Uniform on [−√3σ, √3σ] (same variance); the Gaussian posterior is then an approximation.</summary>
    Uniform,
}
