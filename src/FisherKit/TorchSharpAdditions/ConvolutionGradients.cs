using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.TorchSharpAdditions;

/// <summary>How <see cref="ConvolutionGradients"/> forms per-input weight gradients and per-input convolutions.</summary>
public enum PerInputConvolutionMethod
{
    /// <summary>
    /// The fastest exact method measured for the configuration (<c>bench/FisherKit.Bench kernels</c>):
    /// <see cref="Unfold"/> for the weight gradients everywhere; for the per-input convolutions a grouped
    /// convolution where libtorch runs float32 CPU convolutions through oneDNN (and on CUDA), otherwise
    /// <see cref="Unfold"/>.
    /// </summary>
    Auto,

    /// <summary>
    /// The input's sliding windows copied out once (a strided view of the padded input, made
    /// contiguous: libtorch's own <c>unfold</c>/im2col is five times slower on the CPU), then one batched
    /// matrix product per chunk of inputs: G_n = b_n U_nᵀ for the weight gradients and
    /// y_n = G_n U_n for the convolutions, the unfolded inputs shared by both. Inputs are taken in
    /// chunks whose unfolded copy stays below 16 MiB.
    /// </summary>
    Unfold,

    /// <summary>
    /// One convolution per input: for the weight gradient the input with its channels as the batch
    /// convolved with the output gradient as kernels (stride and dilation swapped,
    /// <see cref="ConvolutionGradients.Conv2dWeight"/>), for the convolutions <c>conv2d</c> of each input
    /// with its own weight.
    /// </summary>
    PerInputConvolution,

    /// <summary>
    /// One grouped convolution over the whole batch (the inputs as groups): for the weight gradients the
    /// transposed form of <see cref="PerInputConvolution"/>, for the convolutions the inputs' channels side
    /// by side convolved with the per-input weights as N groups.
    /// </summary>
    GroupedConvolution,
}

/// <summary>
/// Weight gradients of 2-D convolutions (groups = 1) without a forward pass or an autograd graph, for
/// one input or for each input of a batch separately, and each input's convolution with its own weight
/// (the change of a convolution's output along a per-input weight direction). TorchSharp exposes
/// neither libtorch's convolution backward nor per-sample gradients; the weight gradient is itself a
/// convolution: ∂L/∂W[o, c, i, j] = Σ_{y,x} g[o, y, x] · x_pad[c, y·s + i·d, x·s + j·d].
/// </summary>
/// <remarks>
/// Every method is exact (float64 against autograd at rounding level, tests in
/// <c>ConvolutionGradientsTests</c>). Their speeds on the benchmark CNN's second convolution, with
/// oneDNN on and off, are the "Per-input weight gradients" and "Weight gradients and output changes"
/// tables of <c>bench/README.md</c> (<c>bench/FisherKit.Bench kernels --only conv</c>); <see cref="PerInputConvolutionMethod.Auto"/>
/// follows them.
/// </remarks>
public static class ConvolutionGradients
{
    /// <summary>Largest unfolded copy made at once by <see cref="PerInputConvolutionMethod.Unfold"/>, in bytes (16 MiB; tests lower it to force chunks).</summary>
    internal static long UnfoldBudgetBytes { get; set; } = ConvolutionWorkspace.BudgetBytes;

    /// <summary>
    /// ∂L/∂weight of <c>conv2d(input, weight)</c> for one input (a batch of one), given the output
    /// gradient <paramref name="gradOutput"/> (1, O, Ho, Wo): a tensor of shape (O, C, kh, kw).
    /// Several objectives are handled at once by stacking their output gradients as channels
    /// (O = K·out); the result then holds K weight gradients.
    /// </summary>
    /// <param name="input">The convolution's input, (1, C, H, W).</param>
    /// <param name="kernelSize">(kh, kw) of the weight.</param>
    /// <param name="gradOutput">∂L/∂output, (1, O, Ho, Wo).</param>
    /// <param name="stride">The convolution's stride (2 entries).</param>
    /// <param name="padding">The convolution's zero padding (2 entries).</param>
    /// <param name="dilation">The convolution's dilation (2 entries).</param>
    public static Tensor Conv2dWeight(Tensor input, long[] kernelSize, Tensor gradOutput, long[] stride, long[] padding, long[] dilation)
    {
        TensorChecks.Alive(input, nameof(input));
        TensorChecks.Alive(gradOutput, nameof(gradOutput));
        if (input.ndim != 4 || input.shape[0] != 1)
            throw new ArgumentException($"Conv2dWeight takes one input of shape (1, C, H, W); got {TensorChecks.Shape(input)}.", nameof(input));
        if (gradOutput.ndim != 4 || gradOutput.shape[0] != 1)
            throw new ArgumentException($"Conv2dWeight takes one output gradient of shape (1, O, Ho, Wo); got {TensorChecks.Shape(gradOutput)}.", nameof(gradOutput));
        CheckGeometry(input, kernelSize, gradOutput, stride, padding, dilation, "Conv2dWeight");
        return TransposedConvolution(input, kernelSize, gradOutput, stride, padding, dilation);
    }

