using FisherKit.Torch.Native;

namespace FisherKit.Torch;

// Elementwise binary arithmetic and comparisons with broadcasting; scalars pass as doubles (no
// hidden native allocation for them). An integral double acts as a Python int (an int64 tensor stays
// int64 under x + 1 or x * 2), any other value as a Python float (x * 0.5 promotes to floating
// point). In-place variants end with an underscore.
public static partial class torch
{
    public partial class Tensor
    {
        /// <summary>this + alpha·other.</summary>
        public Tensor add(Tensor other, double alpha = 1) => Wrap(NativeMethods.fk_add(Handle, other.Handle, alpha, out var r), r);
        /// <summary>this + s.</summary>
        public Tensor add(double s) => Wrap(NativeMethods.fk_add_scalar(Handle, s, out var r), r);
        /// <summary>this += alpha·other.</summary>
        public Tensor add_(Tensor other, double alpha = 1) => InPlace(NativeMethods.fk_add_(Handle, other.Handle, alpha));
        /// <summary>this += s.</summary>
        public Tensor add_(double s) => InPlace(NativeMethods.fk_add_scalar_(Handle, s));
        /// <summary>this − alpha·other.</summary>
        public Tensor sub(Tensor other, double alpha = 1) => Wrap(NativeMethods.fk_sub(Handle, other.Handle, alpha, out var r), r);
        /// <summary>this − s.</summary>
        public Tensor sub(double s) => Wrap(NativeMethods.fk_sub_scalar(Handle, s, out var r), r);
        /// <summary>this −= alpha·other.</summary>
        public Tensor sub_(Tensor other, double alpha = 1) => InPlace(NativeMethods.fk_sub_(Handle, other.Handle, alpha));
        /// <summary>this −= s.</summary>
        public Tensor sub_(double s) => InPlace(NativeMethods.fk_sub_scalar_(Handle, s));
        /// <summary>Elementwise product.</summary>
        public Tensor mul(Tensor other) => Wrap(NativeMethods.fk_mul(Handle, other.Handle, out var r), r);
        /// <summary>this · s.</summary>
        public Tensor mul(double s) => Wrap(NativeMethods.fk_mul_scalar(Handle, s, out var r), r);
        /// <summary>this ·= other.</summary>
        public Tensor mul_(Tensor other) => InPlace(NativeMethods.fk_mul_(Handle, other.Handle));
        /// <summary>this ·= s.</summary>
        public Tensor mul_(double s) => InPlace(NativeMethods.fk_mul_scalar_(Handle, s));
        /// <summary>Elementwise true division.</summary>
        public Tensor div(Tensor other) => Wrap(NativeMethods.fk_div(Handle, other.Handle, out var r), r);
        /// <summary>this / s.</summary>
        public Tensor div(double s) => Wrap(NativeMethods.fk_div_scalar(Handle, s, out var r), r);
        /// <summary>this /= other.</summary>
        public Tensor div_(Tensor other) => InPlace(NativeMethods.fk_div_(Handle, other.Handle));
        /// <summary>this /= s.</summary>
        public Tensor div_(double s) => InPlace(NativeMethods.fk_div_scalar_(Handle, s));
        /// <summary>Python-style remainder (sign of the divisor).</summary>
        public Tensor remainder(Tensor other) => Wrap(NativeMethods.fk_remainder(Handle, other.Handle, out var r), r);
        /// <summary>Python-style remainder by a scalar.</summary>
        public Tensor remainder(double s) => Wrap(NativeMethods.fk_remainder_scalar(Handle, s, out var r), r);
        /// <summary>C-style remainder (sign of the dividend).</summary>
        public Tensor fmod(Tensor other) => Wrap(NativeMethods.fk_fmod(Handle, other.Handle, out var r), r);
        /// <summary>C-style remainder by a scalar.</summary>
        public Tensor fmod(double s) => Wrap(NativeMethods.fk_fmod_scalar(Handle, s, out var r), r);
        /// <summary>Elementwise power.</summary>
        public Tensor pow(Tensor exponent) => Wrap(NativeMethods.fk_pow(Handle, exponent.Handle, out var r), r);
        /// <summary>this^e.</summary>
        public Tensor pow(double exponent) => Wrap(NativeMethods.fk_pow_scalar(Handle, exponent, out var r), r);
        /// <summary>this ^= e, in place.</summary>
        public Tensor pow_(double exponent) => InPlace(NativeMethods.fk_pow_scalar_(Handle, exponent));
        /// <summary>Quadrant-aware atan(this / other).</summary>
        public Tensor atan2(Tensor other) => Wrap(NativeMethods.fk_atan2(Handle, other.Handle, out var r), r);
        /// <summary>Elementwise maximum (NaN propagates).</summary>
        public Tensor maximum(Tensor other) => Wrap(NativeMethods.fk_maximum(Handle, other.Handle, out var r), r);
        /// <summary>Elementwise minimum (NaN propagates).</summary>
        public Tensor minimum(Tensor other) => Wrap(NativeMethods.fk_minimum(Handle, other.Handle, out var r), r);

