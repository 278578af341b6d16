// Elementwise operations: unary (with in-place twins), binary tensor/tensor and tensor/scalar,
// comparisons, clamping and selection.
#include "fk_common.h"

#define FK_UNARY(name)                                                                              \
  FK_API int32_t fk_##name(fk_tensor a, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::name(*a))); } \
  FK_API int32_t fk_##name##_(fk_tensor a) { FK_GUARDED(a->name##_()); }

FK_UNARY(neg) FK_UNARY(abs) FK_UNARY(exp) FK_UNARY(expm1) FK_UNARY(log) FK_UNARY(log1p) FK_UNARY(log2)
FK_UNARY(log10) FK_UNARY(sqrt) FK_UNARY(rsqrt) FK_UNARY(sin) FK_UNARY(cos) FK_UNARY(tan) FK_UNARY(asin)
FK_UNARY(acos) FK_UNARY(atan) FK_UNARY(sinh) FK_UNARY(cosh) FK_UNARY(tanh) FK_UNARY(sigmoid) FK_UNARY(relu)
FK_UNARY(sign) FK_UNARY(floor) FK_UNARY(ceil) FK_UNARY(round) FK_UNARY(trunc) FK_UNARY(frac)
FK_UNARY(reciprocal) FK_UNARY(square) FK_UNARY(erf) FK_UNARY(erfc) FK_UNARY(erfinv) FK_UNARY(lgamma)
FK_UNARY(digamma) FK_UNARY(logical_not)

#define FK_PREDICATE(name) \
  FK_API int32_t fk_##name(fk_tensor a, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::name(*a))); }
FK_PREDICATE(isnan) FK_PREDICATE(isinf) FK_PREDICATE(isfinite)

// Binary ops with a tensor or a double on the right, out-of-place and in place.
#define FK_BINARY(name)                                                                            \
  FK_API int32_t fk_##name(fk_tensor a, fk_tensor b, fk_tensor* out) {                             \
    FK_GUARDED(*out = fk::wrap(at::name(*a, *b)));                                                 \
  }                                                                                                \
  FK_API int32_t fk_##name##_scalar(fk_tensor a, double b, fk_tensor* out) {                       \
    FK_GUARDED(*out = fk::wrap(at::name(*a, fk::scalar(b))));                                                  \
  }                                                                                                \
  FK_API int32_t fk_##name##_(fk_tensor a, fk_tensor b) { FK_GUARDED(a->name##_(*b)); }            \
  FK_API int32_t fk_##name##_scalar_(fk_tensor a, double b) { FK_GUARDED(a->name##_(fk::scalar(b))); }

FK_BINARY(mul) FK_BINARY(div) FK_BINARY(remainder) FK_BINARY(fmod)
FK_BINARY(eq) FK_BINARY(ne) FK_BINARY(lt) FK_BINARY(le) FK_BINARY(gt) FK_BINARY(ge)

FK_API int32_t fk_add(fk_tensor a, fk_tensor b, double alpha, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::add(*a, *b, fk::scalar(alpha)))); }
FK_API int32_t fk_add_scalar(fk_tensor a, double b, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::add(*a, fk::scalar(b)))); }
FK_API int32_t fk_add_(fk_tensor a, fk_tensor b, double alpha) { FK_GUARDED(a->add_(*b, fk::scalar(alpha))); }
FK_API int32_t fk_add_scalar_(fk_tensor a, double b) { FK_GUARDED(a->add_(fk::scalar(b))); }
FK_API int32_t fk_sub(fk_tensor a, fk_tensor b, double alpha, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::sub(*a, *b, fk::scalar(alpha)))); }
FK_API int32_t fk_sub_scalar(fk_tensor a, double b, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::sub(*a, fk::scalar(b)))); }
FK_API int32_t fk_sub_(fk_tensor a, fk_tensor b, double alpha) { FK_GUARDED(a->sub_(*b, fk::scalar(alpha))); }
FK_API int32_t fk_sub_scalar_(fk_tensor a, double b) { FK_GUARDED(a->sub_(fk::scalar(b))); }
// s - a and s / a (scalar on the left)
FK_API int32_t fk_rsub_scalar(fk_tensor a, double s, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::rsub(*a, fk::scalar(s)))); }
FK_API int32_t fk_rdiv_scalar(fk_tensor a, double s, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::mul(at::reciprocal(*a), fk::scalar(s)))); }

