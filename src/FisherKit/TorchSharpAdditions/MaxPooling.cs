using System.Numerics;
using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.TorchSharpAdditions;

/// <summary>
/// 2-D max pooling with libtorch's results, faster on the CPU: for contiguous float32/float64 CPU
/// inputs (N, C, H, W) the position of each window's maximum is found in C#, and the values are
/// <c>index_select</c> of the flattened input at those positions, so autograd routes the gradient
/// exactly as libtorch's <c>max_pool2d</c> does (all of it to the chosen element, accumulated where
/// windows overlap), and double backward works. The position rule is libtorch's: the first maximum
/// in row-major window order, the last NaN if the window holds one; padding never wins. Any other
/// input (another device, dtype or layout, an unbatched input, padding beyond half the kernel) goes to
/// libtorch's own <c>max_pool2d_with_indices</c>, which also names invalid arguments.
/// </summary>
/// <remarks>
/// libtorch 2.10's CPU max pooling of the benchmark CNN's 64×64×24×24 activations (2×2 windows)
/// costs more than the convolution before it with oneDNN on and a large part of it with oneDNN off;
/// this kernel a fraction of libtorch's time with either setting (the "Max pooling" tables
/// of <c>bench/README.md</c>, <c>bench/FisherKit.Bench kernels --only pool</c>). FisherKit
/// uses it where it runs a network's forward pass itself (the per-input Fisher computations of a
/// chain of layers); a user's model keeps TorchSharp's <c>MaxPool2d</c>.
/// </remarks>
public static class MaxPooling
{
    /// <summary>
    /// <c>max_pool2d_with_indices</c>: the pooled values (differentiable) and, per (N, C) plane, the
    /// flat position h·W + w of each maximum (libtorch's indices).
    /// </summary>
    /// <param name="input">(N, C, H, W).</param>
    /// <param name="kernelSize">Window (kh, kw).</param>
    /// <param name="stride">Stride (sh, sw); null: the window size.</param>
    /// <param name="padding">Implicit padding (ph, pw) that never wins; null: none.</param>
    /// <param name="dilation">Dilation (dh, dw); null: 1.</param>
    /// <param name="ceilMode">Whether a last partial window is pooled (libtorch's ceil_mode).</param>
    /// <example>
    /// <code>
    /// var (y, indices) = MaxPooling.MaxPool2dWithIndices(x, [2, 2]);   // y: (N, C, H/2, W/2)
    /// </code>
    /// </example>
    public static (Tensor Values, Tensor Indices) MaxPool2dWithIndices(Tensor input, long[] kernelSize, long[]? stride = null, long[]? padding = null, long[]? dilation = null, bool ceilMode = false)
    {
        TensorChecks.Alive(input, nameof(input));
        var (k, s, p, d) = Normalize(kernelSize, stride, padding, dilation);
        if (!TryPositions(input, k, s, p, d, ceilMode, out var flat, out var perPlane))
            return nn.functional.max_pool2d_with_indices(input, k, s, p, d, ceilMode);
        using (flat) return (Select(input, flat!), perPlane!);
    }

    /// <summary><c>max_pool2d</c>: the pooled values (differentiable), by the C# kernel where it applies.</summary>
    public static Tensor MaxPool2d(Tensor input, long[] kernelSize, long[]? stride = null, long[]? padding = null, long[]? dilation = null, bool ceilMode = false)
    {
        TensorChecks.Alive(input, nameof(input));
        var (k, s, p, d) = Normalize(kernelSize, stride, padding, dilation);
        if (!TryPositions(input, k, s, p, d, ceilMode, out var flat, out _, indices: false))
            return nn.functional.max_pool2d(input, k, s, p, d, ceilMode);
        using (flat) return Select(input, flat!);
    }

    /// <summary>
    /// The positions of the maxima into the flattened input (N, C, Ho, Wo), or null where the C# kernel
    /// does not apply; <see cref="Select"/> picks values or tangents at them.
    /// </summary>
    /// <remarks><paramref name="parts"/>: how many parts the planes are split into (threads); null: libtorch's CPU thread count for large inputs.</remarks>
    internal static Tensor? FlatPositions(Tensor input, long[] kernelSize, long[]? stride, long[]? padding, long[]? dilation, bool ceilMode, int? parts = null)
    {
        var (k, s, p, d) = Normalize(kernelSize, stride, padding, dilation);
        return TryPositions(input, k, s, p, d, ceilMode, out var flat, out _, indices: false, parts) ? flat : null;
    }

