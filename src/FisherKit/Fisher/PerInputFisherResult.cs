namespace FisherKit.Fisher;

/// <summary>
/// Fisher quantities of one batch, one value per input (all from the true Fisher F(x) of the
/// predictive distribution at each input, parameters θ). Values are float64.
/// </summary>
/// <param name="PredictedClass">ŷ = argmax_c p_c(x).</param>
/// <param name="PredictedProbability">p_ŷ(x).</param>
/// <param name="GradientNormSquared">‖g‖², g = ∇θ log p_ŷ(x).</param>
/// <param name="Trace">tr F(x).</param>
/// <param name="TopEigenvalue">λ_max(F(x)).</param>
/// <param name="FormNormalized">vᵀF(x)v with v = g/‖g‖ (full).</param>
/// <param name="FormRaw">gᵀF(x)g (full).</param>
/// <param name="FormNormalizedPerTensor">Σ_t v_tᵀF_tt v_t with v = g/‖g‖ (block-diagonal).</param>
/// <param name="FormRawPerTensor">Σ_t g_tᵀF_tt g_t (block-diagonal, as the reference code with v = g).</param>
/// <param name="Reduced">Two-class (ŷ vs rest) Fisher: trace = λ_max = normalised form = p/(1−p)·‖g‖².</param>
public sealed record PerInputFisherResult(
    long[] PredictedClass,
    double[] PredictedProbability,
    double[] GradientNormSquared,
    double[] Trace,
    double[] TopEigenvalue,
    double[] FormNormalized,
    double[] FormRaw,
    double[] FormNormalizedPerTensor,
    double[] FormRawPerTensor,
    double[] Reduced)
{
    /// <summary>Number of inputs.</summary>
    public int Count => Trace.Length;

    /// <summary>The form for a direction and variant.</summary>
    public double[] Form(FisherDirection direction, FormVariant variant) => (direction, variant) switch
    {
        (FisherDirection.NormalizedGradient, FormVariant.Full) => FormNormalized,
        (FisherDirection.RawGradient, FormVariant.Full) => FormRaw,
        (FisherDirection.NormalizedGradient, FormVariant.PerTensor) => FormNormalizedPerTensor,
        _ => FormRawPerTensor,
    };

    /// <summary>Concatenates results of several batches.</summary>
    public static PerInputFisherResult Concat(IReadOnlyList<PerInputFisherResult> parts) => new(
        parts.SelectMany(p => p.PredictedClass).ToArray(),
        parts.SelectMany(p => p.PredictedProbability).ToArray(),
        parts.SelectMany(p => p.GradientNormSquared).ToArray(),
        parts.SelectMany(p => p.Trace).ToArray(),
        parts.SelectMany(p => p.TopEigenvalue).ToArray(),
        parts.SelectMany(p => p.FormNormalized).ToArray(),
        parts.SelectMany(p => p.FormRaw).ToArray(),
        parts.SelectMany(p => p.FormNormalizedPerTensor).ToArray(),
        parts.SelectMany(p => p.FormRawPerTensor).ToArray(),
        parts.SelectMany(p => p.Reduced).ToArray());
}
