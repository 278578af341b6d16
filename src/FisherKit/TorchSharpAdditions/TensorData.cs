using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.TorchSharpAdditions;

/// <summary>Copies tensor elements into .NET arrays, from any device and layout.</summary>
public static class TensorData
{
    /// <summary>
    /// The elements in row-major order as a new array. The dtype must hold <typeparamref name="T"/>
    /// exactly (convert first, e.g. <c>x.to(float64)</c>); a CUDA or non-contiguous tensor is copied
    /// through a contiguous CPU tensor. TorchSharp's own <c>data&lt;T&gt;()</c> needs a CPU tensor.
    /// </summary>
    public static T[] ToArray<T>(this Tensor t) where T : unmanaged
    {
        TensorChecks.Alive(t, nameof(t));
        var want = DTypeOf<T>();
        if (t.dtype != want)
            throw new ArgumentException($"ToArray<{typeof(T).Name}> needs a {want} tensor, but this tensor is {t.dtype}; convert it first, e.g. x.to({want}).");
        if (t.numel() == 0) return [];          // TorchSharp's accessor fails on an empty tensor
        if (t.device_type == DeviceType.CPU && t.is_contiguous())
        {
            using var direct = t.data<T>();
            return direct.ToArray();
        }
        using var scope = NewDisposeScope();
        using var copy = t.detach().cpu().contiguous();
        using var data = copy.data<T>();
        return data.ToArray();
    }

    /// <summary>The elements as doubles (any real dtype), row-major.</summary>
    public static double[] ToDoubleArray(this Tensor t)
    {
        TensorChecks.Alive(t, nameof(t));
        if (t.dtype == ScalarType.Float64) return t.ToArray<double>();
        using var detached = t.detach();
        using var d = detached.to(ScalarType.Float64);
        return d.ToArray<double>();
    }

    /// <summary>
    /// The address of the elements of a contiguous CPU tensor (TorchSharp's <c>bytes</c> span lies over
    /// the tensor's own memory), or null where there is none to hand out: another device, a
    /// non-contiguous or empty tensor, or one of 2 GiB or more (the span's length is an int). Valid while
    /// the tensor lives; FisherKit's kernels read and write through it.
    /// </summary>
    internal static unsafe void* Address(Tensor t)
    {
        if (t.device_type != DeviceType.CPU || !t.is_contiguous() || t.numel() == 0 || t.numel() * t.element_size() > int.MaxValue) return null;
        fixed (byte* p = t.bytes) return p;
    }

    private static ScalarType DTypeOf<T>() =>
        typeof(T) == typeof(float) ? ScalarType.Float32 :
        typeof(T) == typeof(double) ? ScalarType.Float64 :
        typeof(T) == typeof(long) ? ScalarType.Int64 :
        typeof(T) == typeof(int) ? ScalarType.Int32 :
        typeof(T) == typeof(short) ? ScalarType.Int16 :
        typeof(T) == typeof(byte) ? ScalarType.Byte :
        typeof(T) == typeof(sbyte) ? ScalarType.Int8 :
        typeof(T) == typeof(bool) ? ScalarType.Bool :
        throw new NotSupportedException($"ToArray<{typeof(T).Name}> is not supported; use float, double, long, int, short, byte, sbyte or bool.");
}
