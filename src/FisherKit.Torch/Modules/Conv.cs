using static FisherKit.Torch.torch;

namespace FisherKit.Torch.Modules;

/// <summary>Shared shape and parameter set-up of the convolution layers.</summary>
public abstract class ConvBase : nn.Module<Tensor, Tensor>
{
    /// <summary>Registers weight (and bias) with PyTorch's default initialisation.</summary>
    protected ConvBase(string name, long[] weightShape, long biasSize, bool hasBias, Device? device, ScalarType? dtype) : base(name)
    {
        foreach (var s in weightShape)
            if (s <= 0) throw new ArgumentException($"{name}: channel counts and kernel sizes must be positive, got weight shape {Tensor.ShapeString(weightShape)}.");
        using var w = empty(weightShape, dtype, device);
        using var b = hasBias ? empty([biasSize], dtype, device) : null;
        var wp = register_parameter("weight", w)!;
        var bp = register_parameter("bias", b);
        nn.init.DefaultLayerInit(wp, bp);
    }

    /// <summary>The weight in use (substituted or own).</summary>
    public Tensor weight => Param("weight")!;

    /// <summary>The bias in use, or null.</summary>
    public Tensor? bias => Param("bias");
}

/// <summary>1-D convolution over (N, C, L).</summary>
public sealed class Conv1d(long in_channels, long out_channels, long kernel_size, long stride = 1, long padding = 0, long dilation = 1, long groups = 1, bool hasBias = true, Device? device = null, ScalarType? dtype = null)
    : ConvBase(nameof(Conv1d), [out_channels, in_channels / Math.Max(groups, 1), kernel_size], out_channels, hasBias, device, dtype)
{
    /// <summary>Stride.</summary>
    public long Stride => stride;

    /// <summary>Zero padding on each side.</summary>
    public long Padding => padding;

    /// <summary>Dilation.</summary>
    public long Dilation => dilation;

    /// <summary>Number of groups.</summary>
    public long Groups => groups;

    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input) => nn.functional.conv1d(input, weight, bias, [stride], [padding], [dilation], groups);
}

/// <summary>2-D convolution over (N, C, H, W) with square kernels.</summary>
public sealed class Conv2d(long in_channels, long out_channels, long kernel_size, long stride = 1, long padding = 0, long dilation = 1, long groups = 1, bool hasBias = true, Device? device = null, ScalarType? dtype = null)
    : ConvBase(nameof(Conv2d), [out_channels, in_channels / Math.Max(groups, 1), kernel_size, kernel_size], out_channels, hasBias, device, dtype)
{
    /// <summary>Stride.</summary>
    public long Stride => stride;

    /// <summary>Zero padding on each side.</summary>
    public long Padding => padding;

    /// <summary>Dilation.</summary>
    public long Dilation => dilation;

    /// <summary>Number of groups.</summary>
    public long Groups => groups;

    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input) => nn.functional.conv2d(input, weight, bias, [stride], [padding], [dilation], groups);
}

/// <summary>2-D transposed convolution (learned upsampling), weight (in, out/groups, k, k).</summary>
public sealed class ConvTranspose2d(long in_channels, long out_channels, long kernel_size, long stride = 1, long padding = 0, long output_padding = 0, long groups = 1, bool hasBias = true, long dilation = 1, Device? device = null, ScalarType? dtype = null)
    : ConvBase(nameof(ConvTranspose2d), [in_channels, out_channels / Math.Max(groups, 1), kernel_size, kernel_size], out_channels, hasBias, device, dtype)
{
    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input) => nn.functional.conv_transpose2d(input, weight, bias, [stride], [padding], [output_padding], groups, [dilation]);
}
