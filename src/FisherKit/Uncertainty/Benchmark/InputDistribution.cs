namespace FisherKit.Uncertainty.Benchmark;

/// <summary>How the inputs x ∈ ℝ^d of a benchmark problem are drawn (independent coordinates).</summary>
public enum InputDistribution
{
    /// <summary>x_j ~ U[−1, 1].</summary>
    Uniform,

    /// <summary>x_j ~ N(0, 0.5²) (about 95 % of the values inside [−1, 1]).</summary>
    Normal,
}
