using FisherKit.Torch.Native;

namespace FisherKit.Torch;

public static partial class torch
{
    /// <summary>How a loss reduces over the batch.</summary>
    public enum Reduction
    {
        /// <summary>One value per element.</summary>
        None = 0,
        /// <summary>The mean (the default, as in PyTorch).</summary>
        Mean = 1,
        /// <summary>The sum.</summary>
        Sum = 2,
    }

    /// <summary>Resampling modes of <see cref="nn.functional.interpolate"/>.</summary>
    public enum InterpolationMode
    {
        /// <summary>Nearest neighbour.</summary>
        Nearest = 0,
        /// <summary>Linear (1-D).</summary>
        Linear = 1,
        /// <summary>Bilinear (2-D).</summary>
        Bilinear = 2,
        /// <summary>Bicubic (2-D).</summary>
        Bicubic = 3,
    }

    public static partial class nn
    {
        /// <summary>Stateless neural-network operations (torch.nn.functional).</summary>
        public static class functional
        {
            /// <summary>Expands a per-dimension argument: null → default for every dim, one value → repeated.</summary>
            internal static long[] Expand(long[]? values, int dims, long fallback, string name)
            {
                if (values is null || values.Length == 0) return Enumerable.Repeat(fallback, dims).ToArray();
                if (values.Length == 1) return Enumerable.Repeat(values[0], dims).ToArray();
                if (values.Length != dims) throw new ArgumentException($"{name} needs 1 or {dims} values, got {values.Length}.", name);
                return values;
            }

            /// <summary>x Wᵀ + b.</summary>
            public static Tensor linear(Tensor input, Tensor weight, Tensor? bias = null) =>
                Tensor.Wrap(NativeMethods.fk_linear(input.Handle, weight.Handle, Tensor.HandleOrNull(bias), out var r), r);

            /// <summary>1-D convolution over (N, C, L) input.</summary>
            public static unsafe Tensor conv1d(Tensor input, Tensor weight, Tensor? bias = null, long[]? stride = null, long[]? padding = null, long[]? dilation = null, long groups = 1)
            {
                var s = Expand(stride, 1, 1, nameof(stride)); var p = Expand(padding, 1, 0, nameof(padding)); var d = Expand(dilation, 1, 1, nameof(dilation));
                fixed (long* ps = s) fixed (long* pp = p) fixed (long* pd = d)
                    return Tensor.Wrap(NativeMethods.fk_conv1d(input.Handle, weight.Handle, Tensor.HandleOrNull(bias), ps, 1, pp, 1, pd, 1, groups, out var r), r);
            }

            /// <summary>2-D convolution over (N, C, H, W) input; weight (out, in/groups, kH, kW).</summary>
            public static unsafe Tensor conv2d(Tensor input, Tensor weight, Tensor? bias = null, long[]? stride = null, long[]? padding = null, long[]? dilation = null, long groups = 1)
            {
                var s = Expand(stride, 2, 1, nameof(stride)); var p = Expand(padding, 2, 0, nameof(padding)); var d = Expand(dilation, 2, 1, nameof(dilation));
                fixed (long* ps = s) fixed (long* pp = p) fixed (long* pd = d)
                    return Tensor.Wrap(NativeMethods.fk_conv2d(input.Handle, weight.Handle, Tensor.HandleOrNull(bias), ps, 2, pp, 2, pd, 2, groups, out var r), r);
            }

            /// <summary>2-D transposed convolution; weight (in, out/groups, kH, kW).</summary>
            public static unsafe Tensor conv_transpose2d(Tensor input, Tensor weight, Tensor? bias = null, long[]? stride = null, long[]? padding = null, long[]? output_padding = null, long groups = 1, long[]? dilation = null)
            {
                var s = Expand(stride, 2, 1, nameof(stride)); var p = Expand(padding, 2, 0, nameof(padding));
                var o = Expand(output_padding, 2, 0, nameof(output_padding)); var d = Expand(dilation, 2, 1, nameof(dilation));
                fixed (long* ps = s) fixed (long* pp = p) fixed (long* po = o) fixed (long* pd = d)
                    return Tensor.Wrap(NativeMethods.fk_conv_transpose2d(input.Handle, weight.Handle, Tensor.HandleOrNull(bias), ps, 2, pp, 2, po, 2, groups, pd, 2, out var r), r);
            }