    /// <summary>
    /// The weight gradient of each input of a batch separately: for input n, ∂(Σ gradOutput[n] ·
    /// conv2d(input[n], W))/∂W, as a tensor (N, O, C, kh, kw). Several objectives per input are handled
    /// at once by stacking their output gradients as channels (O = K·out).
    /// </summary>
    /// <param name="input">The convolution's inputs, (N, C, H, W).</param>
    /// <param name="kernelSize">(kh, kw) of the weight.</param>
    /// <param name="gradOutput">∂L/∂output per input, (N, O, Ho, Wo).</param>
    /// <param name="stride">The convolution's stride (2 entries).</param>
    /// <param name="padding">The convolution's zero padding (2 entries).</param>
    /// <param name="dilation">The convolution's dilation (2 entries).</param>
    /// <param name="method">How to compute them (all exact; <see cref="PerInputConvolutionMethod.Auto"/>: the fastest measured).</param>
    /// <example>
    /// <code>
    /// var g = ConvolutionGradients.Conv2dWeightPerInput(x, [3, 3], dy, [1, 1], [0, 0], [1, 1]);   // (N, O, C, 3, 3)
    /// </code>
    /// </example>
    public static Tensor Conv2dWeightPerInput(Tensor input, long[] kernelSize, Tensor gradOutput, long[] stride, long[] padding, long[] dilation,
                                              PerInputConvolutionMethod method = PerInputConvolutionMethod.Auto)
    {
        CheckBatch(input, gradOutput, kernelSize, stride, padding, dilation, "Conv2dWeightPerInput");
        using var scope = NewDisposeScope();
        var result = method switch
        {
            PerInputConvolutionMethod.PerInputConvolution => PerInputTransposed(input, kernelSize, gradOutput, stride, padding, dilation),
            PerInputConvolutionMethod.GroupedConvolution => GroupedTransposed(input, kernelSize, gradOutput, stride, padding, dilation),
            _ => UnfoldProducts(input, kernelSize, gradOutput, stride, padding, dilation, outputs: false).Gradients,
        };
        return scope.MoveToOuter(result);
    }

    /// <summary>
    /// Each input convolved with its own weight: conv2d(input[n], weights[n]) for every n, (N, O, Ho, Wo),
    /// e.g. the change of a convolution's output along each input's own weight gradient.
    /// </summary>
    /// <param name="input">The inputs, (N, C, H, W).</param>
    /// <param name="weights">One weight per input, (N, O, C, kh, kw).</param>
    /// <param name="stride">The convolution's stride (2 entries).</param>
    /// <param name="padding">The convolution's zero padding (2 entries).</param>
    /// <param name="dilation">The convolution's dilation (2 entries).</param>
    /// <param name="method">How to compute them (all exact; <see cref="PerInputConvolutionMethod.Auto"/>: the fastest measured).</param>
    public static Tensor Conv2dPerInput(Tensor input, Tensor weights, long[] stride, long[] padding, long[] dilation,
                                        PerInputConvolutionMethod method = PerInputConvolutionMethod.Auto)
    {
        TensorChecks.Alive(input, nameof(input));
        TensorChecks.Alive(weights, nameof(weights));
        if (input.ndim != 4 || weights.ndim != 5 || weights.shape[0] != input.shape[0] || weights.shape[2] != input.shape[1])
            throw new ArgumentException($"Conv2dPerInput takes inputs (N, C, H, W) and one weight per input (N, O, C, kh, kw); got {TensorChecks.Shape(input)} and {TensorChecks.Shape(weights)}.");
        TensorChecks.SameKind(input, weights, nameof(input), nameof(weights));
        var kernel = new[] { weights.shape[3], weights.shape[4] };
        long ho = OutputSize(input.shape[2], kernel[0], stride[0], padding[0], dilation[0]);
        long wo = OutputSize(input.shape[3], kernel[1], stride[1], padding[1], dilation[1]);
        CheckGeometry(input, kernel, null, stride, padding, dilation, "Conv2dPerInput");
        using var scope = NewDisposeScope();
        var result = ResolveOutputs(method, input) switch
        {
            PerInputConvolutionMethod.PerInputConvolution => PerInputOutputs(input, weights, stride, padding, dilation),
            PerInputConvolutionMethod.GroupedConvolution => GroupedOutputs(input, weights, stride, padding, dilation),
            _ => UnfoldOutputs(input, weights, stride, padding, dilation, ho, wo),
        };
        return scope.MoveToOuter(result);
    }

