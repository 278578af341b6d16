using FisherKit.Torch.Native;

namespace FisherKit.Torch;

public static partial class torch
{
    private static (int dtype, int devType, int devIndex) Options(ScalarType? dtype, Device? device)
    {
        var dev = (device ?? CPU).EnsureAvailable();
        return ((int)(dtype ?? _defaultDtype), (int)dev.type, dev.index);
    }

    private static void CheckShape(long[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        foreach (var s in shape)
            if (s < 0) throw new ArgumentException($"Shape {Tensor.ShapeString(shape)} has a negative size.", nameof(shape));
    }

    /// <summary>A tensor filled with zeros.</summary>
    public static unsafe Tensor zeros(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        CheckShape(size);
        var o = Options(dtype, device);
        fixed (long* p = size)
            return Tensor.Wrap(NativeMethods.fk_zeros(p, size.Length, o.dtype, o.devType, o.devIndex, requires_grad ? 1 : 0, out var r), r);
    }

    /// <summary>A tensor filled with zeros.</summary>
    public static Tensor zeros(params long[] size) => zeros(size, null);

    /// <summary>A tensor filled with ones.</summary>
    public static unsafe Tensor ones(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        CheckShape(size);
        var o = Options(dtype, device);
        fixed (long* p = size)
            return Tensor.Wrap(NativeMethods.fk_ones(p, size.Length, o.dtype, o.devType, o.devIndex, requires_grad ? 1 : 0, out var r), r);
    }

    /// <summary>A tensor filled with ones.</summary>
    public static Tensor ones(params long[] size) => ones(size, null);

    /// <summary>An uninitialised tensor (contents arbitrary).</summary>
    public static unsafe Tensor empty(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        CheckShape(size);
        var o = Options(dtype, device);
        fixed (long* p = size)
            return Tensor.Wrap(NativeMethods.fk_empty(p, size.Length, o.dtype, o.devType, o.devIndex, requires_grad ? 1 : 0, out var r), r);
    }

    /// <summary>A tensor filled with <paramref name="value"/>.</summary>
    public static unsafe Tensor full(long[] size, double value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        CheckShape(size);
        var o = Options(dtype, device);
        fixed (long* p = size)
            return Tensor.Wrap(NativeMethods.fk_full(p, size.Length, value, o.dtype, o.devType, o.devIndex, requires_grad ? 1 : 0, out var r), r);
    }

    /// <summary>Zeros with the shape, dtype and device of <paramref name="other"/>.</summary>
    public static Tensor zeros_like(Tensor other, ScalarType? dtype = null, bool requires_grad = false) => zeros(other.shape, dtype ?? other.dtype, other.device, requires_grad);

    /// <summary>Ones with the shape, dtype and device of <paramref name="other"/>.</summary>
    public static Tensor ones_like(Tensor other, ScalarType? dtype = null, bool requires_grad = false) => ones(other.shape, dtype ?? other.dtype, other.device, requires_grad);

    /// <summary>A constant with the shape, dtype and device of <paramref name="other"/>.</summary>
    public static Tensor full_like(Tensor other, double value, ScalarType? dtype = null) => full(other.shape, value, dtype ?? other.dtype, other.device);

    /// <summary>Standard normal samples with the shape, dtype and device of <paramref name="other"/>.</summary>
    public static Tensor randn_like(Tensor other, Generator? generator = null) => randn(other.shape, other.dtype, other.device, generator: generator);

    /// <summary>Uniform [0,1) samples with the shape, dtype and device of <paramref name="other"/>.</summary>
    public static Tensor rand_like(Tensor other, Generator? generator = null) => rand(other.shape, other.dtype, other.device, generator: generator);

    /// <summary>The n×m identity matrix (m defaults to n).</summary>
    public static unsafe Tensor eye(long n, long m = -1, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n), n, "eye needs n >= 0.");
        var (dt, type, index) = Options(dtype, device);
        return Tensor.Wrap(NativeMethods.fk_eye(n, m < 0 ? n : m, dt, type, index, requires_grad ? 1 : 0, out var r), r);
    }

    /// <summary>Values start, start+step, ... below end. Integer arguments give int64 unless a dtype is given.</summary>
    public static unsafe Tensor arange(double start, double end, double step = 1, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        if (step == 0) throw new ArgumentException("arange needs a non-zero step.", nameof(step));
        var (dt, type, index) = Options(dtype, device);
        return Tensor.Wrap(NativeMethods.fk_arange(start, end, step, dt, type, index, requires_grad ? 1 : 0, out var r), r);
    }

    /// <summary>0, 1, ..., end-1 as int64.</summary>
    public static Tensor arange(long end, Device? device = null) => arange(0, end, 1, ScalarType.Int64, device);

    /// <summary>start, start+step, ... below end as int64.</summary>
    public static Tensor arange(long start, long end, long step = 1, Device? device = null) => arange(start, end, (double)step, ScalarType.Int64, device);

    /// <summary><paramref name="steps"/> evenly spaced values from start to end inclusive.</summary>
    public static unsafe Tensor linspace(double start, double end, long steps, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        if (steps < 0) throw new ArgumentOutOfRangeException(nameof(steps), steps, "linspace needs steps >= 0.");
        var (dt, type, index) = Options(dtype, device);
        return Tensor.Wrap(NativeMethods.fk_linspace(start, end, steps, dt, type, index, requires_grad ? 1 : 0, out var r), r);
    }

    /// <summary>Uniform samples in [0, 1).</summary>
    public static unsafe Tensor rand(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, Generator? generator = null)
    {
        CheckShape(size);
        var o = Options(dtype, device);
        fixed (long* p = size)
            return Tensor.Wrap(NativeMethods.fk_rand(p, size.Length, Generator.HandleOf(generator), o.dtype, o.devType, o.devIndex, requires_grad ? 1 : 0, out var r), r);
    }

    /// <summary>Uniform samples in [0, 1).</summary>
    public static Tensor rand(params long[] size) => rand(size, null);

    /// <summary>Standard normal samples.</summary>
    public static unsafe Tensor randn(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, Generator? generator = null)
    {
        CheckShape(size);
        var o = Options(dtype, device);
        fixed (long* p = size)
            return Tensor.Wrap(NativeMethods.fk_randn(p, size.Length, Generator.HandleOf(generator), o.dtype, o.devType, o.devIndex, requires_grad ? 1 : 0, out var r), r);
    }

    /// <summary>Standard normal samples.</summary>
    public static Tensor randn(params long[] size) => randn(size, null);

    /// <summary>Integers uniform in [low, high), int64 unless a dtype is given.</summary>
    public static unsafe Tensor randint(long low, long high, long[] size, ScalarType? dtype = null, Device? device = null, Generator? generator = null)
    {
        if (high <= low) throw new ArgumentException($"randint needs low < high, got [{low}, {high}).");
        CheckShape(size);
        var o = Options(dtype ?? ScalarType.Int64, device);
        fixed (long* p = size)
            return Tensor.Wrap(NativeMethods.fk_randint(low, high, p, size.Length, Generator.HandleOf(generator), o.dtype, o.devType, o.devIndex, 0, out var r), r);
    }

    /// <summary>Integers uniform in [0, high).</summary>
    public static Tensor randint(long high, long[] size, Generator? generator = null) => randint(0, high, size, generator: generator);

    /// <summary>A random permutation of 0..n-1 (int64).</summary>
    public static unsafe Tensor randperm(long n, Generator? generator = null, Device? device = null)
    {
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n), n, "randperm needs n >= 0.");
        var (dt, type, index) = Options(ScalarType.Int64, device);
        return Tensor.Wrap(NativeMethods.fk_randperm(n, Generator.HandleOf(generator), dt, type, index, 0, out var r), r);
    }

    /// <summary>Bernoulli draws with probabilities <paramref name="p"/> (same shape).</summary>
    public static Tensor bernoulli(Tensor p, Generator? generator = null) =>
        Tensor.Wrap(NativeMethods.fk_bernoulli(p.Handle, Generator.HandleOf(generator), out var r), r);

    /// <summary>Draws <paramref name="num_samples"/> category indices per row of (unnormalised) probabilities.</summary>
    public static Tensor multinomial(Tensor probs, long num_samples, bool replacement = false, Generator? generator = null) =>
        Tensor.Wrap(NativeMethods.fk_multinomial(probs.Handle, num_samples, replacement ? 1 : 0, Generator.HandleOf(generator), out var r), r);

    // ---- from .NET data ----

    /// <summary>A tensor holding a copy of <paramref name="data"/> with the given shape (default: 1-D).</summary>
    public static unsafe Tensor tensor<T>(T[] data, long[]? shape = null, Device? device = null, bool requires_grad = false) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(data);
        shape ??= [data.LongLength];
        CheckShape(shape);
        long count = 1;
        foreach (var s in shape) count *= s;
        if (count != data.LongLength)
            throw new ArgumentException($"Shape {Tensor.ShapeString(shape)} holds {count} elements but the array has {data.LongLength}.", nameof(shape));
        var dev = (device ?? CPU).EnsureAvailable();
        Tensor t;
        fixed (T* src = data)
        fixed (long* p = shape)
            t = Tensor.Wrap(NativeMethods.fk_tensor_from_data(src, data.LongLength * sizeof(T), p, shape.Length, (int)DTypeOf<T>(), (int)dev.type, dev.index, out var r), r);
        if (requires_grad) t.requires_grad = true;
        return t;
    }

    /// <summary>A tensor holding a copy of a .NET array of any rank (float[,], double[,,], ...).</summary>
    public static unsafe Tensor tensor(Array data, Device? device = null, bool requires_grad = false)
    {
        ArgumentNullException.ThrowIfNull(data);
        var shape = new long[data.Rank];
        for (int d = 0; d < data.Rank; d++) shape[d] = data.GetLongLength(d);
        var et = data.GetType().GetElementType()!;
        return et switch
        {
            _ when et == typeof(float) => tensor(Flatten<float>(data), shape, device, requires_grad),
            _ when et == typeof(double) => tensor(Flatten<double>(data), shape, device, requires_grad),
            _ when et == typeof(long) => tensor(Flatten<long>(data), shape, device, requires_grad),
            _ when et == typeof(int) => tensor(Flatten<int>(data), shape, device, requires_grad),
            _ when et == typeof(bool) => tensor(Flatten<bool>(data), shape, device, requires_grad),
            _ when et == typeof(byte) => tensor(Flatten<byte>(data), shape, device, requires_grad),
            _ => throw new NotSupportedException($"No tensor dtype holds {et.Name}."),
        };
    }

    private static T[] Flatten<T>(Array data) where T : unmanaged
    {
        var flat = new T[data.LongLength];
        long i = 0;
        foreach (T v in data) flat[i++] = v;
        return flat;
    }

    /// <summary>A 0-dimensional tensor holding one value.</summary>
    public static Tensor scalar_tensor(double value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        full([], value, dtype, device, requires_grad);
}