            /// <summary>1-D max pooling (stride defaults to the kernel size).</summary>
            public static unsafe Tensor max_pool1d(Tensor input, long kernel_size, long? stride = null, long padding = 0, long dilation = 1, bool ceil_mode = false)
            {
                long k = kernel_size, s = stride ?? kernel_size, p = padding, d = dilation;
                return Tensor.Wrap(NativeMethods.fk_max_pool1d(input.Handle, &k, 1, &s, 1, &p, 1, &d, 1, ceil_mode ? 1 : 0, out var r), r);
            }

            /// <summary>2-D max pooling (stride defaults to the kernel size).</summary>
            public static Tensor max_pool2d(Tensor input, long[] kernel_size, long[]? stride = null, long[]? padding = null, long[]? dilation = null, bool ceil_mode = false)
            {
                var k = Expand(kernel_size, 2, 1, nameof(kernel_size)); var s = Expand(stride, 2, 0, nameof(stride));
                if (stride is null) s = k;
                var p = Expand(padding, 2, 0, nameof(padding)); var d = Expand(dilation, 2, 1, nameof(dilation));
                if (MaxPoolKernel.TryPool(input, k, s, p, d, ceil_mode, out var fast)) return fast!;
                return LibtorchMaxPool2d(input, k, s, p, d, ceil_mode);
            }

            /// <summary>2-D max pooling that also returns, per (N, C) plane, the flat position h·W + w of each maximum.</summary>
            public static (Tensor values, Tensor indices) max_pool2d_with_indices(Tensor input, long[] kernel_size, long[]? stride = null, long[]? padding = null, long[]? dilation = null, bool ceil_mode = false)
            {
                var k = Expand(kernel_size, 2, 1, nameof(kernel_size)); var s = stride is null ? k : Expand(stride, 2, 0, nameof(stride));
                var p = Expand(padding, 2, 0, nameof(padding)); var d = Expand(dilation, 2, 1, nameof(dilation));
                if (MaxPoolKernel.TryPoolWithIndices(input, k, s, p, d, ceil_mode, out var values, out var indices)) return (values!, indices!);
                return LibtorchMaxPool2dWithIndices(input, k, s, p, d, ceil_mode);
            }

            /// <summary>libtorch's own max_pool2d_with_indices (the reference the C# kernel is tested against).</summary>
            internal static unsafe (Tensor values, Tensor indices) LibtorchMaxPool2dWithIndices(Tensor input, long[] k, long[] s, long[] p, long[] d, bool ceil_mode)
            {
                IntPtr v, i;
                fixed (long* pk = k) fixed (long* ps = s) fixed (long* pp = p) fixed (long* pd = d)
                    Status.Check(NativeMethods.fk_max_pool2d_with_indices(input.Handle, pk, 2, ps, 2, pp, 2, pd, 2, ceil_mode ? 1 : 0, out v, out i));
                return (new Tensor(v), new Tensor(i));
            }

            /// <summary>libtorch's own max_pool2d (the reference the C# kernel is tested against).</summary>
            internal static unsafe Tensor LibtorchMaxPool2d(Tensor input, long[] k, long[] s, long[] p, long[] d, bool ceil_mode)
            {
                fixed (long* pk = k) fixed (long* ps = s) fixed (long* pp = p) fixed (long* pd = d)
                    return Tensor.Wrap(NativeMethods.fk_max_pool2d(input.Handle, pk, 2, ps, 2, pp, 2, pd, 2, ceil_mode ? 1 : 0, out var r), r);
            }

            /// <summary>2-D max pooling with a square kernel.</summary>
            public static Tensor max_pool2d(Tensor input, long kernel_size) => max_pool2d(input, [kernel_size]);

            /// <summary>1-D average pooling.</summary>
            public static unsafe Tensor avg_pool1d(Tensor input, long kernel_size, long? stride = null, long padding = 0, bool ceil_mode = false, bool count_include_pad = true)
            {
                long k = kernel_size, s = stride ?? kernel_size, p = padding;
                return Tensor.Wrap(NativeMethods.fk_avg_pool1d(input.Handle, &k, 1, &s, 1, &p, 1, ceil_mode ? 1 : 0, count_include_pad ? 1 : 0, out var r), r);
            }