    /// <summary>
    /// <see cref="Conv2dWeightPerInput"/> and each input convolved with its own gradient
    /// (<see cref="Conv2dPerInput"/> with the gradients as weights) together, sharing the unfolded inputs
    /// where both use them: the gradients (N, O, C, kh, kw) and the convolutions (N, O, Ho, Wo).
    /// </summary>
    public static (Tensor Gradients, Tensor Outputs) Conv2dWeightPerInputAndOutputs(Tensor input, long[] kernelSize, Tensor gradOutput, long[] stride, long[] padding, long[] dilation,
                                                                                    PerInputConvolutionMethod method = PerInputConvolutionMethod.Auto)
    {
        CheckBatch(input, gradOutput, kernelSize, stride, padding, dilation, "Conv2dWeightPerInputAndOutputs");
        using var scope = NewDisposeScope();
        var outputs = ResolveOutputs(method, input);
        Tensor g, y;
        if (method is PerInputConvolutionMethod.Auto or PerInputConvolutionMethod.Unfold && outputs == PerInputConvolutionMethod.Unfold)
            (g, y) = UnfoldProducts(input, kernelSize, gradOutput, stride, padding, dilation, outputs: true);
        else
        {
            g = method switch
            {
                PerInputConvolutionMethod.PerInputConvolution => PerInputTransposed(input, kernelSize, gradOutput, stride, padding, dilation),
                PerInputConvolutionMethod.GroupedConvolution => GroupedTransposed(input, kernelSize, gradOutput, stride, padding, dilation),
                _ => UnfoldProducts(input, kernelSize, gradOutput, stride, padding, dilation, outputs: false).Gradients,
            };
            y = outputs == PerInputConvolutionMethod.PerInputConvolution ? PerInputOutputs(input, g, stride, padding, dilation) : GroupedOutputs(input, g, stride, padding, dilation);
        }
        return (scope.MoveToOuter(g), scope.MoveToOuter(y));
    }

    /// <summary>
    /// The method <see cref="PerInputConvolutionMethod.Auto"/> picks for the per-input convolutions: a
    /// grouped convolution where libtorch runs it through oneDNN (float32 on the CPU with oneDNN on) or
    /// cuDNN (CUDA; not measured here), the unfolded products otherwise (libtorch's own CPU convolution
    /// kernels are no faster than them, and the products share the unfolded inputs with the gradients).
    /// </summary>
    internal static PerInputConvolutionMethod ResolveOutputs(PerInputConvolutionMethod method, Tensor input)
    {
        if (method != PerInputConvolutionMethod.Auto) return method;
        if (input.device_type == DeviceType.CUDA) return PerInputConvolutionMethod.GroupedConvolution;
        return input.device_type == DeviceType.CPU && input.dtype == ScalarType.Float32 && OneDnn.EnabledOrDefault
            ? PerInputConvolutionMethod.GroupedConvolution
            : PerInputConvolutionMethod.Unfold;
    }

    private static long OutputSize(long size, long k, long s, long p, long d)
    {
        long span = size + 2 * p - d * (k - 1) - 1;
        return span < 0 ? 0 : span / s + 1;
    }

    private static void CheckBatch(Tensor input, Tensor gradOutput, long[] kernelSize, long[] stride, long[] padding, long[] dilation, string what)
    {
        TensorChecks.Alive(input, nameof(input));
        TensorChecks.Alive(gradOutput, nameof(gradOutput));
        if (input.ndim != 4)
            throw new ArgumentException($"{what} takes inputs of shape (N, C, H, W); got {TensorChecks.Shape(input)}.", nameof(input));
        if (gradOutput.ndim != 4 || gradOutput.shape[0] != input.shape[0])
            throw new ArgumentException($"{what} takes one output gradient per input, (N, O, Ho, Wo) with N = {input.shape[0]}; got {TensorChecks.Shape(gradOutput)}.", nameof(gradOutput));
        CheckGeometry(input, kernelSize, gradOutput, stride, padding, dilation, what);
    }

