using static FisherKit.Torch.torch;

namespace FisherKit.Torch.Modules;

/// <summary>y = x Wᵀ + b, with W of shape (out_features, in_features).</summary>
public sealed class Linear : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the layer with PyTorch's default initialisation.</summary>
    public Linear(long in_features, long out_features, bool hasBias = true, Device? device = null, ScalarType? dtype = null) : base(nameof(Linear))
    {
        if (in_features <= 0 || out_features <= 0) throw new ArgumentOutOfRangeException(nameof(in_features), $"Linear needs positive sizes, got {in_features}→{out_features}.");
        this.in_features = in_features;
        this.out_features = out_features;
        using var w = empty([out_features, in_features], dtype, device);
        using var b = hasBias ? empty([out_features], dtype, device) : null;
        var wp = register_parameter("weight", w)!;
        var bp = register_parameter("bias", b);
        nn.init.DefaultLayerInit(wp, bp);
    }

    /// <summary>Input size.</summary>
    public long in_features { get; }

    /// <summary>Output size.</summary>
    public long out_features { get; }

    /// <summary>The weight in use (substituted or own).</summary>
    public Tensor weight => Param("weight")!;

    /// <summary>The bias in use, or null.</summary>
    public Tensor? bias => Param("bias");

    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input) => nn.functional.linear(input, weight, bias);
}