            /// <summary>2-D average pooling (stride defaults to the kernel size).</summary>
            public static unsafe Tensor avg_pool2d(Tensor input, long[] kernel_size, long[]? stride = null, long[]? padding = null, bool ceil_mode = false, bool count_include_pad = true)
            {
                var k = Expand(kernel_size, 2, 1, nameof(kernel_size)); var s = stride is null ? k : Expand(stride, 2, 1, nameof(stride));
                var p = Expand(padding, 2, 0, nameof(padding));
                fixed (long* pk = k) fixed (long* ps = s) fixed (long* pp = p)
                    return Tensor.Wrap(NativeMethods.fk_avg_pool2d(input.Handle, pk, 2, ps, 2, pp, 2, ceil_mode ? 1 : 0, count_include_pad ? 1 : 0, out var r), r);
            }

            /// <summary>Average pooling to a fixed output length.</summary>
            public static unsafe Tensor adaptive_avg_pool1d(Tensor input, long output_size) =>
                Tensor.Wrap(NativeMethods.fk_adaptive_avg_pool1d(input.Handle, &output_size, 1, out var r), r);

            /// <summary>Average pooling to a fixed output size (H, W).</summary>
            public static unsafe Tensor adaptive_avg_pool2d(Tensor input, long[] output_size)
            {
                var o = Expand(output_size, 2, 1, nameof(output_size));
                fixed (long* p = o) return Tensor.Wrap(NativeMethods.fk_adaptive_avg_pool2d(input.Handle, p, 2, out var r), r);
            }

            /// <summary>Max pooling to a fixed output size (H, W).</summary>
            public static unsafe Tensor adaptive_max_pool2d(Tensor input, long[] output_size)
            {
                var o = Expand(output_size, 2, 1, nameof(output_size));
                fixed (long* p = o) return Tensor.Wrap(NativeMethods.fk_adaptive_max_pool2d(input.Handle, p, 2, out var r), r);
            }

            private static void CheckProbability(double p, string name)
            {
                if (!(p >= 0 && p <= 1)) throw new ArgumentOutOfRangeException(name, p, "A dropout probability must lie in [0, 1].");
            }

            /// <summary>Zeroes elements with probability p and scales the rest by 1/(1−p), only when <paramref name="training"/>.</summary>
            public static Tensor dropout(Tensor input, double p = 0.5, bool training = true)
            {
                CheckProbability(p, nameof(p));
                return Tensor.Wrap(NativeMethods.fk_dropout(input.Handle, p, training ? 1 : 0, out var r), r);
            }

            /// <summary>Zeroes whole channels with probability p (N, C, H, W), only when training.</summary>
            public static Tensor dropout2d(Tensor input, double p = 0.5, bool training = true)
            {
                CheckProbability(p, nameof(p));
                return Tensor.Wrap(NativeMethods.fk_feature_dropout(input.Handle, p, training ? 1 : 0, out var r), r);
            }

            /// <summary>Batch normalisation; in training, batch statistics are used and the running ones updated in place.</summary>
            public static Tensor batch_norm(Tensor input, Tensor? running_mean, Tensor? running_var, Tensor? weight = null, Tensor? bias = null, bool training = false, double momentum = 0.1, double eps = 1e-5) =>
                Tensor.Wrap(NativeMethods.fk_batch_norm(input.Handle, Tensor.HandleOrNull(running_mean), Tensor.HandleOrNull(running_var),
                    Tensor.HandleOrNull(weight), Tensor.HandleOrNull(bias), training ? 1 : 0, momentum, eps, out var r), r);

