namespace FisherKit.Fisher;

/// <summary>The direction v of a Fisher form vᵀF(x)v.</summary>
public enum FisherDirection
{
    /// <summary>v = g/‖g‖ with g = ∇θ log p_ŷ(x), the unit gradient of the predicted class's log-probability (the default; most likely the papers' choice).</summary>
    NormalizedGradient,
    /// <summary>v = g = ∇θ log p_ŷ(x), unnormalised, as the published reference code sets it (scales like ‖g‖⁴).</summary>
    RawGradient,
}

/// <summary>Which quadratic form: the full vᵀFv or the per-parameter-tensor (block-diagonal) sum.</summary>
public enum FormVariant
{
    /// <summary>The full form vᵀF(x)v over all parameters at once.</summary>
    Full,
    /// <summary>
    /// Σ_t v_tᵀ F_tt(x) v_t over parameter tensors t (each weight and each bias separately): what the
    /// published reference code computes, because it perturbs one parameter tensor at a time.
    /// </summary>
    PerTensor,
}
