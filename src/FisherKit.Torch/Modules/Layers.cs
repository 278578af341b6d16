using static FisherKit.Torch.torch;

namespace FisherKit.Torch.Modules;

/// <summary>A parameter-free module defined by a function of its input.</summary>
public class Lambda(string name, Func<Tensor, Tensor> function) : nn.Module<Tensor, Tensor>(name)
{
    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input) => function(input);
}

/// <summary>Dropout that is active only in training mode.</summary>
public sealed class Dropout(double p = 0.5) : nn.Module<Tensor, Tensor>(nameof(Dropout))
{
    /// <summary>Drop probability.</summary>
    public double p { get; } = p is >= 0 and <= 1 ? p : throw new ArgumentOutOfRangeException(nameof(p), p, "Dropout probability must lie in [0, 1].");

    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input) => nn.functional.dropout(input, p, training);
}

/// <summary>Channel dropout (whole feature maps) that is active only in training mode.</summary>
public sealed class Dropout2d(double p = 0.5) : nn.Module<Tensor, Tensor>(nameof(Dropout2d))
{
    /// <summary>Drop probability.</summary>
    public double p { get; } = p is >= 0 and <= 1 ? p : throw new ArgumentOutOfRangeException(nameof(p), p, "Dropout probability must lie in [0, 1].");

    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input) => nn.functional.dropout2d(input, p, training);
}

/// <summary>2-D max pooling.</summary>
public sealed class MaxPool2d(long kernel_size, long? stride = null, long padding = 0) : nn.Module<Tensor, Tensor>(nameof(MaxPool2d))
{
    /// <summary>Window size (square).</summary>
    public long KernelSize => kernel_size;

    /// <summary>Step between windows (the kernel size unless given).</summary>
    public long Stride => stride ?? kernel_size;

    /// <summary>Implicit −∞ padding on each side.</summary>
    public long Padding => padding;

    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input) => nn.functional.max_pool2d(input, [kernel_size], [stride ?? kernel_size], [padding]);
}

/// <summary>1-D max pooling.</summary>
public sealed class MaxPool1d(long kernel_size, long? stride = null, long padding = 0) : nn.Module<Tensor, Tensor>(nameof(MaxPool1d))
{
    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input) => nn.functional.max_pool1d(input, kernel_size, stride, padding);
}

/// <summary>2-D average pooling.</summary>
public sealed class AvgPool2d(long kernel_size, long? stride = null, long padding = 0) : nn.Module<Tensor, Tensor>(nameof(AvgPool2d))
{
    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input) => nn.functional.avg_pool2d(input, [kernel_size], [stride ?? kernel_size], [padding]);
}

/// <summary>Average pooling to a fixed output size.</summary>
public sealed class AdaptiveAvgPool2d(long[] output_size) : nn.Module<Tensor, Tensor>(nameof(AdaptiveAvgPool2d))
{
    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input) => nn.functional.adaptive_avg_pool2d(input, output_size);
}

/// <summary>Flattens dimensions start..end (by default all but the batch).</summary>
public sealed class Flatten(long start_dim = 1, long end_dim = -1) : nn.Module<Tensor, Tensor>(nameof(Flatten))
{
    /// <summary>First flattened dimension.</summary>
    public long StartDim => start_dim;

    /// <summary>Last flattened dimension.</summary>
    public long EndDim => end_dim;

    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input) => input.flatten(start_dim, end_dim);
}

/// <summary>Reshapes one dimension into several.</summary>
public sealed class Unflatten(long dim, long[] sizes) : nn.Module<Tensor, Tensor>(nameof(Unflatten))
{
    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input)
    {
        var s = input.shape.ToList();
        var d = (int)(dim < 0 ? dim + s.Count : dim);
        s.RemoveAt(d);
        s.InsertRange(d, sizes);
        return input.reshape([.. s]);
    }
}

/// <summary>Resizes feature maps (nearest or bilinear).</summary>
public sealed class Upsample(double scale_factor, InterpolationMode mode = InterpolationMode.Nearest, bool align_corners = false) : nn.Module<Tensor, Tensor>(nameof(Upsample))
{
    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input) =>
        nn.functional.interpolate(input, scale_factor: [scale_factor, scale_factor], mode: mode, align_corners: align_corners);
}