        /// <summary>this == other, elementwise (bool).</summary>
        public Tensor eq(Tensor other) => Wrap(NativeMethods.fk_eq(Handle, other.Handle, out var r), r);
        /// <summary>this == s, elementwise (bool).</summary>
        public Tensor eq(double s) => Wrap(NativeMethods.fk_eq_scalar(Handle, s, out var r), r);
        /// <summary>this != other, elementwise (bool).</summary>
        public Tensor ne(Tensor other) => Wrap(NativeMethods.fk_ne(Handle, other.Handle, out var r), r);
        /// <summary>this != s, elementwise (bool).</summary>
        public Tensor ne(double s) => Wrap(NativeMethods.fk_ne_scalar(Handle, s, out var r), r);
        /// <summary>this &lt; other (bool).</summary>
        public Tensor lt(Tensor other) => Wrap(NativeMethods.fk_lt(Handle, other.Handle, out var r), r);
        /// <summary>this &lt; s (bool).</summary>
        public Tensor lt(double s) => Wrap(NativeMethods.fk_lt_scalar(Handle, s, out var r), r);
        /// <summary>this &lt;= other (bool).</summary>
        public Tensor le(Tensor other) => Wrap(NativeMethods.fk_le(Handle, other.Handle, out var r), r);
        /// <summary>this &lt;= s (bool).</summary>
        public Tensor le(double s) => Wrap(NativeMethods.fk_le_scalar(Handle, s, out var r), r);
        /// <summary>this &gt; other (bool).</summary>
        public Tensor gt(Tensor other) => Wrap(NativeMethods.fk_gt(Handle, other.Handle, out var r), r);
        /// <summary>this &gt; s (bool).</summary>
        public Tensor gt(double s) => Wrap(NativeMethods.fk_gt_scalar(Handle, s, out var r), r);
        /// <summary>this &gt;= other (bool).</summary>
        public Tensor ge(Tensor other) => Wrap(NativeMethods.fk_ge(Handle, other.Handle, out var r), r);
        /// <summary>this &gt;= s (bool).</summary>
        public Tensor ge(double s) => Wrap(NativeMethods.fk_ge_scalar(Handle, s, out var r), r);
        /// <summary>Logical and (bool).</summary>
        public Tensor logical_and(Tensor other) => Wrap(NativeMethods.fk_logical_and(Handle, other.Handle, out var r), r);
        /// <summary>Logical or (bool).</summary>
        public Tensor logical_or(Tensor other) => Wrap(NativeMethods.fk_logical_or(Handle, other.Handle, out var r), r);
        /// <summary>Logical exclusive or (bool).</summary>
        public Tensor logical_xor(Tensor other) => Wrap(NativeMethods.fk_logical_xor(Handle, other.Handle, out var r), r);

        /// <summary>Limits values to [min, max]; either bound may be omitted.</summary>
        public Tensor clamp(double? min = null, double? max = null)
        {
            if (min is null && max is null) throw new ArgumentException("clamp needs at least one of min and max.");
            return Wrap(NativeMethods.fk_clamp(Handle, min.HasValue ? 1 : 0, min ?? 0, max.HasValue ? 1 : 0, max ?? 0, out var r), r);
        }