            /// <summary>Layer normalisation over the trailing <paramref name="normalized_shape"/>.</summary>
            public static unsafe Tensor layer_norm(Tensor input, long[] normalized_shape, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
            {
                fixed (long* p = normalized_shape)
                    return Tensor.Wrap(NativeMethods.fk_layer_norm(input.Handle, p, normalized_shape.Length, Tensor.HandleOrNull(weight), Tensor.HandleOrNull(bias), eps, out var r), r);
            }

            /// <summary>Group normalisation.</summary>
            public static Tensor group_norm(Tensor input, long num_groups, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5) =>
                Tensor.Wrap(NativeMethods.fk_group_norm(input.Handle, num_groups, Tensor.HandleOrNull(weight), Tensor.HandleOrNull(bias), eps, out var r), r);

            /// <summary>max(x, 0).</summary>
            public static Tensor relu(Tensor x) => x.relu();
            /// <summary>x for x &gt; 0, slope·x otherwise.</summary>
            public static Tensor leaky_relu(Tensor x, double negative_slope = 0.01) => Tensor.Wrap(NativeMethods.fk_leaky_relu(x.Handle, negative_slope, out var r), r);
            /// <summary>x for x &gt; 0, alpha·(eˣ − 1) otherwise.</summary>
            public static Tensor elu(Tensor x, double alpha = 1) => Tensor.Wrap(NativeMethods.fk_elu(x.Handle, alpha, out var r), r);
            /// <summary>x·Φ(x) (exact, or the tanh approximation).</summary>
            public static Tensor gelu(Tensor x, bool tanh_approximation = false) => Tensor.Wrap(NativeMethods.fk_gelu(x.Handle, tanh_approximation ? 1 : 0, out var r), r);
            /// <summary>x·sigmoid(x).</summary>
            public static Tensor silu(Tensor x) => Tensor.Wrap(NativeMethods.fk_silu(x.Handle, out var r), r);
            /// <summary>Hyperbolic tangent.</summary>
            public static Tensor tanh(Tensor x) => x.tanh();
            /// <summary>Logistic sigmoid.</summary>
            public static Tensor sigmoid(Tensor x) => x.sigmoid();
            /// <summary>log(1 + e^(βx))/β, linear above the threshold.</summary>
            public static Tensor softplus(Tensor x, double beta = 1, double threshold = 20) => Tensor.Wrap(NativeMethods.fk_softplus(x.Handle, beta, threshold, out var r), r);
            /// <summary>log sigmoid(x), computed stably.</summary>
            public static Tensor log_sigmoid(Tensor x) => Tensor.Wrap(NativeMethods.fk_log_sigmoid(x.Handle, out var r), r);
            /// <summary>Clamps to [min_val, max_val].</summary>
            public static Tensor hardtanh(Tensor x, double min_val = -1, double max_val = 1) => Tensor.Wrap(NativeMethods.fk_hardtanh(x.Handle, min_val, max_val, out var r), r);
            /// <summary>exp(x)/Σexp(x) along dim.</summary>
            public static Tensor softmax(Tensor x, long dim) => Tensor.Wrap(NativeMethods.fk_softmax(x.Handle, dim, out var r), r);
            /// <summary>log softmax along dim, computed stably.</summary>
            public static Tensor log_softmax(Tensor x, long dim) => Tensor.Wrap(NativeMethods.fk_log_softmax(x.Handle, dim, out var r), r);

            /// <summary>Resizes (N, C, L) or (N, C, H, W) input to <paramref name="size"/> or by <paramref name="scale_factor"/>.</summary>
            public static unsafe Tensor interpolate(Tensor input, long[]? size = null, double[]? scale_factor = null, InterpolationMode mode = InterpolationMode.Nearest, bool align_corners = false)
            {
                if ((size is null) == (scale_factor is null)) throw new ArgumentException("interpolate needs exactly one of size and scale_factor.");
                var sz = size ?? [];
                var sc = scale_factor ?? [];
                fixed (long* ps = sz) fixed (double* pc = sc)
                    return Tensor.Wrap(NativeMethods.fk_interpolate(input.Handle, ps, sz.Length, pc, sc.Length, (int)mode, align_corners ? 1 : 0, out var r), r);
            }

            /// <summary>Sampling grid for affine transforms theta (N, 2, 3) over an output of <paramref name="size"/> (N, C, H, W).</summary>
            public static unsafe Tensor affine_grid(Tensor theta, long[] size, bool align_corners = false)
            {
                fixed (long* p = size) return Tensor.Wrap(NativeMethods.fk_affine_grid(theta.Handle, p, size.Length, align_corners ? 1 : 0, out var r), r);
            }

            /// <summary>Samples input at grid locations in [-1, 1] (bilinear or nearest, zero padding).</summary>
            public static Tensor grid_sample(Tensor input, Tensor grid, bool nearest = false, bool border_padding = false, bool align_corners = false) =>
                Tensor.Wrap(NativeMethods.fk_grid_sample(input.Handle, grid.Handle, nearest ? 1 : 0, border_padding ? 1 : 0, align_corners ? 1 : 0, out var r), r);

            /// <summary>Extracts sliding patches (im2col): (N, C, H, W) → (N, C·kH·kW, L).</summary>
            public static unsafe Tensor unfold(Tensor input, long[] kernel_size, long[]? dilation = null, long[]? padding = null, long[]? stride = null)
            {
                var k = Expand(kernel_size, 2, 1, nameof(kernel_size)); var d = Expand(dilation, 2, 1, nameof(dilation));
                var p = Expand(padding, 2, 0, nameof(padding)); var s = Expand(stride, 2, 1, nameof(stride));
                fixed (long* pk = k) fixed (long* pd = d) fixed (long* pp = p) fixed (long* ps = s)
                    return Tensor.Wrap(NativeMethods.fk_unfold(input.Handle, pk, 2, pd, 2, pp, 2, ps, 2, out var r), r);
            }

            /// <summary>Sums patches back into an image (col2im), the adjoint of <see cref="unfold"/>.</summary>
            public static unsafe Tensor fold(Tensor input, long[] output_size, long[] kernel_size, long[]? dilation = null, long[]? padding = null, long[]? stride = null)
            {
                var o = Expand(output_size, 2, 1, nameof(output_size)); var k = Expand(kernel_size, 2, 1, nameof(kernel_size));
                var d = Expand(dilation, 2, 1, nameof(dilation)); var p = Expand(padding, 2, 0, nameof(padding)); var s = Expand(stride, 2, 1, nameof(stride));
                fixed (long* po = o) fixed (long* pk = k) fixed (long* pd = d) fixed (long* pp = p) fixed (long* ps = s)
                    return Tensor.Wrap(NativeMethods.fk_fold(input.Handle, po, 2, pk, 2, pd, 2, pp, 2, ps, 2, out var r), r);
            }

            /// <summary>One-hot encoding of int64 class indices (int64 result).</summary>
            public static Tensor one_hot(Tensor indices, long num_classes = -1) => Tensor.Wrap(NativeMethods.fk_one_hot(indices.Handle, num_classes, out var r), r);

            /// <summary>Pads the trailing dimensions (see <see cref="Tensor.pad"/>).</summary>
            public static Tensor pad(Tensor input, long[] pad, PaddingModes mode = PaddingModes.Constant, double value = 0) => input.pad(pad, mode, value);

            // ---- losses ----

            /// <summary>
            /// Cross entropy between logits (N, C, ...) and int64 class targets (N, ...) or class
            /// probabilities; <paramref name="weight"/> rescales classes (for imbalanced data).
            /// </summary>
            public static Tensor cross_entropy(Tensor input, Tensor target, Tensor? weight = null, long ignore_index = -100, Reduction reduction = Reduction.Mean, double label_smoothing = 0) =>
                Tensor.Wrap(NativeMethods.fk_cross_entropy(input.Handle, target.Handle, Tensor.HandleOrNull(weight), (long)reduction, ignore_index, label_smoothing, out var r), r);

            /// <summary>Negative log-likelihood of log-probabilities (N, C, ...) at int64 targets.</summary>
            public static Tensor nll_loss(Tensor input, Tensor target, Tensor? weight = null, long ignore_index = -100, Reduction reduction = Reduction.Mean) =>
                Tensor.Wrap(NativeMethods.fk_nll_loss(input.Handle, target.Handle, Tensor.HandleOrNull(weight), (long)reduction, ignore_index, out var r), r);

            /// <summary>Squared error.</summary>
            public static Tensor mse_loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) =>
                Tensor.Wrap(NativeMethods.fk_mse_loss(input.Handle, target.Handle, (long)reduction, out var r), r);

