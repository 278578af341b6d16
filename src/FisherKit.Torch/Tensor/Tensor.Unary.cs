using FisherKit.Torch.Native;

namespace FisherKit.Torch;

// Elementwise unary functions; each has an in-place twin with a trailing underscore (PyTorch convention).
public static partial class torch
{
    public partial class Tensor
    {
        /// <summary>Negation, -x.</summary>
        public Tensor neg() => Wrap(NativeMethods.fk_neg(Handle, out var r), r);
        /// <summary>Negation, -x. In place; returns this tensor.</summary>
        public Tensor neg_() => InPlace(NativeMethods.fk_neg_(Handle));
        /// <summary>Absolute value.</summary>
        public Tensor abs() => Wrap(NativeMethods.fk_abs(Handle, out var r), r);
        /// <summary>Absolute value. In place; returns this tensor.</summary>
        public Tensor abs_() => InPlace(NativeMethods.fk_abs_(Handle));
        /// <summary>e^x.</summary>
        public Tensor exp() => Wrap(NativeMethods.fk_exp(Handle, out var r), r);
        /// <summary>e^x. In place; returns this tensor.</summary>
        public Tensor exp_() => InPlace(NativeMethods.fk_exp_(Handle));
        /// <summary>e^x - 1, accurate near 0.</summary>
        public Tensor expm1() => Wrap(NativeMethods.fk_expm1(Handle, out var r), r);
        /// <summary>e^x - 1, accurate near 0. In place; returns this tensor.</summary>
        public Tensor expm1_() => InPlace(NativeMethods.fk_expm1_(Handle));
        /// <summary>Natural logarithm.</summary>
        public Tensor log() => Wrap(NativeMethods.fk_log(Handle, out var r), r);
        /// <summary>Natural logarithm. In place; returns this tensor.</summary>
        public Tensor log_() => InPlace(NativeMethods.fk_log_(Handle));
        /// <summary>log(1 + x), accurate near 0.</summary>
        public Tensor log1p() => Wrap(NativeMethods.fk_log1p(Handle, out var r), r);
        /// <summary>log(1 + x), accurate near 0. In place; returns this tensor.</summary>
        public Tensor log1p_() => InPlace(NativeMethods.fk_log1p_(Handle));
        /// <summary>Base-2 logarithm.</summary>
        public Tensor log2() => Wrap(NativeMethods.fk_log2(Handle, out var r), r);
        /// <summary>Base-2 logarithm. In place; returns this tensor.</summary>
        public Tensor log2_() => InPlace(NativeMethods.fk_log2_(Handle));
        /// <summary>Base-10 logarithm.</summary>
        public Tensor log10() => Wrap(NativeMethods.fk_log10(Handle, out var r), r);
        /// <summary>Base-10 logarithm. In place; returns this tensor.</summary>
        public Tensor log10_() => InPlace(NativeMethods.fk_log10_(Handle));
        /// <summary>Square root.</summary>
        public Tensor sqrt() => Wrap(NativeMethods.fk_sqrt(Handle, out var r), r);
        /// <summary>Square root. In place; returns this tensor.</summary>
        public Tensor sqrt_() => InPlace(NativeMethods.fk_sqrt_(Handle));
        /// <summary>1 / sqrt(x).</summary>
        public Tensor rsqrt() => Wrap(NativeMethods.fk_rsqrt(Handle, out var r), r);
        /// <summary>1 / sqrt(x). In place; returns this tensor.</summary>
        public Tensor rsqrt_() => InPlace(NativeMethods.fk_rsqrt_(Handle));
        /// <summary>Sine.</summary>
        public Tensor sin() => Wrap(NativeMethods.fk_sin(Handle, out var r), r);
        /// <summary>Sine. In place; returns this tensor.</summary>
        public Tensor sin_() => InPlace(NativeMethods.fk_sin_(Handle));
        /// <summary>Cosine.</summary>
        public Tensor cos() => Wrap(NativeMethods.fk_cos(Handle, out var r), r);
        /// <summary>Cosine. In place; returns this tensor.</summary>
        public Tensor cos_() => InPlace(NativeMethods.fk_cos_(Handle));
        /// <summary>Tangent.</summary>
        public Tensor tan() => Wrap(NativeMethods.fk_tan(Handle, out var r), r);
        /// <summary>Tangent. In place; returns this tensor.</summary>
        public Tensor tan_() => InPlace(NativeMethods.fk_tan_(Handle));
        /// <summary>Arc sine.</summary>
        public Tensor asin() => Wrap(NativeMethods.fk_asin(Handle, out var r), r);
        /// <summary>Arc sine. In place; returns this tensor.</summary>
        public Tensor asin_() => InPlace(NativeMethods.fk_asin_(Handle));
        /// <summary>Arc cosine.</summary>
        public Tensor acos() => Wrap(NativeMethods.fk_acos(Handle, out var r), r);
        /// <summary>Arc cosine. In place; returns this tensor.</summary>
        public Tensor acos_() => InPlace(NativeMethods.fk_acos_(Handle));
        /// <summary>Arc tangent.</summary>
        public Tensor atan() => Wrap(NativeMethods.fk_atan(Handle, out var r), r);
        /// <summary>Arc tangent. In place; returns this tensor.</summary>
        public Tensor atan_() => InPlace(NativeMethods.fk_atan_(Handle));
        /// <summary>Hyperbolic sine.</summary>
        public Tensor sinh() => Wrap(NativeMethods.fk_sinh(Handle, out var r), r);
        /// <summary>Hyperbolic sine. In place; returns this tensor.</summary>
        public Tensor sinh_() => InPlace(NativeMethods.fk_sinh_(Handle));
        /// <summary>Hyperbolic cosine.</summary>
        public Tensor cosh() => Wrap(NativeMethods.fk_cosh(Handle, out var r), r);
        /// <summary>Hyperbolic cosine. In place; returns this tensor.</summary>
        public Tensor cosh_() => InPlace(NativeMethods.fk_cosh_(Handle));
        /// <summary>Hyperbolic tangent.</summary>
        public Tensor tanh() => Wrap(NativeMethods.fk_tanh(Handle, out var r), r);
        /// <summary>Hyperbolic tangent. In place; returns this tensor.</summary>
        public Tensor tanh_() => InPlace(NativeMethods.fk_tanh_(Handle));
        /// <summary>Logistic sigmoid 1/(1+e^-x).</summary>
        public Tensor sigmoid() => Wrap(NativeMethods.fk_sigmoid(Handle, out var r), r);
        /// <summary>Logistic sigmoid 1/(1+e^-x). In place; returns this tensor.</summary>
        public Tensor sigmoid_() => InPlace(NativeMethods.fk_sigmoid_(Handle));
        /// <summary>max(x, 0).</summary>
        public Tensor relu() => Wrap(NativeMethods.fk_relu(Handle, out var r), r);
        /// <summary>max(x, 0). In place; returns this tensor.</summary>
        public Tensor relu_() => InPlace(NativeMethods.fk_relu_(Handle));
        /// <summary>Sign (-1, 0, 1).</summary>
        public Tensor sign() => Wrap(NativeMethods.fk_sign(Handle, out var r), r);
        /// <summary>Sign (-1, 0, 1). In place; returns this tensor.</summary>
        public Tensor sign_() => InPlace(NativeMethods.fk_sign_(Handle));
        /// <summary>Round down.</summary>
        public Tensor floor() => Wrap(NativeMethods.fk_floor(Handle, out var r), r);
        /// <summary>Round down. In place; returns this tensor.</summary>
        public Tensor floor_() => InPlace(NativeMethods.fk_floor_(Handle));
        /// <summary>Round up.</summary>
        public Tensor ceil() => Wrap(NativeMethods.fk_ceil(Handle, out var r), r);
        /// <summary>Round up. In place; returns this tensor.</summary>
        public Tensor ceil_() => InPlace(NativeMethods.fk_ceil_(Handle));
        /// <summary>Round half to even.</summary>
        public Tensor round() => Wrap(NativeMethods.fk_round(Handle, out var r), r);
        /// <summary>Round half to even. In place; returns this tensor.</summary>
        public Tensor round_() => InPlace(NativeMethods.fk_round_(Handle));
        /// <summary>Round towards zero.</summary>
        public Tensor trunc() => Wrap(NativeMethods.fk_trunc(Handle, out var r), r);
        /// <summary>Round towards zero. In place; returns this tensor.</summary>
        public Tensor trunc_() => InPlace(NativeMethods.fk_trunc_(Handle));
        /// <summary>Fractional part.</summary>
        public Tensor frac() => Wrap(NativeMethods.fk_frac(Handle, out var r), r);
        /// <summary>Fractional part. In place; returns this tensor.</summary>
        public Tensor frac_() => InPlace(NativeMethods.fk_frac_(Handle));
        /// <summary>1 / x.</summary>
        public Tensor reciprocal() => Wrap(NativeMethods.fk_reciprocal(Handle, out var r), r);
        /// <summary>1 / x. In place; returns this tensor.</summary>
        public Tensor reciprocal_() => InPlace(NativeMethods.fk_reciprocal_(Handle));
        /// <summary>x².</summary>
        public Tensor square() => Wrap(NativeMethods.fk_square(Handle, out var r), r);
        /// <summary>x². In place; returns this tensor.</summary>
        public Tensor square_() => InPlace(NativeMethods.fk_square_(Handle));
        /// <summary>Error function.</summary>
        public Tensor erf() => Wrap(NativeMethods.fk_erf(Handle, out var r), r);
        /// <summary>Error function. In place; returns this tensor.</summary>
        public Tensor erf_() => InPlace(NativeMethods.fk_erf_(Handle));
        /// <summary>Complementary error function.</summary>
        public Tensor erfc() => Wrap(NativeMethods.fk_erfc(Handle, out var r), r);
        /// <summary>Complementary error function. In place; returns this tensor.</summary>
        public Tensor erfc_() => InPlace(NativeMethods.fk_erfc_(Handle));
        /// <summary>Inverse error function.</summary>
        public Tensor erfinv() => Wrap(NativeMethods.fk_erfinv(Handle, out var r), r);
        /// <summary>Inverse error function. In place; returns this tensor.</summary>
        public Tensor erfinv_() => InPlace(NativeMethods.fk_erfinv_(Handle));
        /// <summary>log|Γ(x)|.</summary>
        public Tensor lgamma() => Wrap(NativeMethods.fk_lgamma(Handle, out var r), r);
        /// <summary>log|Γ(x)|. In place; returns this tensor.</summary>
        public Tensor lgamma_() => InPlace(NativeMethods.fk_lgamma_(Handle));
        /// <summary>ψ(x) = d/dx log Γ(x).</summary>
        public Tensor digamma() => Wrap(NativeMethods.fk_digamma(Handle, out var r), r);
        /// <summary>ψ(x) = d/dx log Γ(x). In place; returns this tensor.</summary>
        public Tensor digamma_() => InPlace(NativeMethods.fk_digamma_(Handle));
        /// <summary>Logical not (bool result).</summary>
        public Tensor logical_not() => Wrap(NativeMethods.fk_logical_not(Handle, out var r), r);
        /// <summary>Logical not (bool result). In place; returns this tensor.</summary>
        public Tensor logical_not_() => InPlace(NativeMethods.fk_logical_not_(Handle));
        /// <summary>True where the element is NaN.</summary>
        public Tensor isnan() => Wrap(NativeMethods.fk_isnan(Handle, out var r), r);
        /// <summary>True where the element is ±infinity.</summary>
        public Tensor isinf() => Wrap(NativeMethods.fk_isinf(Handle, out var r), r);
        /// <summary>True where the element is finite.</summary>
        public Tensor isfinite() => Wrap(NativeMethods.fk_isfinite(Handle, out var r), r);
    }

