using System.Numerics;
using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Bench;

/// <summary>
/// The old FisherKit's custom 2×2 max pooling (for the comparison only): the position of each
/// window's maximum found in C# without branches on the values, then index_select of the flattened
/// input (differentiable, so autograd routes the gradient as libtorch's max_pool2d does). libtorch's
/// rule: the first maximum in row-major window order, the last NaN if the window holds one.
/// Contiguous float32 (N, C, H, W) with even-sized planes only.
/// </summary>
internal static class MaxPoolKernel
{
    internal static Tensor Pool2x2(Tensor input)
    {
        using var positions = Positions2x2(input, perPlane: false);
        using var flat = input.reshape(-1);
        using var picked = flat.index_select(0, positions.reshape(-1));
        return picked.view(positions.shape);
    }

    /// <summary>Positions of the maxima (N, C, H/2, W/2): into the flattened input, or with <paramref name="perPlane"/> into each plane (libtorch's indices).</summary>
    internal static unsafe Tensor Positions2x2(Tensor input, bool perPlane)
    {
        if (input.ndim != 4 || input.dtype != ScalarType.Float32 || !input.is_contiguous() || input.shape[2] % 2 != 0 || input.shape[3] % 2 != 0)
            throw new ArgumentException("Positions2x2 takes contiguous float32 (N, C, H, W) with even H and W.");
        var (n, c, h, w) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3]);
        long oh = h / 2, ow = w / 2;
        var result = empty([n, c, oh, ow], dtype: int64);
        fixed (byte* sb = input.bytes, db = result.bytes)
        {
            float* src = (float*)sb;
            long* dst = (long*)db;
            for (long pl = 0; pl < n * c; pl++)
            {
                float* image = src + pl * h * w;
                long offset = perPlane ? 0 : pl * h * w;
                for (long oy = 0; oy < oh; oy++)
                {
                    float* r0 = image + 2 * oy * w;
                    float* r1 = r0 + w;
                    long rowStart = offset + 2 * oy * w;
                    for (long ox = 0; ox < ow; ox++)
                    {
                        float a = r0[2 * ox], b = r0[2 * ox + 1], cc = r1[2 * ox], d = r1[2 * ox + 1];
                        long first = (b > a ? 1L : 0L) | (float.IsNaN(b) ? 1L : 0L);
                        long second = w + ((d > cc ? 1L : 0L) | (float.IsNaN(d) ? 1L : 0L));
                        float m1 = MathF.Max(a, b), m2 = MathF.Max(cc, d);
                        long lower = (m2 > m1 ? 1L : 0L) | (float.IsNaN(m2) ? 1L : 0L);
                        *dst++ = rowStart + 2 * ox + first + lower * (second - first);
                    }
                }
            }
        }
        return result;
    }
}
