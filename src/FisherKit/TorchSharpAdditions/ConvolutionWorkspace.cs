using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FisherKit.TorchSharpAdditions;

/// <summary>
/// How many inputs one call of a convolutional network should take on the CPU where libtorch runs
/// its own convolution kernels (oneDNN off, or any dtype but float32). Those kernels unfold the whole
/// batch into one im2col buffer of (C_in/groups)·Πk × Π(output size) values per input, for the
/// forward pass and again for the weight gradient. glibc serves a block above its mmap threshold (at
/// most 32 MiB) from free heap memory only where the heap already holds that much; otherwise it maps it
/// afresh and the buffer is faulted in page by page at every call. For the benchmark CNN on 28×28
/// images (conv2: 288 × 576 values, 0.66 MB per input) large calls can then cost several times more
/// per image than calls of a few tens (the "by images per call" tables of <c>bench/README.md</c>,
/// <c>bench/FisherKit.Bench kernels --only batch</c>, show where with FisherKit's allocator settings). FisherKit's deterministic
/// batched loops (ClassifierEvaluation, the logit, ensemble and Mahalanobis scores, FeatureExtractors,
/// the Monte Carlo dropout prefix, validation in TrainingLoop, PerInputFisher, the U-Net ensembles'
/// deterministic predictions and their last-layer Laplace fits and variances) and the attacks' network
/// calls (evaluation mode, with or without a graph; their random draws stay per batch) therefore split
/// larger batches into calls whose largest buffer stays within <see cref="BudgetBytes"/>; results are
/// the same up to float rounding. Training batches keep their size: splitting them would change batch
/// statistics.
/// </summary>
public static class ConvolutionWorkspace
{
    /// <summary>
    /// Largest unfolded buffer one call may need: 16 MiB, half of glibc's 32 MiB mmap threshold: a
    /// margin below it (the "by images per call" tables of <c>bench/README.md</c> put its choice next to other call
    /// sizes). Tests lower it to force splits.
    /// </summary>
    internal static long BudgetBytes { get; set; } = 16L << 20;

    // Per network and input shape: the largest unfolded buffer per input, measured once by a probe.
    private static readonly ConditionalWeakTable<nn.Module, ConcurrentDictionary<string, long>> Measured = new();

    /// <summary>
    /// The number of inputs of <paramref name="inputs"/> (N, ...) that one call of
    /// <paramref name="model"/> should take, at most <paramref name="requested"/>: the requested number
    /// where libtorch's own CPU convolution kernels are not used (float32 with oneDNN on, CUDA inputs or
    /// a network on CUDA, no convolution), otherwise the most whose unfolded buffers stay within <see cref="BudgetBytes"/>
    /// (at least 1). The buffer sizes come from one probe call on a single input (evaluation mode, no
    /// gradient), once per network and input shape; the network's own forward hooks see that call.
    /// Not for a network that another thread runs at the same time (TorchSharp modules are not
    /// thread-safe either).
    /// </summary>
    public static int InputsPerCall(nn.Module<Tensor, Tensor> model, Tensor inputs, int requested)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputs);
        if (requested <= 1 || inputs.ndim == 0 || inputs.shape[0] <= 1 || inputs.device_type != DeviceType.CPU) return Math.Max(requested, 1);
        if (model.parameters().FirstOrDefault() is { } first && first.device_type != DeviceType.CPU) return requested;   // inputs moved to the network's device per call
        if (inputs.dtype == ScalarType.Float32 && OneDnn.EnabledOrDefault) return requested;   // oneDNN's kernels need no whole-batch buffer
        return InputsPerCall(UnfoldedBytesPerInput(model, inputs), requested);
    }

    /// <summary>The inputs per call for a largest unfolded buffer of <paramref name="bytesPerInput"/> per input.</summary>
    internal static int InputsPerCall(long bytesPerInput, int requested) =>
        bytesPerInput == 0 ? Math.Max(requested, 1) : (int)Math.Clamp(BudgetBytes / bytesPerInput, 1, Math.Max(requested, 1));

    /// <summary>
    /// The largest im2col buffer per input among the network's convolutions for inputs shaped like
    /// <paramref name="inputs"/>: (input channels per group)·Πkernel × Π(output size) elements, for
    /// transposed convolutions (output channels per group)·Πkernel × Π(input size); 0 without
    /// convolutions, or when the probe call fails (the real call then reports the problem). 1×1
    /// convolutions without stride or padding, which libtorch runs without a buffer, and dilated ones,
    /// which it unfolds one input at a time, are counted all the same: they only split calls more than needed.
    /// </summary>
    internal static long UnfoldedBytesPerInput(nn.Module<Tensor, Tensor> model, Tensor inputs)
    {
        var key = $"{string.Join(",", inputs.shape.Skip(1))}:{inputs.dtype}";
        var perShape = Measured.GetValue(model, _ => new ConcurrentDictionary<string, long>());
        lock (perShape)
        {
            if (perShape.TryGetValue(key, out var known)) return known;
            var convolutions = model.NamedModulesWithSelf().Select(m => m.module).OfType<Convolution>().ToList();
            long largest = 0;
            var removers = new List<Action>();
            Tensor Record(nn.Module<Tensor, Tensor> m, Tensor input, Tensor output)
            {
                var c = (Convolution)m;
                bool transposed = m is ConvTranspose1d or ConvTranspose2d or ConvTranspose3d;
                long rows = c.weight!.shape.Skip(1).Aggregate(1L, (a, b) => a * b);
                long positions = (transposed ? input : output).shape.Skip(2).Aggregate(1L, (a, b) => a * b);
                largest = Math.Max(largest, rows * positions * output.element_size());
                return output;
            }
            try
            {
                foreach (var c in convolutions) removers.Add(c.register_forward_hook(Record).remove);
                if (convolutions.Count > 0)
                {
                    using var scope = NewDisposeScope();
                    using var grad = no_grad();
                    using var mode = ModuleMode.Eval(model);
                    model.call(inputs.narrow(0, 0, 1));
                }
            }
            catch (Exception e) when (e is ExternalException or ArgumentException or InvalidOperationException or NotSupportedException)
            {
                largest = 0;   // no split; the real call reports what is wrong
            }
            finally
            {
                foreach (var remove in removers) remove();
            }
            perShape[key] = largest;
            return largest;
        }
    }

    /// <summary>
    /// <paramref name="model"/>'s outputs for all <paramref name="inputs"/>, computed in calls of at most
    /// <see cref="InputsPerCall(nn.Module{Tensor, Tensor}, Tensor, int)"/> inputs (and at most
    /// <paramref name="requested"/>) and joined along the batch dimension, in the caller's scope. Only for
    /// calls where inputs do not interact (evaluation mode, no randomness): the result equals one call
    /// on the whole batch up to float rounding.
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
    public static Tensor Call(nn.Module<Tensor, Tensor> model, Func<Tensor, Tensor> forward, Tensor inputs, int requested = int.MaxValue)
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
