namespace FisherKit.Detection;

/// <summary>How <see cref="LocalSpatialEntropyScore"/> turns a hidden layer into a two-dimensional response map.</summary>
public enum ResponseMapKind
{
    /// <summary>
    /// The layer's activations a(x) backpropagated to the input: m = Σ_channels |∇ₓ ½‖a(x)‖²| = Σ_channels |J_a(x)ᵀ a(x)|,
    /// a map of the input's size (FisherKit's reading of "backpropagated activations").
    /// </summary>
    Backpropagated,

    /// <summary>The layer's own feature maps summed over channels, m = Σ_k |a_k(x)|, at the layer's resolution.</summary>
    Activations,
}
