using static FisherKit.Torch.torch;

namespace FisherKit.Torch;

/// <summary>
/// 2-D max pooling for contiguous float32/float64 CPU inputs: the position of each window's maximum
/// is found in C#, and the output is index_select of the flattened input at those positions (its
/// backward, index_add, is fast; gather's scatter-add backward took 18 ms for the batch below), so autograd
/// routes the gradient exactly as libtorch's max_pool2d does (all of it to the chosen position,
/// accumulated where windows overlap) and double backward works. The position rule is libtorch's:
/// the first maximum in row-major window order, and the last NaN if the window holds one.
/// libtorch 1.13's CPU max_pool2d takes five times longer for the same work (10 ms against 2 ms for
/// a 64×64×24×24 batch here, a sixth of a whole CNN forward pass). Returns false (the caller uses
/// libtorch, which also names invalid arguments) for anything else.
/// </summary>
internal static class MaxPoolKernel
{
    internal static bool TryPool(Tensor input, long[] kernel, long[] stride, long[] padding, long[] dilation, bool ceilMode, out Tensor? result)
    {
        result = null;
        if (!TryPositions(input, kernel, stride, padding, dilation, ceilMode, perPlane: false, out var positions)) return false;
        using (positions)
        using (var flat = input.reshape(-1))
        using (var picked = flat.index_select(0, positions!.reshape(-1)))
            result = picked.view(positions.shape);
        return true;
    }

    /// <summary>max_pool2d_with_indices: the values and, per (N, C) plane, the flat position h·W + w of each maximum (libtorch's indices).</summary>
    internal static bool TryPoolWithIndices(Tensor input, long[] kernel, long[] stride, long[] padding, long[] dilation, bool ceilMode, out Tensor? values, out Tensor? indices)
    {
        values = null;
        if (!TryPositions(input, kernel, stride, padding, dilation, ceilMode, perPlane: true, out indices)) return false;
        using var flat = input.flatten(2);
        using var picked = flat.gather(2, indices!.flatten(2));
        values = picked.view(indices.shape);
        return true;
    }

    /// <summary>Positions of the maxima, shaped like the output (N, C, Ho, Wo): into the flattened input, or with <paramref name="perPlane"/> into each plane.</summary>
    private static unsafe bool TryPositions(Tensor input, long[] kernel, long[] stride, long[] padding, long[] dilation, bool ceilMode, bool perPlane, out Tensor? positions)
    {
        positions = null;
        if (input.ndim != 4 || input.device.type != DeviceType.CPU || input.dtype is not (ScalarType.Float32 or ScalarType.Float64) || !input.is_contiguous()) return false;
        for (int a = 0; a < 2; a++)
            if (kernel[a] < 1 || stride[a] < 1 || dilation[a] < 1 || padding[a] < 0 || padding[a] > ((kernel[a] - 1) * dilation[a] + 1) / 2) return false;
        var (n, c, h, w) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3]);
        long oh = OutputSize(h, kernel[0], padding[0], stride[0], dilation[0], ceilMode);
        long ow = OutputSize(w, kernel[1], padding[1], stride[1], dilation[1], ceilMode);
        if (h < 1 || w < 1 || oh < 1 || ow < 1 || n * c == 0) return false;
        var result = empty([n, c, oh, ow], dtype: int64);
        var g = new Geometry(n * c, h, w, kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1], dilation[0], dilation[1], oh, ow, perPlane);
        if (input.dtype == ScalarType.Float32) Argmax((float*)input.DataPointer, (long*)result.DataPointer, g);
        else Argmax((double*)input.DataPointer, (long*)result.DataPointer, g);
        positions = result;
        return true;
    }

    /// <summary>libtorch's pooling_output_shape: the last window must start inside the input or its left padding.</summary>
    private static long OutputSize(long size, long k, long pad, long stride, long dilation, bool ceil)
    {
        long span = size + 2 * pad - dilation * (k - 1) - 1 + (ceil ? stride - 1 : 0);
        if (span < 0) return 0;
        long o = span / stride + 1;
        if (ceil && (o - 1) * stride >= size + pad) o--;
        return o;
    }

    private readonly record struct Geometry(long Planes, long H, long W, long Kh, long Kw, long Sh, long Sw, long Ph, long Pw, long Dh, long Dw, long Oh, long Ow, bool PerPlane);

    /// <summary>
    /// Flat positions (into the whole input, or into each plane) of each window's maximum. Written without branches
    /// on the values: on real data which element wins is unpredictable, and branch mispredictions
    /// made a branching loop (like libtorch's) five times slower. max = Max(max, v) is exact here:
    /// it propagates NaN as the rule does, and only the position is used.
    /// </summary>
    private static unsafe void Argmax<T>(T* src, long* dst, Geometry g) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        long h = g.H, w = g.W, kh = g.Kh, kw = g.Kw, sh = g.Sh, sw = g.Sw, ph = g.Ph, pw = g.Pw, dh = g.Dh, dw = g.Dw, oh = g.Oh, ow = g.Ow;
        long plane = h * w;
        bool twoByTwo = kh == 2 && kw == 2 && sh == 2 && sw == 2 && ph == 0 && pw == 0 && dh == 1 && dw == 1 && 2 * oh <= h && 2 * ow <= w;
        for (long pl = 0; pl < g.Planes; pl++)
        {
            T* image = src + pl * plane;
            long offset = g.PerPlane ? 0 : pl * plane;
            if (twoByTwo)
            {
                TwoByTwo(image, offset, w, oh, ow, dst);
                dst += oh * ow;
                continue;
            }
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
                    *dst++ = offset + best;
                }
            }
        }
    }

    /// <summary>
    /// The common 2×2, stride-2 case as a tree: the better of each row's pair, then the better row.
    /// The rule "a later element wins if it is larger or NaN" gives the same winner in this order.
    /// </summary>
    private static unsafe void TwoByTwo<T>(T* image, long offset, long w, long oh, long ow, long* dst) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        for (long oy = 0; oy < oh; oy++)
        {
            T* r0 = image + 2 * oy * w;
            T* r1 = r0 + w;
            long rowStart = offset + 2 * oy * w;
            for (long ox = 0; ox < ow; ox++)
            {
                T a = r0[2 * ox], b = r0[2 * ox + 1], c = r1[2 * ox], d = r1[2 * ox + 1];
                long first = (b > a ? 1L : 0L) | (T.IsNaN(b) ? 1L : 0L);
                long second = w + ((d > c ? 1L : 0L) | (T.IsNaN(d) ? 1L : 0L));
                T m1 = T.Max(a, b), m2 = T.Max(c, d);
                long lower = (m2 > m1 ? 1L : 0L) | (T.IsNaN(m2) ? 1L : 0L);
                *dst++ = rowStart + 2 * ox + first + lower * (second - first);
            }
        }
    }
}
