namespace FisherKit.Uncertainty.Benchmark;

/// <summary>
/// The non-linear functions φ_k of a benchmark problem f(x) = Σ_k a_k φ_k(x) (Schmähling, Martin &amp; Elster
/// 2022 build test problems this way; which families the paper used could not be checked, so these three are
/// FisherKit's choice, each with its formula in <see cref="BenchmarkProblem"/>).
/// </summary>
public enum BasisFamily
{
    /// <summary>Ridge sines and cosines: φ_k(x) = sin(ω_k w_kᵀx) for even k, cos(ω_k w_kᵀx) for odd k (k from 0), w_k a random unit vector, ω_k ~ U[1, ω_max].</summary>
    Trigonometric,

    /// <summary>Radial bumps: φ_k(x) = exp(−‖x − c_k‖² / (2ℓ²)), centres c_k drawn from the input distribution, ℓ = width·√d.</summary>
    RadialBumps,

    /// <summary>Tensor Legendre polynomials: φ_k(x) = Π_j P_{m_kj}(x_j), the multi-indices m_k in order of total degree (the constant first).</summary>
    Legendre,
}
