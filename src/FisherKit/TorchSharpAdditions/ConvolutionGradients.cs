using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.TorchSharpAdditions;

/// <summary>
/// The weight gradient of a 2-D convolution (groups = 1) for one input, as PyTorch's
/// <c>torch.nn.grad.conv2d_weight</c> computes it, without a forward pass or an autograd graph.
/// TorchSharp does not expose libtorch's convolution backward; the weight gradient is itself a
/// convolution: ∂L/∂W[o, c, i, j] = Σ_{y,x} g[o, y, x] · x_pad[c, y·s + i·d, x·s + j·d], i.e. the
/// input with its channels as the batch, convolved with the output gradient as kernel, stride and
/// dilation swapped.
/// </summary>
public static class ConvolutionGradients
{
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
        if (kernelSize.Length != 2 || stride.Length != 2 || padding.Length != 2 || dilation.Length != 2)
            throw new ArgumentException("kernelSize, stride, padding and dilation need two entries each.");
        TensorChecks.SameKind(input, gradOutput, nameof(input), nameof(gradOutput));
        for (int d = 0; d < 2; d++)
        {
            if (kernelSize[d] < 1 || stride[d] < 1 || dilation[d] < 1 || padding[d] < 0)
                throw new ArgumentException($"Conv2dWeight needs kernel sizes, strides and dilations ≥ 1 and paddings ≥ 0; got kernel [{string.Join(", ", kernelSize)}], stride [{string.Join(", ", stride)}], padding [{string.Join(", ", padding)}], dilation [{string.Join(", ", dilation)}].");
            // The convolution's output size: ⌊(H + 2p − d(k − 1) − 1) / s⌋ + 1.
            long span = input.shape[2 + d] + 2 * padding[d] - dilation[d] * (kernelSize[d] - 1) - 1;
            long expected = span < 0 ? 0 : span / stride[d] + 1;
            if (gradOutput.shape[2 + d] != expected || expected == 0)
                throw new ArgumentException(
                    $"The output gradient {TensorChecks.Shape(gradOutput)} does not fit a {kernelSize[0]}×{kernelSize[1]} convolution of input {TensorChecks.Shape(input)} " +
                    $"(stride [{string.Join(", ", stride)}], padding [{string.Join(", ", padding)}], dilation [{string.Join(", ", dilation)}]), whose output is {(d == 0 ? "Ho" : "Wo")} = {expected}.", nameof(gradOutput));
        }
        using var scope = NewDisposeScope();
        var x = input.transpose(0, 1);                                   // (C, 1, H, W): channels as the batch
        var g = gradOutput.transpose(0, 1);                              // (O, 1, Ho, Wo): the output gradient as kernels
        var w = nn.functional.conv2d(x, g, null, strides: dilation, padding: padding, dilation: stride);   // (C, O, kh', kw'), kh' ≥ kh
        // Rows and columns beyond the kernel are positions the stride skipped (the input's last rows).
        var result = w.narrow(2, 0, kernelSize[0]).narrow(3, 0, kernelSize[1]).transpose(0, 1).contiguous();
        return scope.MoveToOuter(result);
    }
}