        /// <summary>Limits values to elementwise bounds; either may be null.</summary>
        public Tensor clamp(Tensor? min, Tensor? max)
        {
            if (min is null && max is null) throw new ArgumentException("clamp needs at least one of min and max.");
            return Wrap(NativeMethods.fk_clamp_tensor(Handle, HandleOrNull(min), HandleOrNull(max), out var r), r);
        }

        /// <summary>In-place <see cref="clamp(double?, double?)"/>.</summary>
        public Tensor clamp_(double? min = null, double? max = null)
        {
            if (min is null && max is null) throw new ArgumentException("clamp_ needs at least one of min and max.");
            return InPlace(NativeMethods.fk_clamp_(Handle, min.HasValue ? 1 : 0, min ?? 0, max.HasValue ? 1 : 0, max ?? 0));
        }

        /// <summary>max(this, min).</summary>
        public Tensor clamp_min(double min) => clamp(min, null);
        /// <summary>min(this, max).</summary>
        public Tensor clamp_max(double max) => clamp(null, max);

        /// <summary>A copy with <paramref name="value"/> where <paramref name="mask"/> is true.</summary>
        public Tensor masked_fill(Tensor mask, double value) => Wrap(NativeMethods.fk_masked_fill(Handle, mask.Handle, value, out var r), r);
        /// <summary>Writes <paramref name="value"/> where <paramref name="mask"/> is true.</summary>
        public Tensor masked_fill_(Tensor mask, double value) => InPlace(NativeMethods.fk_masked_fill_(Handle, mask.Handle, value));
        /// <summary>Sets every element to <paramref name="value"/>.</summary>
        public Tensor fill_(double value) => InPlace(NativeMethods.fk_fill_(Handle, value));
        /// <summary>Sets every element to zero.</summary>
        public Tensor zero_() => InPlace(NativeMethods.fk_zero_(Handle));
        /// <summary>Copies <paramref name="src"/> (broadcast, converted) into this tensor.</summary>
        public Tensor copy_(Tensor src) => InPlace(NativeMethods.fk_copy_(Handle, src.Handle));
        /// <summary>this += weight·(end − this).</summary>
        public Tensor lerp_(Tensor end, double weight) => InPlace(NativeMethods.fk_lerp_(Handle, end.Handle, weight));
        /// <summary>this += value·t1·t2.</summary>
        public Tensor addcmul_(Tensor t1, Tensor t2, double value = 1) => InPlace(NativeMethods.fk_addcmul_(Handle, t1.Handle, t2.Handle, value));
        /// <summary>this += value·t1/t2.</summary>
        public Tensor addcdiv_(Tensor t1, Tensor t2, double value = 1) => InPlace(NativeMethods.fk_addcdiv_(Handle, t1.Handle, t2.Handle, value));
        /// <summary>|this − other| ≤ atol + rtol·|other|, elementwise.</summary>
        public Tensor isclose(Tensor other, double rtol = 1e-5, double atol = 1e-8, bool equal_nan = false) =>
            Wrap(NativeMethods.fk_isclose(Handle, other.Handle, rtol, atol, equal_nan ? 1 : 0, out var r), r);

        /// <summary>True when every element is close (see <see cref="isclose"/>) and shapes broadcast.</summary>
        public bool allclose(Tensor other, double rtol = 1e-5, double atol = 1e-8, bool equal_nan = false)
        {
            using var c = isclose(other, rtol, atol, equal_nan);
            using var a = c.all();
            return a.item<bool>();
        }

        /// <summary>Replaces NaN and infinities by finite values.</summary>
        public Tensor nan_to_num(double nan = 0, double posinf = double.MaxValue, double neginf = double.MinValue) =>
            Wrap(NativeMethods.fk_nan_to_num(Handle, nan, posinf, neginf, out var r), r);

