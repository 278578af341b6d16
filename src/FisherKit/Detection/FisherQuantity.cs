namespace FisherKit.Detection;

/// <summary>Which Fisher-information quantity a <see cref="FisherScore"/> reports (see docs/fisher.md).</summary>
public enum FisherQuantity
{
    /// <summary>tr F(x).</summary>
    Trace,
    /// <summary>λ_max F(x).</summary>
    TopEigenvalue,
    /// <summary>vᵀF(x)v with v = g/‖g‖ over all parameters.</summary>
    FormNormalized,
    /// <summary>gᵀF(x)g over all parameters (the reference code's unnormalised direction).</summary>
    FormRaw,
    /// <summary>Σ_t v_tᵀF_tt v_t with v = g/‖g‖, per parameter tensor.</summary>
    FormNormalizedPerTensor,
    /// <summary>Σ_t g_tᵀF_tt g_t, per parameter tensor (what the reference code computes with v = g).</summary>
    FormRawPerTensor,
    /// <summary>p/(1−p)·‖g‖², the two-class (predicted vs rest) Fisher.</summary>
    Reduced,
}