    private static void CheckGeometry(Tensor input, long[] kernelSize, Tensor? gradOutput, long[] stride, long[] padding, long[] dilation, string what)
    {
        if (kernelSize.Length != 2 || stride.Length != 2 || padding.Length != 2 || dilation.Length != 2)
            throw new ArgumentException("kernelSize, stride, padding and dilation need two entries each.");
        if (gradOutput is not null) TensorChecks.SameKind(input, gradOutput, nameof(input), nameof(gradOutput));
        for (int d = 0; d < 2; d++)
        {
            if (kernelSize[d] < 1 || stride[d] < 1 || dilation[d] < 1 || padding[d] < 0)
                throw new ArgumentException($"{what} needs kernel sizes, strides and dilations ≥ 1 and paddings ≥ 0; got kernel [{string.Join(", ", kernelSize)}], stride [{string.Join(", ", stride)}], padding [{string.Join(", ", padding)}], dilation [{string.Join(", ", dilation)}].");
            // The convolution's output size: ⌊(H + 2p − d(k − 1) − 1) / s⌋ + 1.
            long expected = OutputSize(input.shape[2 + d], kernelSize[d], stride[d], padding[d], dilation[d]);
            if (expected == 0 && gradOutput is null)
                throw new ArgumentException($"A {kernelSize[0]}×{kernelSize[1]} convolution of input {TensorChecks.Shape(input)} (stride [{string.Join(", ", stride)}], padding [{string.Join(", ", padding)}], dilation [{string.Join(", ", dilation)}]) has no output.");
            if (gradOutput is not null && (expected == 0 || gradOutput.shape[2 + d] != expected))
                throw new ArgumentException(
                    $"The output gradient {TensorChecks.Shape(gradOutput)} does not fit a {kernelSize[0]}×{kernelSize[1]} convolution of input {TensorChecks.Shape(input)} " +
                    $"(stride [{string.Join(", ", stride)}], padding [{string.Join(", ", padding)}], dilation [{string.Join(", ", dilation)}]), whose output is {(d == 0 ? "Ho" : "Wo")} = {expected}.", nameof(gradOutput));
        }
    }

    /// <summary>The weight gradient of one input as a convolution: channels as the batch, the output gradient as kernels, stride and dilation swapped.</summary>
    private static Tensor TransposedConvolution(Tensor input, long[] kernelSize, Tensor gradOutput, long[] stride, long[] padding, long[] dilation)
    {
        using var scope = NewDisposeScope();
        var x = input.transpose(0, 1);                                   // (C, 1, H, W): channels as the batch
        var g = gradOutput.transpose(0, 1);                              // (O, 1, Ho, Wo): the output gradient as kernels
        var w = nn.functional.conv2d(x, g, null, strides: dilation, padding: padding, dilation: stride);   // (C, O, kh', kw'), kh' ≥ kh
        // Rows and columns beyond the kernel are positions the stride skipped (the input's last rows).
        var result = w.narrow(2, 0, kernelSize[0]).narrow(3, 0, kernelSize[1]).transpose(0, 1).contiguous();
        return scope.MoveToOuter(result);
    }

    private static Tensor PerInputTransposed(Tensor input, long[] kernelSize, Tensor gradOutput, long[] stride, long[] padding, long[] dilation)
    {
        var parts = new Tensor[input.shape[0]];
        for (long i = 0; i < parts.Length; i++)
            parts[i] = TransposedConvolution(input.narrow(0, i, 1), kernelSize, gradOutput.narrow(0, i, 1), stride, padding, dilation).unsqueeze(0);
        return cat(parts, 0);
    }

    private static Tensor GroupedTransposed(Tensor input, long[] kernelSize, Tensor gradOutput, long[] stride, long[] padding, long[] dilation)
    {
        var (n, c, o) = (input.shape[0], input.shape[1], gradOutput.shape[1]);
        var x = input.transpose(0, 1);                                                         // (C, N, H, W): the inputs as groups
        var g = gradOutput.reshape(n * o, 1, gradOutput.shape[2], gradOutput.shape[3]);       // (N·O, 1, Ho, Wo)
        var w = nn.functional.conv2d(x, g, null, strides: dilation, padding: padding, dilation: stride, groups: n);   // (C, N·O, kh', kw')
        return w.narrow(2, 0, kernelSize[0]).narrow(3, 0, kernelSize[1]).reshape(c, n, o, kernelSize[0], kernelSize[1]).permute(1, 2, 0, 3, 4).contiguous();
    }

    private static Tensor PerInputOutputs(Tensor input, Tensor weights, long[] stride, long[] padding, long[] dilation)
    {
        var parts = new Tensor[input.shape[0]];
        for (long i = 0; i < parts.Length; i++)
            parts[i] = nn.functional.conv2d(input.narrow(0, i, 1), weights[i], null, stride, padding, dilation);
        return cat(parts, 0);
    }