    /// <summary>The elements of <paramref name="t"/> (shaped like the pooled input) at flat positions: differentiable, its backward an index_add.</summary>
    internal static Tensor Select(Tensor t, Tensor flatPositions)
    {
        using var scope = NewDisposeScope();
        var picked = t.reshape(-1).index_select(0, flatPositions.reshape(-1));
        return scope.MoveToOuter(picked.view(flatPositions.shape));
    }

    private static (long[] K, long[] S, long[] P, long[] D) Normalize(long[] kernelSize, long[]? stride, long[]? padding, long[]? dilation)
    {
        ArgumentNullException.ThrowIfNull(kernelSize);
        static long[] Two(long[] v, string name) => v.Length switch
        {
            1 => [v[0], v[0]],
            2 => v,
            _ => throw new ArgumentException($"Max pooling takes one or two entries for {name}; got {v.Length}.", name),
        };
        var k = Two(kernelSize, nameof(kernelSize));
        return (k, stride is null || stride.Length == 0 ? k : Two(stride, nameof(stride)), Two(padding ?? [0], nameof(padding)), Two(dilation ?? [1], nameof(dilation)));
    }

    /// <summary>libtorch's pooling_output_shape: with ceil mode the last window must start inside the input or its left padding.</summary>
    private static long OutputSize(long size, long k, long pad, long stride, long dilation, bool ceil)
    {
        long span = size + 2 * pad - dilation * (k - 1) - 1 + (ceil ? stride - 1 : 0);
        if (span < 0) return 0;
        long o = span / stride + 1;
        if (ceil && (o - 1) * stride >= size + pad) o--;
        return o;
    }

    private readonly record struct Geometry(long Planes, long H, long W, long Kh, long Kw, long Sh, long Sw, long Ph, long Pw, long Dh, long Dw, long Oh, long Ow);