            /// <summary>Absolute error.</summary>
            public static Tensor l1_loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) =>
                Tensor.Wrap(NativeMethods.fk_l1_loss(input.Handle, target.Handle, (long)reduction, out var r), r);

            /// <summary>Smooth L1 (quadratic below beta).</summary>
            public static Tensor smooth_l1_loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, double beta = 1) =>
                Tensor.Wrap(NativeMethods.fk_smooth_l1_loss(input.Handle, target.Handle, (long)reduction, beta, out var r), r);

            /// <summary>Huber loss (quadratic below delta).</summary>
            public static Tensor huber_loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, double delta = 1) =>
                Tensor.Wrap(NativeMethods.fk_huber_loss(input.Handle, target.Handle, (long)reduction, delta, out var r), r);

            /// <summary>Binary cross entropy on logits (stable); pos_weight rescales positives.</summary>
            public static Tensor binary_cross_entropy_with_logits(Tensor input, Tensor target, Tensor? weight = null, Tensor? pos_weight = null, Reduction reduction = Reduction.Mean) =>
                Tensor.Wrap(NativeMethods.fk_binary_cross_entropy_with_logits(input.Handle, target.Handle, Tensor.HandleOrNull(weight), Tensor.HandleOrNull(pos_weight), (long)reduction, out var r), r);

            /// <summary>Binary cross entropy on probabilities in [0, 1].</summary>
            public static Tensor binary_cross_entropy(Tensor input, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean) =>
                Tensor.Wrap(NativeMethods.fk_binary_cross_entropy(input.Handle, target.Handle, Tensor.HandleOrNull(weight), (long)reduction, out var r), r);

            /// <summary>KL divergence with input given as log-probabilities.</summary>
            public static Tensor kl_div(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, bool log_target = false) =>
                Tensor.Wrap(NativeMethods.fk_kl_div(input.Handle, target.Handle, (long)reduction, log_target ? 1 : 0, out var r), r);

            /// <summary>
            /// Gaussian negative log-likelihood with predicted variance, as PyTorch's
            /// <c>gaussian_nll_loss</c>: ½[log max(var, eps) + (input − target)²/max(var, eps)]
            /// (+ ½ log 2π when <paramref name="full"/>). The clamp does not block the gradient. var has
            /// the shape of input, or that shape without its last dimension, or with the last dimension 1
            /// (one variance shared by the last dimension). Negative variances are an error.
            /// </summary>
            public static Tensor gaussian_nll_loss(Tensor input, Tensor target, Tensor var, bool full = false, double eps = 1e-6, Reduction reduction = Reduction.Mean)
            {
                using var scope = NewDisposeScope();
                long[] si = input.shape, sv = var.shape;
                if (!si.SequenceEqual(sv))
                {
                    if (si.Length > 0 && si[..^1].SequenceEqual(sv)) var = var.unsqueeze(-1);
                    else if (!(si.Length > 0 && sv.Length == si.Length && si[..^1].SequenceEqual(sv[..^1]) && sv[^1] == 1))
                        throw new ArgumentException($"gaussian_nll_loss: var has shape {Tensor.ShapeString(sv)}, which fits neither input's shape {Tensor.ShapeString(si)} nor that shape with its last dimension removed or set to 1.", nameof(var));
                }
                using (var neg = var.lt(0))
                using (var anyNeg = neg.any())
                    if (anyNeg.item<bool>()) throw new ArgumentException("gaussian_nll_loss: var has negative entries.", nameof(var));
                // As PyTorch: clamp a clone in place under no_grad, so the value is max(var, eps) while the
                // gradient flows to var unchanged.
                var v = var.clone();
                using (NoGradGuard()) v.clamp_(eps, null);
                var diff = input - target;
                var loss = (v.log() + diff.square() / v) * 0.5;
                if (full) loss = loss + 0.5 * Math.Log(2 * Math.PI);
                var result = reduction switch
                {
                    Reduction.Mean => loss.mean(),
                    Reduction.Sum => loss.sum(),
                    _ => loss,
                };
                return scope.MoveToOuter(result);
            }
        }
    }
}
