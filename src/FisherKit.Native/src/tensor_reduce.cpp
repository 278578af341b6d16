// Reductions: over all elements or over a list of dims (ndims = 0 means all), with keepdim.
#include "fk_common.h"

#define FK_DIMS const int64_t* dims, int64_t ndims, int32_t keepdim

FK_API int32_t fk_sum(fk_tensor a, FK_DIMS, int32_t dtype, fk_tensor* out) {
  FK_GUARDED({
    c10::optional<at::ScalarType> dt = dtype >= 0 ? c10::optional<at::ScalarType>(static_cast<at::ScalarType>(dtype)) : c10::nullopt;
    *out = fk::wrap(ndims == 0 && !keepdim ? at::sum(*a, dt) : at::sum(*a, fk::dims(dims, ndims), keepdim != 0, dt));
  });
}
FK_API int32_t fk_mean(fk_tensor a, FK_DIMS, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(ndims == 0 && !keepdim ? at::mean(*a) : at::mean(*a, fk::dims(dims, ndims), keepdim != 0)));
}
FK_API int32_t fk_prod(fk_tensor a, int64_t dim, int32_t all, int32_t keepdim, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(all ? at::prod(*a) : at::prod(*a, dim, keepdim != 0)));
}
FK_API int32_t fk_amax(fk_tensor a, FK_DIMS, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::amax(*a, fk::dims(dims, ndims), keepdim != 0))); }
FK_API int32_t fk_amin(fk_tensor a, FK_DIMS, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::amin(*a, fk::dims(dims, ndims), keepdim != 0))); }
FK_API int32_t fk_max_all(fk_tensor a, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::max(*a))); }
FK_API int32_t fk_min_all(fk_tensor a, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::min(*a))); }
FK_API int32_t fk_max_dim(fk_tensor a, int64_t dim, int32_t keepdim, fk_tensor* values, fk_tensor* indices) {
  FK_GUARDED({ auto r = at::max(*a, dim, keepdim != 0); *values = fk::wrap(std::get<0>(r)); *indices = fk::wrap(std::get<1>(r)); });
}
FK_API int32_t fk_min_dim(fk_tensor a, int64_t dim, int32_t keepdim, fk_tensor* values, fk_tensor* indices) {
  FK_GUARDED({ auto r = at::min(*a, dim, keepdim != 0); *values = fk::wrap(std::get<0>(r)); *indices = fk::wrap(std::get<1>(r)); });
}
FK_API int32_t fk_argmax(fk_tensor a, int64_t dim, int32_t all, int32_t keepdim, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(all ? at::argmax(*a) : at::argmax(*a, dim, keepdim != 0)));
}
FK_API int32_t fk_argmin(fk_tensor a, int64_t dim, int32_t all, int32_t keepdim, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(all ? at::argmin(*a) : at::argmin(*a, dim, keepdim != 0)));
}
// correction: 1 = unbiased (Bessel), 0 = population.
FK_API int32_t fk_var(fk_tensor a, FK_DIMS, int64_t correction, fk_tensor* out) {
  FK_GUARDED({
    at::OptionalIntArrayRef d = ndims == 0 ? at::OptionalIntArrayRef() : at::OptionalIntArrayRef(fk::dims(dims, ndims));
    *out = fk::wrap(at::var(*a, d, c10::optional<int64_t>(correction), keepdim != 0));
  });
}
FK_API int32_t fk_std(fk_tensor a, FK_DIMS, int64_t correction, fk_tensor* out) {
  FK_GUARDED({
    at::OptionalIntArrayRef d = ndims == 0 ? at::OptionalIntArrayRef() : at::OptionalIntArrayRef(fk::dims(dims, ndims));
    *out = fk::wrap(at::std(*a, d, c10::optional<int64_t>(correction), keepdim != 0));
  });
}
FK_API int32_t fk_norm(fk_tensor a, double p, FK_DIMS, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(ndims == 0 && !keepdim ? at::norm(*a, p) : at::norm(*a, p, fk::dims(dims, ndims), keepdim != 0)));
}
FK_API int32_t fk_logsumexp(fk_tensor a, FK_DIMS, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(at::logsumexp(*a, fk::dims(dims, ndims), keepdim != 0)));
}
FK_API int32_t fk_cumsum(fk_tensor a, int64_t dim, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::cumsum(*a, dim))); }
FK_API int32_t fk_cumprod(fk_tensor a, int64_t dim, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::cumprod(*a, dim))); }
FK_API int32_t fk_all(fk_tensor a, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::all(*a))); }
FK_API int32_t fk_any(fk_tensor a, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::any(*a))); }
FK_API int32_t fk_all_dim(fk_tensor a, int64_t dim, int32_t keepdim, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::all(*a, dim, keepdim != 0))); }
FK_API int32_t fk_any_dim(fk_tensor a, int64_t dim, int32_t keepdim, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::any(*a, dim, keepdim != 0))); }
FK_API int32_t fk_count_nonzero(fk_tensor a, FK_DIMS, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(at::count_nonzero(*a, fk::dims(dims, ndims))));
}
FK_API int32_t fk_sort(fk_tensor a, int64_t dim, int32_t descending, int32_t stable, fk_tensor* values, fk_tensor* indices) {
  FK_GUARDED({ auto r = at::sort(*a, c10::optional<bool>(stable != 0), dim, descending != 0); *values = fk::wrap(std::get<0>(r)); *indices = fk::wrap(std::get<1>(r)); });
}
FK_API int32_t fk_argsort(fk_tensor a, int64_t dim, int32_t descending, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(at::argsort(*a, dim, descending != 0)));
}
FK_API int32_t fk_topk(fk_tensor a, int64_t k, int64_t dim, int32_t largest, int32_t sorted, fk_tensor* values, fk_tensor* indices) {
  FK_GUARDED({ auto r = at::topk(*a, k, dim, largest != 0, sorted != 0); *values = fk::wrap(std::get<0>(r)); *indices = fk::wrap(std::get<1>(r)); });
}
FK_API int32_t fk_median(fk_tensor a, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::median(*a))); }
FK_API int32_t fk_quantile(fk_tensor a, fk_tensor q, int64_t dim, int32_t all, int32_t keepdim, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(all ? at::quantile(*a, *q) : at::quantile(*a, *q, dim, keepdim != 0)));
}
