using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FisherKit.TorchSharpAdditions;

/// <summary>
/// How many inputs one call of a convolutional network should take on the CPU when oneDNN is off.
/// libtorch's own CPU convolution kernels unfold the whole batch into one im2col buffer (and the
/// input gradient into one col2im buffer) of (C_in/groups)·Πk × Π(output size) values per input.
/// glibc serves blocks above 32 MiB (its largest mmap threshold) from a fresh mapping every time, so
/// such a buffer is faulted in page by page at every call; below it, the block is reused. For the
/// benchmark CNN on 28×28 images (conv2: 288 × 576 values, 0.66 MB per input, the same again for its
/// input gradient) a call of 64 to 256 images then costs several times more per image than calls of
/// a few tens (<c>bench/FisherKit.Bench kernels --only batch</c>). FisherKit's own deterministic batched loops
/// (evaluation, scores, per-input Fisher quantities) therefore split larger batches into calls whose
/// buffers stay below <see cref="BudgetBytes"/>; results are the same up to float rounding.
/// With oneDNN on, on CUDA, or for a network without convolutions, the requested batch stays.
/// </summary>
public static class ConvolutionWorkspace
{
    /// <summary>Largest unfolded buffer one call may need: 24 MiB, below glibc's 32 MiB mmap threshold with room to spare.</summary>
    public const long BudgetBytes = 24L << 20;

    /// <summary>
    /// The number of inputs of <paramref name="inputs"/> (N, C, spatial...) that one call of
    /// <paramref name="model"/> should take, at most <paramref name="requested"/>: the requested
    /// number where libtorch's own CPU convolution kernels are not used (oneDNN on, CUDA, no
    /// convolution), otherwise the most whose unfolded buffers stay within <see cref="BudgetBytes"/>
    /// (at least 1). The buffer is bounded with the network input's spatial size for every layer.
    /// </summary>
    public static int InputsPerCall(nn.Module model, Tensor inputs, int requested)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputs);
        if (requested <= 1 || inputs.device_type != DeviceType.CPU || OneDnn.EnabledOrDefault) return Math.Max(requested, 1);
        return InputsPerCall(model, inputs.shape, inputs.element_size(), requested);
    }

    /// <summary><see cref="InputsPerCall(nn.Module, Tensor, int)"/> for libtorch's own kernels, from the input shape and element size.</summary>
    internal static int InputsPerCall(nn.Module model, long[] inputShape, long elementSize, int requested)
    {
        long perInput = UnfoldedBytesPerInput(model, inputShape, elementSize);
        if (perInput == 0) return Math.Max(requested, 1);
        return (int)Math.Clamp(BudgetBytes / perInput, 1, Math.Max(requested, 1));
    }

    /// <summary>
    /// An upper bound on the largest im2col/col2im buffer per input among the network's convolutions:
    /// (input channels per group)·Πkernel × Π(spatial size of the network input), and for transposed
    /// convolutions (output channels per group)·Πkernel × the same; 0 without convolutions.
    /// </summary>
    internal static long UnfoldedBytesPerInput(nn.Module model, long[] inputShape, long elementSize)
    {
        long spatial = inputShape.Length >= 3 ? inputShape.Skip(2).Aggregate(1L, (a, b) => a * b) : inputShape.Skip(1).Aggregate(1L, (a, b) => a * b);
        long largest = 0;
        foreach (var (_, module) in model.NamedModulesWithSelf())
        {
            long columns = module switch
            {
                Conv1d c => c.weight.shape.Skip(1).Aggregate(1L, (a, b) => a * b),
                Conv2d c => c.weight.shape.Skip(1).Aggregate(1L, (a, b) => a * b),
                Conv3d c => c.weight.shape.Skip(1).Aggregate(1L, (a, b) => a * b),
                ConvTranspose1d c => c.weight.shape.Skip(1).Aggregate(1L, (a, b) => a * b),
                ConvTranspose2d c => c.weight.shape.Skip(1).Aggregate(1L, (a, b) => a * b),
                ConvTranspose3d c => c.weight.shape.Skip(1).Aggregate(1L, (a, b) => a * b),
                _ => 0,
            };
            largest = Math.Max(largest, columns);
        }
        return largest * spatial * elementSize;
    }

    /// <summary>
    /// <paramref name="model"/>'s outputs for all <paramref name="inputs"/>, computed in calls of at most
    /// <see cref="InputsPerCall(nn.Module, Tensor, int)"/> inputs and joined along the batch dimension,
    /// in the caller's scope. Only for calls where inputs do not interact (evaluation mode, no
    /// randomness): the result equals one call on the whole batch up to float rounding.
    /// </summary>
    public static Tensor Call(nn.Module<Tensor, Tensor> model, Tensor inputs, int requested = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Call(model, model.call, inputs, requested);
    }

    /// <summary>
    /// <paramref name="forward"/> (a part of <paramref name="model"/>, e.g. its first layers) over all
    /// <paramref name="inputs"/> in calls sized for <paramref name="model"/>, joined along the batch dimension.
    /// </summary>
    public static Tensor Call(nn.Module model, Func<Tensor, Tensor> forward, Tensor inputs, int requested = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(forward);
        ArgumentNullException.ThrowIfNull(inputs);
        long n = inputs.ndim == 0 ? 0 : inputs.shape[0];
        int perCall = InputsPerCall(model, inputs, (int)Math.Min(requested, Math.Max(n, 1)));
        if (n <= perCall) return forward(inputs);
        using var scope = NewDisposeScope();
        var parts = new List<Tensor>();
        for (long start = 0; start < n; start += perCall)
            parts.Add(forward(inputs.narrow(0, start, Math.Min(perCall, n - start))));
        return scope.MoveToOuter(cat(parts, 0));
    }
}
