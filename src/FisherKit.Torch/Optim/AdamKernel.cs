using System.Numerics;
using static FisherKit.Torch.torch;

namespace FisherKit.Torch.Modules;

/// <summary>
/// The Adam/AdamW update of one parameter in a single pass over its memory (SIMD, C#), for
/// contiguous float32/float64 CPU tensors. libtorch needs six element-wise passes for the same
/// update; on large layers the step is bound by memory traffic, so one pass is markedly cheaper.
/// Arithmetic follows libtorch's kernels (lerp for the first moment, v·β₂ + (1−β₂)·g·g, √v + ε·c,
/// p − s·m/denom). Each changed tensor's version is bumped, so autograd still detects stale saved
/// tensors. Returns false (the caller uses tensor operations) for anything else.
/// </summary>
internal static class AdamKernel
{
    private readonly record struct Args(double Lr, double Beta1, double Beta2, double WeightDecay, bool Decoupled, bool AmsGrad, double StepSize, double EpsScaled);

    internal static unsafe bool TryStep(Tensor p, Tensor g, Tensor m, Tensor v, Tensor? vmax, double lr, double beta1, double beta2, double eps,
                                        double weightDecay, bool decoupled, double bc1, double bc2Sqrt)
    {
        var dt = p.dtype;
        if (dt is not (ScalarType.Float32 or ScalarType.Float64)) return false;
        foreach (var t in (Tensor?[])[p, g, m, v, vmax])
            if (t is not null && (t.dtype != dt || t.device.type != DeviceType.CPU || !t.is_contiguous())) return false;
        long n = p.numel();
        if (g.numel() != n || m.numel() != n || v.numel() != n) return false;
        var a = new Args(lr, beta1, beta2, weightDecay, decoupled, vmax is not null, lr * bc2Sqrt / bc1, eps * bc2Sqrt);
        nint pp = (nint)p.DataPointer, pg = (nint)g.DataPointer, pm = (nint)m.DataPointer, pv = (nint)v.DataPointer;
        nint px = vmax is null ? 0 : (nint)vmax.DataPointer;
        var threads = get_num_threads();
        const long grain = 1 << 16;
        if (threads > 1 && n >= 2 * grain)
        {
            long chunks = Math.Min(threads, n / grain), per = (n + chunks - 1) / chunks;
            Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads }, c =>
                Run(dt, pp, pg, pm, pv, px, c * per, Math.Min(n, (c + 1) * per), a));
        }
        else Run(dt, pp, pg, pm, pv, px, 0, n, a);
        p.BumpVersion();
        m.BumpVersion();
        v.BumpVersion();
        vmax?.BumpVersion();
        return true;
    }

    private static unsafe void Run(ScalarType dt, nint p, nint g, nint m, nint v, nint vmax, long start, long end, Args a)
    {
        if (dt == ScalarType.Float32) Run((float*)p, (float*)g, (float*)m, (float*)v, (float*)vmax, start, end, a);
        else Run((double*)p, (double*)g, (double*)m, (double*)v, (double*)vmax, start, end, a);
    }

    private static unsafe void Run<T>(T* p, T* g, T* m, T* v, T* vmax, long start, long end, Args a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T w = T.CreateTruncating(1 - a.Beta1), b2 = T.CreateTruncating(a.Beta2), c2 = T.CreateTruncating(1 - a.Beta2);
        T wd = T.CreateTruncating(a.WeightDecay), decay = T.CreateTruncating(1 - a.Lr * a.WeightDecay);
        T negStep = T.CreateTruncating(-a.StepSize), epsS = T.CreateTruncating(a.EpsScaled), oneMinusW = T.One - w;
        bool l2 = a.WeightDecay != 0 && !a.Decoupled, dec = a.WeightDecay != 0 && a.Decoupled, low = 1 - a.Beta1 < 0.5;
        long i = start;
        if (Vector.IsHardwareAccelerated)
        {
            var vw = new Vector<T>(w); var vb2 = new Vector<T>(b2); var vc2 = new Vector<T>(c2); var vwd = new Vector<T>(wd);
            var vdecay = new Vector<T>(decay); var vneg = new Vector<T>(negStep); var veps = new Vector<T>(epsS); var vomw = new Vector<T>(oneMinusW);
            for (; i + Vector<T>.Count <= end; i += Vector<T>.Count)
            {
                var pi = Vector.Load(p + i);
                var gi = Vector.Load(g + i);
                if (l2) gi += pi * vwd;
                if (dec) pi *= vdecay;
                var mi = Vector.Load(m + i);
                mi = low ? mi + vw * (gi - mi) : gi - (gi - mi) * vomw;
                var vi = Vector.Load(v + i) * vb2 + vc2 * gi * gi;
                var vd = vi;
                if (a.AmsGrad)
                {
                    vd = Vector.Max(Vector.Load(vmax + i), vi);
                    vd.Store(vmax + i);
                }
                pi += vneg * (mi / (Vector.SquareRoot(vd) + veps));
                pi.Store(p + i);
                mi.Store(m + i);
                vi.Store(v + i);
            }
        }
        for (; i < end; i++)
        {
            T pi = p[i], gi = g[i];
            if (l2) gi += pi * wd;
            if (dec) pi *= decay;
            T mi = low ? m[i] + w * (gi - m[i]) : gi - (gi - m[i]) * oneMinusW;
            T vi = v[i] * b2 + c2 * gi * gi;
            T vd = vi;
            if (a.AmsGrad) vmax[i] = vd = T.Max(vmax[i], vi);
            p[i] = pi + negStep * (mi / (T.Sqrt(vd) + epsS));
            m[i] = mi;
            v[i] = vi;
        }
    }
}
