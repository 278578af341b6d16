using System.Globalization;
using System.Text;
using FisherKit.Torch.Native;

namespace FisherKit.Torch;

public static partial class torch
{
    public partial class Tensor
    {
        /// <summary>
        /// Copies the elements, in row-major order, into a new .NET array. The tensor's dtype must
        /// hold <typeparamref name="T"/> exactly (convert first with <see cref="to(ScalarType, bool)"/>).
        /// Works for any device and layout (the copy goes through a contiguous CPU tensor).
        /// </summary>
        public unsafe T[] ToArray<T>() where T : unmanaged
        {
            var want = DTypeOf<T>();
            var have = dtype;
            if (want != have)
                throw new ArgumentException($"ToArray<{typeof(T).Name}> needs a {want.Name()} tensor, but this tensor is {have.Name()}; convert it first, e.g. x.to({want.Name()}).");
            var result = new T[numel()];
            fixed (T* p = result)
                Status.Check(NativeMethods.fk_tensor_copy_to(Handle, p, (long)result.Length * sizeof(T)));
            return result;
        }

        /// <summary>The value of a one-element tensor, converted to <typeparamref name="T"/>.</summary>
        public unsafe T item<T>() where T : unmanaged
        {
            var n = numel();
            if (n != 1) throw new ArgumentException($"item() needs a tensor with exactly one element, but this one has shape {ShapeString(shape)}.");
            if (typeof(T) == typeof(long) || typeof(T) == typeof(int))
            {
                long v;
                Status.Check(NativeMethods.fk_tensor_item_i64(Handle, &v));
                return typeof(T) == typeof(long) ? (T)(object)v : (T)(object)checked((int)v);
            }
            double d;
            Status.Check(NativeMethods.fk_tensor_item(Handle, &d));
            if (typeof(T) == typeof(double)) return (T)(object)d;
            if (typeof(T) == typeof(float)) return (T)(object)(float)d;
            if (typeof(T) == typeof(bool)) return (T)(object)(d != 0);
            throw new NotSupportedException($"item<{typeof(T).Name}> is not supported; use double, float, long, int or bool.");
        }

        /// <summary>The value of a one-element tensor as double.</summary>
        public double item() => item<double>();

        /// <summary>Elements as doubles (any numeric dtype), row-major.</summary>
        public double[] ToDoubleArray()
        {
            if (dtype == ScalarType.Float64) return ToArray<double>();
            using var d = to(ScalarType.Float64);
            return d.ToArray<double>();
        }

        /// <summary>
        /// A readable summary: shape, dtype, device, gradient flag and the leading values, e.g.
        /// <c>tensor([[0.1, 0.2], [0.3, 0.4]], shape=[2, 2], dtype=float32, device=cpu)</c>.
        /// Large tensors show their first and last three entries along each dimension.
        /// </summary>
        public override string ToString()
        {
            if (IsDisposed) return "tensor(<disposed>)";
            var s = shape;
            var sb = new StringBuilder("tensor(");
            try
            {
                var dt = dtype;
                double[] values;
                using (NoGradGuard())
                using (var flat = dt == ScalarType.Float64 ? detach() : to(ScalarType.Float64))
                    values = flat.ToArray<double>();
                bool summarise = values.Length > 1000;
                bool integral = !dt.IsFloatingPoint();
                AppendValues(sb, values, s, 0, 0, summarise, integral, dt == ScalarType.Bool);
            }
            catch (Exception e) when (e is ITorchException)
            {
                sb.Append("<values unavailable: ").Append(e.Message).Append('>');
            }
            sb.Append(", shape=").Append(ShapeString(s)).Append(", dtype=").Append(dtype.Name()).Append(", device=").Append(device);
            if (requires_grad) sb.Append(", requires_grad=True");
            return sb.Append(')').ToString();
        }

        private static void AppendValues(StringBuilder sb, double[] v, long[] shape, int dim, long offset, bool summarise, bool integral, bool boolean)
        {
            if (shape.Length == 0)
            {
                sb.Append(Format(v[offset], integral, boolean));
                return;
            }
            long stride = 1;
            for (int d = dim + 1; d < shape.Length; d++) stride *= shape[d];
            long n = shape[dim];
            sb.Append('[');
            for (long i = 0; i < n; i++)
            {
                if (summarise && n > 6 && i == 3)
                {
                    sb.Append("..., ");
                    i = n - 3;
                }
                if (dim == shape.Length - 1) sb.Append(Format(v[offset + i], integral, boolean));
                else AppendValues(sb, v, shape, dim + 1, offset + i * stride, summarise, integral, boolean);
                if (i < n - 1) sb.Append(", ");
            }
            sb.Append(']');
        }

        private static string Format(double x, bool integral, bool boolean) =>
            boolean ? (x != 0 ? "True" : "False") :
            integral ? ((long)x).ToString(CultureInfo.InvariantCulture) :
            double.IsNaN(x) ? "nan" : double.IsPositiveInfinity(x) ? "inf" : double.IsNegativeInfinity(x) ? "-inf" :
            x.ToString("G5", CultureInfo.InvariantCulture);
    }
}
