namespace FisherKit.Torch;

public static partial class torch
{
    /// <summary>Element types; the values are libtorch's c10::ScalarType codes.</summary>
    public enum ScalarType : sbyte
    {
        /// <summary>8-bit unsigned integer.</summary>
        Byte = 0,
        /// <summary>8-bit signed integer.</summary>
        Int8 = 1,
        /// <summary>16-bit signed integer.</summary>
        Int16 = 2,
        /// <summary>32-bit signed integer.</summary>
        Int32 = 3,
        /// <summary>64-bit signed integer (indices, labels).</summary>
        Int64 = 4,
        /// <summary>IEEE half precision.</summary>
        Float16 = 5,
        /// <summary>IEEE single precision (the default).</summary>
        Float32 = 6,
        /// <summary>IEEE double precision (reference computations).</summary>
        Float64 = 7,
        /// <summary>Boolean.</summary>
        Bool = 11,
        /// <summary>bfloat16.</summary>
        BFloat16 = 15,
    }

    /// <summary>32-bit float (PyTorch's torch.float32).</summary>
    public static readonly ScalarType float32 = ScalarType.Float32;
    /// <summary>64-bit float (torch.float64).</summary>
    public static readonly ScalarType float64 = ScalarType.Float64;
    /// <summary>16-bit float (torch.float16).</summary>
    public static readonly ScalarType float16 = ScalarType.Float16;
    /// <summary>64-bit integer (torch.int64).</summary>
    public static readonly ScalarType int64 = ScalarType.Int64;
    /// <summary>32-bit integer (torch.int32).</summary>
    public static readonly ScalarType int32 = ScalarType.Int32;
    /// <summary>8-bit unsigned integer (torch.uint8).</summary>
    public static readonly ScalarType uint8 = ScalarType.Byte;
    /// <summary>Boolean (torch.bool).</summary>
    public static readonly ScalarType @bool = ScalarType.Bool;

    private static ScalarType _defaultDtype = ScalarType.Float32;

    /// <summary>The dtype tensors are created with when none is given (float32 unless changed).</summary>
    public static ScalarType get_default_dtype() => _defaultDtype;

    /// <summary>Sets the dtype that creation functions use when none is given (torch.set_default_dtype).</summary>
    public static void set_default_dtype(ScalarType dtype)
    {
        if (!dtype.IsFloatingPoint()) throw new ArgumentException($"The default dtype must be a floating-point type, got {dtype}.", nameof(dtype));
        _defaultDtype = dtype;
    }

    /// <summary>Size in bytes of one element.</summary>
    public static int ElementSize(this ScalarType t) => t switch
    {
        ScalarType.Byte or ScalarType.Int8 or ScalarType.Bool => 1,
        ScalarType.Int16 or ScalarType.Float16 or ScalarType.BFloat16 => 2,
        ScalarType.Int32 or ScalarType.Float32 => 4,
        ScalarType.Int64 or ScalarType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(t), t, "unknown dtype"),
    };

    /// <summary>True for float16, bfloat16, float32 and float64.</summary>
    public static bool IsFloatingPoint(this ScalarType t) =>
        t is ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Float32 or ScalarType.Float64;

    /// <summary>PyTorch spelling of a dtype, e.g. "float32".</summary>
    public static string Name(this ScalarType t) => t switch
    {
        ScalarType.Byte => "uint8",
        ScalarType.Int8 => "int8",
        ScalarType.Int16 => "int16",
        ScalarType.Int32 => "int32",
        ScalarType.Int64 => "int64",
        ScalarType.Float16 => "float16",
        ScalarType.Float32 => "float32",
        ScalarType.Float64 => "float64",
        ScalarType.Bool => "bool",
        ScalarType.BFloat16 => "bfloat16",
        _ => t.ToString(),
    };

    /// <summary>The dtype that holds .NET type <typeparamref name="T"/>.</summary>
    public static ScalarType DTypeOf<T>() where T : unmanaged =>
        typeof(T) == typeof(float) ? ScalarType.Float32 :
        typeof(T) == typeof(double) ? ScalarType.Float64 :
        typeof(T) == typeof(long) ? ScalarType.Int64 :
        typeof(T) == typeof(int) ? ScalarType.Int32 :
        typeof(T) == typeof(bool) ? ScalarType.Bool :
        typeof(T) == typeof(byte) ? ScalarType.Byte :
        typeof(T) == typeof(sbyte) ? ScalarType.Int8 :
        typeof(T) == typeof(short) ? ScalarType.Int16 :
        typeof(T) == typeof(Half) ? ScalarType.Float16 :
        throw new NotSupportedException($"No tensor dtype holds {typeof(T).Name}.");
}
