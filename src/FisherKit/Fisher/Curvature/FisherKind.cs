namespace FisherKit.Fisher.Curvature;

/// <summary>Which curvature matrix a <see cref="FisherOperator"/> represents (all are Jᵀ M J summed over inputs, with different output-space M).</summary>
public enum FisherKind
{
    /// <summary>The true Fisher: M = F_f, the expectation over the model's own predictive distribution, computed exactly (no sampling).</summary>
    True,
    /// <summary>The true Fisher estimated with labels sampled from the model: M = (1/S) Σ_s u_s u_sᵀ, u_s = ∇_f log p(y_s | f).</summary>
    MonteCarlo,
    /// <summary>The empirical Fisher with the observed labels: M = u uᵀ, u = ∇_f log p(y | f). Not the Fisher in general.</summary>
    Empirical,
    /// <summary>The generalised Gauss-Newton matrix: M = ∇²_f(−log p(y | f)) at the observed labels; equals the true Fisher for logits and fixed-noise Gaussian means.</summary>
    GeneralizedGaussNewton,
}

/// <summary>Whether a dataset-level curvature is the mean or the sum over inputs.</summary>
public enum Normalization
{
    /// <summary>(1/N) Σ_n (the default).</summary>
    Mean,
    /// <summary>Σ_n.</summary>
    Sum,
}