    private static unsafe bool TryPositions(Tensor input, long[] k, long[] s, long[] p, long[] d, bool ceilMode, out Tensor? flat, out Tensor? perPlane, bool indices = true, int? partsWanted = null)
    {
        flat = perPlane = null;
        if (input.ndim != 4 || input.device_type != DeviceType.CPU || input.dtype is not (ScalarType.Float32 or ScalarType.Float64) || !input.is_contiguous()) return false;
        for (int a = 0; a < 2; a++)
            if (k[a] < 1 || s[a] < 1 || d[a] < 1 || p[a] < 0 || p[a] > k[a] / 2) return false;
        var (n, c, h, w) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3]);
        long oh = OutputSize(h, k[0], p[0], s[0], d[0], ceilMode), ow = OutputSize(w, k[1], p[1], s[1], d[1], ceilMode);
        if (h < 1 || w < 1 || oh < 1 || ow < 1 || n * c == 0) return false;
        var g = new Geometry(n * c, h, w, k[0], k[1], s[0], s[1], p[0], p[1], d[0], d[1], oh, ow);
        nint src = (nint)TensorData.Address(input);
        if (src == 0) return false;
        flat = empty([n, c, oh, ow], dtype: ScalarType.Int64);
        perPlane = indices ? empty([n, c, oh, ow], dtype: ScalarType.Int64) : null;
        nint dst = (nint)TensorData.Address(flat), planeDst = perPlane is null ? 0 : (nint)TensorData.Address(perPlane);
        if (dst == 0 || (perPlane is not null && planeDst == 0))
        {
            flat.Dispose();
            perPlane?.Dispose();
            flat = perPlane = null;
            return false;
        }
        bool single = input.dtype == ScalarType.Float32;
        // Planes split among libtorch's CPU threads, as its own kernel parallelises.
        long work = g.Planes * oh * ow * g.Kh * g.Kw;
        int parts = (int)Math.Min(Math.Max(1, partsWanted ?? (work < 1 << 16 ? 1 : get_num_threads())), g.Planes);
        void Run(long first, long count)
        {
            if (single) Argmax((float*)src, (long*)dst, (long*)planeDst, g, first, count);
            else Argmax((double*)src, (long*)dst, (long*)planeDst, g, first, count);
        }
        if (parts == 1) Run(0, g.Planes);
        else Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, part =>
        {
            long first = g.Planes * part / parts, last = g.Planes * (part + 1) / parts;
            Run(first, last - first);
        });
        return true;
    }

    /// <summary>
    /// Flat positions (into the whole input, and optionally into each plane) of each window's maximum,
    /// for planes [first, first + count). Written without branches on the values: on real data which
    /// element wins is unpredictable, and branch mispredictions made a branching loop (like
    /// libtorch's) five times slower. max = Max(max, v) is exact for the rule: it propagates NaN, and
    /// only the position is used.
    /// </summary>
    private static unsafe void Argmax<T>(T* src, long* dst, long* planeDst, Geometry g, long first, long count) where T : unmanaged, IFloatingPointIeee754<T>
    {
        long h = g.H, w = g.W, kh = g.Kh, kw = g.Kw, sh = g.Sh, sw = g.Sw, ph = g.Ph, pw = g.Pw, dh = g.Dh, dw = g.Dw, oh = g.Oh, ow = g.Ow;
        long plane = h * w, outPlane = oh * ow;
        bool twoByTwo = kh == 2 && kw == 2 && sh == 2 && sw == 2 && ph == 0 && pw == 0 && dh == 1 && dw == 1 && 2 * oh <= h && 2 * ow <= w;
        for (long pl = first; pl < first + count; pl++)
        {
            T* image = src + pl * plane;
            long offset = pl * plane;
            long* o = dst + pl * outPlane;
            if (twoByTwo) TwoByTwo(image, offset, w, oh, ow, o);
            else
            {
                long* q = o;
                for (long oy = 0; oy < oh; oy++)
                {
                    long y0 = oy * sh - ph, y1 = Math.Min(y0 + (kh - 1) * dh + 1, h);
                    while (y0 < 0) y0 += dh;
                    for (long ox = 0; ox < ow; ox++)
                    {
                        long x0 = ox * sw - pw, x1 = Math.Min(x0 + (kw - 1) * dw + 1, w);
                        while (x0 < 0) x0 += dw;
                        long best = y0 * w + x0;
                        T max = T.NegativeInfinity;
                        for (long y = y0; y < y1; y += dh)
                        {
                            T* line = image + y * w;
                            for (long x = x0; x < x1; x += dw)
                            {
                                T v = line[x];
                                long take = (v > max ? 1L : 0L) | (T.IsNaN(v) ? 1L : 0L);
                                best += take * (y * w + x - best);
                                max = T.Max(max, v);
                            }
                        }
                        *q++ = offset + best;
                    }
                }
            }
            if (planeDst != null)
            {
                long* r = planeDst + pl * outPlane;
                for (long i = 0; i < outPlane; i++) r[i] = o[i] - offset;
            }
        }
    }

    /// <summary>
    /// The common 2×2, stride-2 case as a tree: the better of each row's pair, then the better row.
    /// The rule "a later element wins if it is larger or NaN" gives the same winner in this order.
    /// </summary>
    private static unsafe void TwoByTwo<T>(T* image, long offset, long w, long oh, long ow, long* dst) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (long oy = 0; oy < oh; oy++)
        {
            T* r0 = image + 2 * oy * w;
            T* r1 = r0 + w;
            long rowStart = offset + 2 * oy * w;
            for (long ox = 0; ox < ow; ox++)
            {
                T a = r0[2 * ox], b = r0[2 * ox + 1], c = r1[2 * ox], d = r1[2 * ox + 1];
                long firstRow = (b > a ? 1L : 0L) | (T.IsNaN(b) ? 1L : 0L);
                long secondRow = w + ((d > c ? 1L : 0L) | (T.IsNaN(d) ? 1L : 0L));
                T m1 = T.Max(a, b), m2 = T.Max(c, d);
                long lower = (m2 > m1 ? 1L : 0L) | (T.IsNaN(m2) ? 1L : 0L);
                *dst++ = rowStart + 2 * ox + firstRow + lower * (secondRow - firstRow);
            }
        }
    }
}