    private static Tensor GroupedOutputs(Tensor input, Tensor weights, long[] stride, long[] padding, long[] dilation)
    {
        var (n, c, o) = (input.shape[0], input.shape[1], weights.shape[1]);
        var x = input.reshape(1, n * c, input.shape[2], input.shape[3]);                      // the inputs' channels side by side
        var w = weights.reshape(n * o, c, weights.shape[3], weights.shape[4]);
        var y = nn.functional.conv2d(x, w, null, stride, padding, dilation, groups: n);        // (1, N·O, Ho, Wo)
        return y.view(n, o, y.shape[2], y.shape[3]);
    }

    /// <summary>
    /// The sliding windows of inputs (n, C, H, W) as (n, C·kh·kw, Ho·Wo), the rows in the weight's
    /// (C, kh, kw) order: a strided view of the zero-padded inputs, copied once.
    /// </summary>
    internal static Tensor Unfold(Tensor input, long[] kernelSize, long[] stride, long[] padding, long[] dilation, long ho, long wo)
    {
        using var scope = NewDisposeScope();
        var x = padding[0] == 0 && padding[1] == 0 ? input.contiguous() : nn.functional.pad(input, [padding[1], padding[1], padding[0], padding[0]]).contiguous();
        var (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3]);
        var view = x.as_strided([n, c, kernelSize[0], kernelSize[1], ho, wo],
                                [c * h * w, h * w, dilation[0] * w, dilation[1], stride[0] * w, stride[1]], x.storage_offset());
        return scope.MoveToOuter(view.reshape(n, c * kernelSize[0] * kernelSize[1], ho * wo));
    }

    /// <summary>Inputs per chunk so that one chunk's unfolded copy stays within <see cref="UnfoldBudgetBytes"/>.</summary>
    private static long Chunk(Tensor input, long[] kernelSize, long ho, long wo)
    {
        long perInput = input.shape[1] * kernelSize[0] * kernelSize[1] * ho * wo * input.element_size();
        return Math.Clamp(UnfoldBudgetBytes / Math.Max(perInput, 1), 1, Math.Max(input.shape[0], 1));
    }

    private static (Tensor Gradients, Tensor Outputs) UnfoldProducts(Tensor input, long[] kernelSize, Tensor gradOutput, long[] stride, long[] padding, long[] dilation, bool outputs)
    {
        var (n, c, o, ho, wo) = (input.shape[0], input.shape[1], gradOutput.shape[1], gradOutput.shape[2], gradOutput.shape[3]);
        long chunk = Chunk(input, kernelSize, ho, wo);
        var grads = new List<Tensor>();
        var outs = new List<Tensor>();
        for (long start = 0; start < n; start += chunk)
        {
            using var scope = NewDisposeScope();
            long m = Math.Min(chunk, n - start);
            var u = Unfold(input.narrow(0, start, m), kernelSize, stride, padding, dilation, ho, wo);   // (m, C·kh·kw, L)
            var g = gradOutput.narrow(0, start, m).reshape(m, o, ho * wo).bmm(u.transpose(1, 2));      // (m, O, C·kh·kw)
            grads.Add(scope.MoveToOuter(g));
            if (outputs) outs.Add(scope.MoveToOuter(g.bmm(u)));                                          // (m, O, L)
        }
        var all = (grads.Count == 1 ? grads[0] : cat(grads, 0)).view(n, o, c, kernelSize[0], kernelSize[1]);
        var y = outputs ? (outs.Count == 1 ? outs[0] : cat(outs, 0)).view(n, o, ho, wo) : null;
        return (all, y!);
    }

    private static Tensor UnfoldOutputs(Tensor input, Tensor weights, long[] stride, long[] padding, long[] dilation, long ho, long wo)
    {
        var (n, o) = (input.shape[0], weights.shape[1]);
        long[] kernelSize = [weights.shape[3], weights.shape[4]];
        long chunk = Chunk(input, kernelSize, ho, wo);
        var w = weights.reshape(n, o, -1);
        var outs = new List<Tensor>();
        for (long start = 0; start < n; start += chunk)
        {
            using var scope = NewDisposeScope();
            long m = Math.Min(chunk, n - start);
            var u = Unfold(input.narrow(0, start, m), kernelSize, stride, padding, dilation, ho, wo);
            outs.Add(scope.MoveToOuter(w.narrow(0, start, m).bmm(u)));
        }
        return (outs.Count == 1 ? outs[0] : cat(outs, 0)).view(n, o, ho, wo);
    }
}
