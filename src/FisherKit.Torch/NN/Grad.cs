using FisherKit.Torch.Native;

namespace FisherKit.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>
        /// Gradients of convolutions with respect to their weight or input, computed directly by
        /// libtorch's convolution backward kernels (torch.nn.grad): no forward pass and no autograd
        /// graph. Per-sample weight gradients use them with a batch of one.
        /// </summary>
        public static class grad
        {
            /// <summary>∂L/∂weight of conv2d(input, weight) for the output gradient <paramref name="grad_output"/>, summed over the batch.</summary>
            public static Tensor conv2d_weight(Tensor input, long[] weight_size, Tensor grad_output, long[]? stride = null, long[]? padding = null, long[]? dilation = null, long groups = 1)
            {
                using var weight = Placeholder(input, weight_size, 4, nameof(weight_size));
                return Backward(grad_output, input, weight, stride, padding, dilation, groups, 2, mask: 2).weight!;
            }

            /// <summary>∂L/∂input of conv2d(input, weight) for the output gradient <paramref name="grad_output"/>.</summary>
            public static Tensor conv2d_input(long[] input_size, Tensor weight, Tensor grad_output, long[]? stride = null, long[]? padding = null, long[]? dilation = null, long groups = 1)
            {
                using var input = Placeholder(weight, input_size, 4, nameof(input_size));
                return Backward(grad_output, input, weight, stride, padding, dilation, groups, 2, mask: 1).input!;
            }

            /// <summary>∂L/∂weight of conv1d(input, weight), summed over the batch.</summary>
            public static Tensor conv1d_weight(Tensor input, long[] weight_size, Tensor grad_output, long[]? stride = null, long[]? padding = null, long[]? dilation = null, long groups = 1)
            {
                using var weight = Placeholder(input, weight_size, 3, nameof(weight_size));
                return Backward(grad_output, input, weight, stride, padding, dilation, groups, 1, mask: 2).weight!;
            }

            /// <summary>A tensor of the given size without memory of its own, standing in for the operand whose values the gradient does not need (as torch.nn.grad does).</summary>
            private static Tensor Placeholder(Tensor like, long[] size, int dims, string name)
            {
                ArgumentNullException.ThrowIfNull(size, name);
                if (size.Length != dims) throw new ArgumentException($"{name} must have {dims} entries, got [{string.Join(", ", size)}].", name);
                using var one = empty([1], dtype: like.dtype, device: like.device);
                return one.expand(size);
            }

            private static unsafe (Tensor? input, Tensor? weight) Backward(Tensor gradOutput, Tensor input, Tensor weight, long[]? stride, long[]? padding, long[]? dilation, long groups, int dims, int mask)
            {
                var s = functional.Expand(stride, dims, 1, nameof(stride)); var p = functional.Expand(padding, dims, 0, nameof(padding));
                var d = functional.Expand(dilation, dims, 1, nameof(dilation)); var op = new long[dims];
                IntPtr gi, gw, gb;
                fixed (long* ps = s) fixed (long* pp = p) fixed (long* pd = d) fixed (long* po = op)
                    Status.Check(NativeMethods.fk_convolution_backward(gradOutput.Handle, input.Handle, weight.Handle, ps, dims, pp, dims, pd, dims, 0, po, dims, groups, mask,
                                                                       out gi, out gw, out gb));
                if (gb != IntPtr.Zero) new Tensor(gb).Dispose();
                return (gi == IntPtr.Zero ? null : new Tensor(gi), gw == IntPtr.Zero ? null : new Tensor(gw));
            }
        }
    }
}