FK_API int32_t fk_pow(fk_tensor a, fk_tensor b, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::pow(*a, *b))); }
FK_API int32_t fk_pow_scalar(fk_tensor a, double e, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::pow(*a, fk::scalar(e)))); }
FK_API int32_t fk_rpow_scalar(double base, fk_tensor e, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::pow(fk::scalar(base), *e))); }
FK_API int32_t fk_pow_scalar_(fk_tensor a, double e) { FK_GUARDED(a->pow_(fk::scalar(e))); }
FK_API int32_t fk_atan2(fk_tensor a, fk_tensor b, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::atan2(*a, *b))); }
FK_API int32_t fk_maximum(fk_tensor a, fk_tensor b, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::maximum(*a, *b))); }
FK_API int32_t fk_minimum(fk_tensor a, fk_tensor b, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::minimum(*a, *b))); }
FK_API int32_t fk_logical_and(fk_tensor a, fk_tensor b, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::logical_and(*a, *b))); }
FK_API int32_t fk_logical_or(fk_tensor a, fk_tensor b, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::logical_or(*a, *b))); }
FK_API int32_t fk_logical_xor(fk_tensor a, fk_tensor b, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::logical_xor(*a, *b))); }
FK_API int32_t fk_lerp_(fk_tensor a, fk_tensor end, double w) { FK_GUARDED(a->lerp_(*end, w)); }
FK_API int32_t fk_addcmul_(fk_tensor a, fk_tensor t1, fk_tensor t2, double v) { FK_GUARDED(a->addcmul_(*t1, *t2, fk::scalar(v))); }
FK_API int32_t fk_addcdiv_(fk_tensor a, fk_tensor t1, fk_tensor t2, double v) { FK_GUARDED(a->addcdiv_(*t1, *t2, fk::scalar(v))); }

// Clamp with optional bounds (has_min/has_max say which are present).
FK_API int32_t fk_clamp(fk_tensor a, int32_t has_min, double min, int32_t has_max, double max, fk_tensor* out) {
  FK_GUARDED({
    c10::optional<at::Scalar> lo = has_min ? c10::optional<at::Scalar>(fk::scalar(min)) : c10::nullopt;
    c10::optional<at::Scalar> hi = has_max ? c10::optional<at::Scalar>(fk::scalar(max)) : c10::nullopt;
    *out = fk::wrap(at::clamp(*a, lo, hi));
  });
}
FK_API int32_t fk_clamp_(fk_tensor a, int32_t has_min, double min, int32_t has_max, double max) {
  FK_GUARDED({
    c10::optional<at::Scalar> lo = has_min ? c10::optional<at::Scalar>(fk::scalar(min)) : c10::nullopt;
    c10::optional<at::Scalar> hi = has_max ? c10::optional<at::Scalar>(fk::scalar(max)) : c10::nullopt;
    a->clamp_(lo, hi);
  });
}
FK_API int32_t fk_clamp_tensor(fk_tensor a, fk_tensor min, fk_tensor max, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(at::clamp(*a, fk::opt(min), fk::opt(max))));
}
FK_API int32_t fk_where(fk_tensor cond, fk_tensor a, fk_tensor b, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(at::where(*cond, *a, *b)));
}
FK_API int32_t fk_where_scalar(fk_tensor cond, fk_tensor a, double b, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(at::where(*cond, *a, fk::scalar(b))));
}
FK_API int32_t fk_masked_fill(fk_tensor a, fk_tensor mask, double v, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(at::masked_fill(*a, *mask, fk::scalar(v))));
}
FK_API int32_t fk_masked_fill_(fk_tensor a, fk_tensor mask, double v) { FK_GUARDED(a->masked_fill_(*mask, fk::scalar(v))); }
FK_API int32_t fk_fill_(fk_tensor a, double v) { FK_GUARDED(a->fill_(fk::scalar(v))); }
FK_API int32_t fk_zero_(fk_tensor a) { FK_GUARDED(a->zero_()); }
FK_API int32_t fk_copy_(fk_tensor dst, fk_tensor src) { FK_GUARDED(dst->copy_(*src)); }
FK_API int32_t fk_isclose(fk_tensor a, fk_tensor b, double rtol, double atol, int32_t equal_nan, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(at::isclose(*a, *b, rtol, atol, equal_nan != 0)));
}
FK_API int32_t fk_nan_to_num(fk_tensor a, double nan, double posinf, double neginf, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(at::nan_to_num(*a, nan, posinf, neginf)));
}