    /// <summary>Negation, -x.</summary>
    public static Tensor neg(Tensor input) => input.neg();
    /// <summary>Absolute value.</summary>
    public static Tensor abs(Tensor input) => input.abs();
    /// <summary>e^x.</summary>
    public static Tensor exp(Tensor input) => input.exp();
    /// <summary>e^x - 1, accurate near 0.</summary>
    public static Tensor expm1(Tensor input) => input.expm1();
    /// <summary>Natural logarithm.</summary>
    public static Tensor log(Tensor input) => input.log();
    /// <summary>log(1 + x), accurate near 0.</summary>
    public static Tensor log1p(Tensor input) => input.log1p();
    /// <summary>Base-2 logarithm.</summary>
    public static Tensor log2(Tensor input) => input.log2();
    /// <summary>Base-10 logarithm.</summary>
    public static Tensor log10(Tensor input) => input.log10();
    /// <summary>Square root.</summary>
    public static Tensor sqrt(Tensor input) => input.sqrt();
    /// <summary>1 / sqrt(x).</summary>
    public static Tensor rsqrt(Tensor input) => input.rsqrt();
    /// <summary>Sine.</summary>
    public static Tensor sin(Tensor input) => input.sin();
    /// <summary>Cosine.</summary>
    public static Tensor cos(Tensor input) => input.cos();
    /// <summary>Tangent.</summary>
    public static Tensor tan(Tensor input) => input.tan();
    /// <summary>Arc sine.</summary>
    public static Tensor asin(Tensor input) => input.asin();
    /// <summary>Arc cosine.</summary>
    public static Tensor acos(Tensor input) => input.acos();
    /// <summary>Arc tangent.</summary>
    public static Tensor atan(Tensor input) => input.atan();
    /// <summary>Hyperbolic sine.</summary>
    public static Tensor sinh(Tensor input) => input.sinh();
    /// <summary>Hyperbolic cosine.</summary>
    public static Tensor cosh(Tensor input) => input.cosh();
    /// <summary>Hyperbolic tangent.</summary>
    public static Tensor tanh(Tensor input) => input.tanh();
    /// <summary>Logistic sigmoid 1/(1+e^-x).</summary>
    public static Tensor sigmoid(Tensor input) => input.sigmoid();
    /// <summary>max(x, 0).</summary>
    public static Tensor relu(Tensor input) => input.relu();
    /// <summary>Sign (-1, 0, 1).</summary>
    public static Tensor sign(Tensor input) => input.sign();
    /// <summary>Round down.</summary>
    public static Tensor floor(Tensor input) => input.floor();
    /// <summary>Round up.</summary>
    public static Tensor ceil(Tensor input) => input.ceil();
    /// <summary>Round half to even.</summary>
    public static Tensor round(Tensor input) => input.round();
    /// <summary>Round towards zero.</summary>
    public static Tensor trunc(Tensor input) => input.trunc();
    /// <summary>Fractional part.</summary>
    public static Tensor frac(Tensor input) => input.frac();
    /// <summary>1 / x.</summary>
    public static Tensor reciprocal(Tensor input) => input.reciprocal();
    /// <summary>x².</summary>
    public static Tensor square(Tensor input) => input.square();
    /// <summary>Error function.</summary>
    public static Tensor erf(Tensor input) => input.erf();
    /// <summary>Complementary error function.</summary>
    public static Tensor erfc(Tensor input) => input.erfc();
    /// <summary>Inverse error function.</summary>
    public static Tensor erfinv(Tensor input) => input.erfinv();
    /// <summary>log|Γ(x)|.</summary>
    public static Tensor lgamma(Tensor input) => input.lgamma();
    /// <summary>ψ(x) = d/dx log Γ(x).</summary>
    public static Tensor digamma(Tensor input) => input.digamma();
    /// <summary>Logical not (bool result).</summary>
    public static Tensor logical_not(Tensor input) => input.logical_not();
    /// <summary>True where NaN.</summary>
    public static Tensor isnan(Tensor input) => input.isnan();
    /// <summary>True where infinite.</summary>
    public static Tensor isinf(Tensor input) => input.isinf();
    /// <summary>True where finite.</summary>
    public static Tensor isfinite(Tensor input) => input.isfinite();
}
