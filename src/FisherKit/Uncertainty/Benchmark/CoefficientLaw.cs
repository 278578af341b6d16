namespace FisherKit.Uncertainty.Benchmark;

/// <summary>How the coefficients a_k of a benchmark problem are drawn.</summary>
public enum CoefficientLaw
{
    /// <summary>a_k ~ N(0, 1).</summary>
    Normal,

    /// <summary>a_k ~ U[−1, 1].</summary>
    Uniform,
}
