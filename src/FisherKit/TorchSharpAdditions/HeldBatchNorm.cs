using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FisherKit.TorchSharpAdditions;

/// <summary>
/// TorchSharp's batch normalisation (<c>nn.BatchNorm1d/2d/3d</c>), the same computation and the same parameters and
/// buffers (<c>weight</c>, <c>bias</c>, <c>running_mean</c>, <c>running_var</c>, <c>num_batches_tracked</c>), whose
/// training-mode <c>forward</c> holds its Scalars: TorchSharp's counts batches with <c>num_batches_tracked.add_(1)</c>
/// and leaves that Scalar to its finalizer (<see cref="HeldScalars"/>; <see cref="ScalarAudit.TorchSharpModulesMakingUnheldScalars"/>
/// lists the modules that do so). Derived from TorchSharp's <see cref="BatchNorm"/>, so code that looks for batch
/// norms (<c>module is BatchNorm</c>) finds it, and weights saved from either load into the other.
/// </summary>
/// <example><code>nn.Sequential(nn.Conv2d(1, 8, 3), HeldBatchNorm.BatchNorm2d(8), nn.ReLU())</code></example>
public sealed class HeldBatchNorm : BatchNorm
{
    private readonly int inputDimensions;

    private HeldBatchNorm(int inputDimensions, long features, double eps, double momentum, bool affine, bool trackRunningStats, string name)
        : base(features, eps, momentum, affine, trackRunningStats, null, null, name)
    {
        this.inputDimensions = inputDimensions;
    }

    /// <summary>As <c>nn.BatchNorm1d</c>: input [N, C] or [N, C, L].</summary>
    public static HeldBatchNorm BatchNorm1d(long features, double eps = 1e-05, double momentum = 0.1, bool affine = true, bool trackRunningStats = true) =>
        new(1, features, eps, momentum, affine, trackRunningStats, nameof(BatchNorm1d));

    /// <summary>As <c>nn.BatchNorm2d</c>: input [N, C, H, W].</summary>
    public static HeldBatchNorm BatchNorm2d(long features, double eps = 1e-05, double momentum = 0.1, bool affine = true, bool trackRunningStats = true) =>
        new(2, features, eps, momentum, affine, trackRunningStats, nameof(BatchNorm2d));

    /// <summary>As <c>nn.BatchNorm3d</c>: input [N, C, D, H, W].</summary>
    public static HeldBatchNorm BatchNorm3d(long features, double eps = 1e-05, double momentum = 0.1, bool affine = true, bool trackRunningStats = true) =>
        new(3, features, eps, momentum, affine, trackRunningStats, nameof(BatchNorm3d));

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        ValidateInputDimensions(input);
        // PyTorch's own check (its Python layer makes it; libtorch, which TorchSharp calls, does not): one value per
        // channel has no batch variance, and the running variance would become NaN.
        if (training && HasOneValuePerChannel(input))
            throw new ArgumentException($"BatchNorm{inputDimensions}d got one value per channel in training (input {TensorChecks.Shape(input)}): its batch variance is undefined. Use batches of at least 2 items.");
        double factor = momentum ?? 0.0;
        if (training && track_running_stats && num_batches_tracked is not null)
        {
            num_batches_tracked.add_(One, One);
            // No momentum (set to null): the running statistics average over all batches so far, as in PyTorch.
            if (momentum is null) factor = 1.0 / num_batches_tracked.item<long>();
        }
        bool batchStatistics = training || running_mean is null || running_var is null;
        bool useRunning = !training || track_running_stats;
        return nn.functional.batch_norm(input, useRunning ? running_mean : null, useRunning ? running_var : null,
                                        weight, bias, batchStatistics, factor, eps);
    }

    /// <summary>Whether a batch norm's input [N, C, …] holds one value per channel (N·… = 1): no batch variance.</summary>
    internal static bool HasOneValuePerChannel(Tensor input) => input.Dimensions >= 2 && input.numel() <= input.shape[1];

    /// <inheritdoc/>
    protected override void ValidateInputDimensions(Tensor input)
    {
        bool ok = inputDimensions == 1 ? input.Dimensions is 2 or 3 : input.Dimensions == inputDimensions + 2;
        if (!ok)
            throw new ArgumentException(inputDimensions == 1
                ? $"BatchNorm1d expects a 2D or 3D input; got {input.Dimensions}D {TensorChecks.Shape(input)}."
                : $"BatchNorm{inputDimensions}d expects a {inputDimensions + 2}D input; got {input.Dimensions}D {TensorChecks.Shape(input)}.");
    }
}
