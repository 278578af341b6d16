namespace FisherKit.Attacks;

/// <summary>The norm that bounds (or measures) an adversarial perturbation δ = x' − x.</summary>
public enum PerturbationNorm
{
    /// <summary>‖δ‖∞ = maxᵢ |δᵢ|: every pixel moves by at most ε.</summary>
    Linf,

    /// <summary>‖δ‖₂ = (Σᵢ δᵢ²)^½ over all pixels and channels of one input.</summary>
    L2,
}
