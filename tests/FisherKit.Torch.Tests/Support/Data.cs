namespace FisherKit.Torch.Tests.Support;

/// <summary>Deterministic float64 test inputs from a private generator (never the global one).</summary>
internal sealed class Data(long seed) : IDisposable
{
    private readonly Generator _g = new(seed);

    /// <summary>Standard normal values.</summary>
    public Tensor N(params long[] shape) => randn(shape, float64, generator: _g);

    /// <summary>Uniform values in [lo, hi).</summary>
    public Tensor U(double lo, double hi, params long[] shape)
    {
        using var u = rand(shape, float64, generator: _g);
        return u * (hi - lo) + lo;
    }

    /// <summary>Values with |x| in [lo, hi) and random sign: away from the kinks of abs, relu, sign.</summary>
    public Tensor AwayFromZero(double lo, double hi, params long[] shape)
    {
        using var mag = U(lo, hi, shape);
        using var coin = U(-1, 1, shape);
        using var s = coin.sign();
        return mag * s;
    }

    /// <summary>Integers uniform in [0, high), int64.</summary>
    public Tensor Int(long high, params long[] shape) => randint(0, high, shape, generator: _g);

    /// <summary>A random permutation of 0..n-1.</summary>
    public Tensor Perm(long n) => randperm(n, _g);

    /// <summary>A symmetric positive-definite n×n matrix with well separated eigenvalues.</summary>
    public Tensor Spd(long n)
    {
        using var scope = NewDisposeScope();
        var (q, _) = linalg.qr(N(n, n));
        var d = arange(1, n + 1, 1, float64) * 1.5;
        return scope.MoveToOuter((q * d).matmul(q.t()));
    }

    public void Dispose() => _g.Dispose();
}
