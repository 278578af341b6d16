using static FisherKit.Torch.torch;

namespace FisherKit.Torch.Modules;

/// <summary>
/// Batch normalisation over the channel dimension (dim 1). Training mode normalises with batch
/// statistics and updates the running mean/variance (momentum as PyTorch); eval mode uses them.
/// </summary>
public class BatchNorm : nn.Module<Tensor, Tensor>
{
    private readonly int _inputDims;

    /// <summary>Creates the layer for <paramref name="num_features"/> channels.</summary>
    protected BatchNorm(string name, int inputDims, long num_features, double eps, double momentum, bool affine, bool track_running_stats, Device? device, ScalarType? dtype) : base(name)
    {
        if (num_features <= 0) throw new ArgumentOutOfRangeException(nameof(num_features), num_features, $"{name} needs a positive feature count.");
        _inputDims = inputDims;
        this.eps = eps;
        this.momentum = momentum;
        using (var w = ones([num_features], dtype, device)) register_parameter("weight", affine ? w : null);
        using (var b = zeros([num_features], dtype, device)) register_parameter("bias", affine ? b : null);
        if (track_running_stats)
        {
            using var m = zeros([num_features], dtype, device);
            using var v = ones([num_features], dtype, device);
            using var n = zeros([], ScalarType.Int64, device);
            register_buffer("running_mean", m);
            register_buffer("running_var", v);
            register_buffer("num_batches_tracked", n);
        }
        TrackRunningStats = track_running_stats;
    }

    /// <summary>Added to the variance for stability.</summary>
    public double eps { get; }

    /// <summary>Weight of the newest batch in the running statistics.</summary>
    public double momentum { get; }

    /// <summary>Whether running statistics are kept.</summary>
    public bool TrackRunningStats { get; }

    /// <summary>Running mean (null when not tracked).</summary>
    public Tensor? running_mean => TrackRunningStats ? Buffer("running_mean") : null;

    /// <summary>Running variance (null when not tracked).</summary>
    public Tensor? running_var => TrackRunningStats ? Buffer("running_var") : null;

    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input)
    {
        var nd = input.ndim;
        if (!(nd == _inputDims || (_inputDims == 3 && nd == 2)))
            throw new ArgumentException($"{Name} expects a {(_inputDims == 3 ? "2-D or 3-D" : $"{_inputDims}-D")} input, got shape {Tensor.ShapeString(input.shape)}.");
        bool useBatchStats = training || !TrackRunningStats;
        if (training && TrackRunningStats)
            using (no_grad()) Buffer("num_batches_tracked").add_(1);
        return nn.functional.batch_norm(input, running_mean, running_var, Param("weight"), Param("bias"), useBatchStats, momentum, eps);
    }
}

/// <summary>Batch normalisation for (N, C) or (N, C, L) input.</summary>
public sealed class BatchNorm1d(long num_features, double eps = 1e-5, double momentum = 0.1, bool affine = true, bool track_running_stats = true, Device? device = null, ScalarType? dtype = null)
    : BatchNorm(nameof(BatchNorm1d), 3, num_features, eps, momentum, affine, track_running_stats, device, dtype);

/// <summary>Batch normalisation for (N, C, H, W) input.</summary>
public sealed class BatchNorm2d(long num_features, double eps = 1e-5, double momentum = 0.1, bool affine = true, bool track_running_stats = true, Device? device = null, ScalarType? dtype = null)
    : BatchNorm(nameof(BatchNorm2d), 4, num_features, eps, momentum, affine, track_running_stats, device, dtype);

/// <summary>Layer normalisation over the trailing <c>normalized_shape</c> dimensions.</summary>
public sealed class LayerNorm : nn.Module<Tensor, Tensor>
{
    private readonly long[] _shape;
    private readonly double _eps;

    /// <summary>Creates the layer with unit weight and zero bias.</summary>
    public LayerNorm(long[] normalized_shape, double eps = 1e-5, bool elementwise_affine = true, Device? device = null, ScalarType? dtype = null) : base(nameof(LayerNorm))
    {
        _shape = normalized_shape.ToArray();
        _eps = eps;
        using (var w = ones(_shape, dtype, device)) register_parameter("weight", elementwise_affine ? w : null);
        using (var b = zeros(_shape, dtype, device)) register_parameter("bias", elementwise_affine ? b : null);
    }

    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input) => nn.functional.layer_norm(input, _shape, Param("weight"), Param("bias"), _eps);
}

/// <summary>Group normalisation over channel groups.</summary>
public sealed class GroupNorm : nn.Module<Tensor, Tensor>
{
    private readonly long _groups;
    private readonly double _eps;

    /// <summary>Creates the layer; <paramref name="num_channels"/> must be divisible by <paramref name="num_groups"/>.</summary>
    public GroupNorm(long num_groups, long num_channels, double eps = 1e-5, bool affine = true, Device? device = null, ScalarType? dtype = null) : base(nameof(GroupNorm))
    {
        if (num_groups <= 0 || num_channels % num_groups != 0) throw new ArgumentException($"GroupNorm needs num_channels ({num_channels}) divisible by num_groups ({num_groups}).");
        _groups = num_groups;
        _eps = eps;
        using (var w = ones([num_channels], dtype, device)) register_parameter("weight", affine ? w : null);
        using (var b = zeros([num_channels], dtype, device)) register_parameter("bias", affine ? b : null);
    }

    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input) => nn.functional.group_norm(input, _groups, Param("weight"), Param("bias"), _eps);
}