        // ---- operators ----
#pragma warning disable CS1591 // operators mirror the methods above
        public static Tensor operator +(Tensor a, Tensor b) => a.add(b);
        public static Tensor operator +(Tensor a, double b) => a.add(b);
        public static Tensor operator +(double a, Tensor b) => b.add(a);
        public static Tensor operator -(Tensor a, Tensor b) => a.sub(b);
        public static Tensor operator -(Tensor a, double b) => a.sub(b);
        public static Tensor operator -(double a, Tensor b) => Wrap(NativeMethods.fk_rsub_scalar(b.Handle, a, out var r), r, "rsub");
        public static Tensor operator *(Tensor a, Tensor b) => a.mul(b);
        public static Tensor operator *(Tensor a, double b) => a.mul(b);
        public static Tensor operator *(double a, Tensor b) => b.mul(a);
        public static Tensor operator /(Tensor a, Tensor b) => a.div(b);
        public static Tensor operator /(Tensor a, double b) => a.div(b);
        public static Tensor operator /(double a, Tensor b) => Wrap(NativeMethods.fk_rdiv_scalar(b.Handle, a, out var r), r, "rdiv");
        public static Tensor operator %(Tensor a, Tensor b) => a.remainder(b);
        public static Tensor operator %(Tensor a, double b) => a.remainder(b);
        public static Tensor operator -(Tensor a) => a.neg();
        public static Tensor operator <(Tensor a, Tensor b) => a.lt(b);
        public static Tensor operator >(Tensor a, Tensor b) => a.gt(b);
        public static Tensor operator <=(Tensor a, Tensor b) => a.le(b);
        public static Tensor operator >=(Tensor a, Tensor b) => a.ge(b);
        public static Tensor operator <(Tensor a, double b) => a.lt(b);
        public static Tensor operator >(Tensor a, double b) => a.gt(b);
        public static Tensor operator <=(Tensor a, double b) => a.le(b);
        public static Tensor operator >=(Tensor a, double b) => a.ge(b);
        public static Tensor operator &(Tensor a, Tensor b) => a.logical_and(b);
        public static Tensor operator |(Tensor a, Tensor b) => a.logical_or(b);
        public static Tensor operator ^(Tensor a, Tensor b) => a.logical_xor(b);
        public static Tensor operator ~(Tensor a) => a.logical_not();
#pragma warning restore CS1591
    }

    /// <summary>base^exponent with a scalar base.</summary>
    public static Tensor pow(double @base, Tensor exponent) => Tensor.Wrap(NativeMethods.fk_rpow_scalar(@base, exponent.Handle, out var r), r);
    /// <summary>input^exponent.</summary>
    public static Tensor pow(Tensor input, double exponent) => input.pow(exponent);
    /// <summary>input^exponent, elementwise.</summary>
    public static Tensor pow(Tensor input, Tensor exponent) => input.pow(exponent);
    /// <summary>Elementwise maximum.</summary>
    public static Tensor maximum(Tensor a, Tensor b) => a.maximum(b);
    /// <summary>Elementwise minimum.</summary>
    public static Tensor minimum(Tensor a, Tensor b) => a.minimum(b);
    /// <summary>Limits values to [min, max].</summary>
    public static Tensor clamp(Tensor input, double? min = null, double? max = null) => input.clamp(min, max);
    /// <summary>x where condition is true, else y (broadcast).</summary>
    public static Tensor where(Tensor condition, Tensor x, Tensor y) => Tensor.Wrap(NativeMethods.fk_where(condition.Handle, x.Handle, y.Handle, out var r), r);
    /// <summary>x where condition is true, else the scalar y.</summary>
    public static Tensor where(Tensor condition, Tensor x, double y) => Tensor.Wrap(NativeMethods.fk_where_scalar(condition.Handle, x.Handle, y, out var r), r);
    /// <summary>True when all elements of a and b are close.</summary>
    public static bool allclose(Tensor a, Tensor b, double rtol = 1e-5, double atol = 1e-8, bool equal_nan = false) => a.allclose(b, rtol, atol, equal_nan);
}
