using FisherKit.Fisher;
using static TorchSharp.torch;

namespace FisherKit.Detection;

/// <summary>
/// A Fisher-information quantity of the classifier at the input as an unusualness score (Martin &amp;
/// Elster 2020, 2021): larger Fisher information means the input is more informative about the
/// parameters, i.e. less like what the network was fitted to. Each quantity is computed the
/// cheapest exact way (<see cref="PerInputFisher"/>): the reduced form with one backward pass, the
/// forms along the gradient by the double-backward fast path, trace and top eigenvalue from the
/// per-input tangent kernels.
/// </summary>
public sealed class FisherScore(nn.Module<Tensor, Tensor> model, FisherQuantity quantity = FisherQuantity.FormNormalized, int batchSize = 64) : IDetectionScore
{
    private readonly PerInputFisher _fisher = new(model) { BatchSize = batchSize };

    /// <summary>The quantity reported.</summary>
    public FisherQuantity Quantity { get; } = quantity;

    /// <inheritdoc />
    public string Name => Quantity switch
    {
        FisherQuantity.Trace => "Fisher trace",
        FisherQuantity.TopEigenvalue => "Fisher λmax",
        FisherQuantity.FormNormalized => "Fisher form (full, unit g)",
        FisherQuantity.FormRaw => "Fisher form (full, raw g)",
        FisherQuantity.FormNormalizedPerTensor => "Fisher form (per tensor, unit g)",
        FisherQuantity.FormRawPerTensor => "Fisher form (per tensor, raw g)",
        _ => "Fisher reduced p/(1−p)‖g‖²",
    };

    /// <inheritdoc />
    public string Description => Quantity switch
    {
        FisherQuantity.Trace => "tr F(x) = Σ_c p_c ‖∇θ log p_c‖², the trace of the per-input Fisher.",
        FisherQuantity.TopEigenvalue => "λ_max of the per-input Fisher F(x) = Jᵀ(diag p − ppᵀ)J.",
        FisherQuantity.FormNormalized => "vᵀF(x)v along v = g/‖g‖, g = ∇θ log p_ŷ, over all parameters.",
        FisherQuantity.FormRaw => "gᵀF(x)g, g = ∇θ log p_ŷ, over all parameters.",
        FisherQuantity.FormNormalizedPerTensor => "Σ_t v_tᵀF_tt(x)v_t over parameter tensors, v = g/‖g‖.",
        FisherQuantity.FormRawPerTensor => "Σ_t g_tᵀF_tt(x)g_t over parameter tensors (the reference code's quantity).",
        _ => "p/(1−p)·‖∇θ log p_ŷ‖²: trace, top eigenvalue and normalised form of the two-class (ŷ vs rest) Fisher.",
    };

    /// <inheritdoc />
    public double[] Score(Tensor inputs) => Quantity switch
    {
        FisherQuantity.Reduced => _fisher.ReducedForm(inputs),
        FisherQuantity.FormNormalized => _fisher.Form(inputs, FisherDirection.NormalizedGradient, FormVariant.Full),
        FisherQuantity.FormRaw => _fisher.Form(inputs, FisherDirection.RawGradient, FormVariant.Full),
        FisherQuantity.FormNormalizedPerTensor => _fisher.Form(inputs, FisherDirection.NormalizedGradient, FormVariant.PerTensor),
        FisherQuantity.FormRawPerTensor => _fisher.Form(inputs, FisherDirection.RawGradient, FormVariant.PerTensor),
        FisherQuantity.Trace => _fisher.Compute(inputs).Trace,
        _ => _fisher.Compute(inputs).TopEigenvalue,
    };

    /// <summary>One score per quantity, for tables that compare them all.</summary>
    public static IReadOnlyList<FisherScore> All(nn.Module<Tensor, Tensor> model, int batchSize = 64) =>
        Enum.GetValues<FisherQuantity>().Select(q => new FisherScore(model, q, batchSize)).ToList();
}
