// Shape, views, joining and splitting, indexing, dtype/device conversion.
#include "fk_common.h"

#define FK_SHAPE const int64_t* shape, int64_t ndim

FK_API int32_t fk_reshape(fk_tensor a, FK_SHAPE, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(a->reshape(fk::dims(shape, ndim)))); }
FK_API int32_t fk_view(fk_tensor a, FK_SHAPE, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(a->view(fk::dims(shape, ndim)))); }
FK_API int32_t fk_expand(fk_tensor a, FK_SHAPE, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(a->expand(fk::dims(shape, ndim)))); }
FK_API int32_t fk_repeat(fk_tensor a, FK_SHAPE, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(a->repeat(fk::dims(shape, ndim)))); }
FK_API int32_t fk_permute(fk_tensor a, FK_SHAPE, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(a->permute(fk::dims(shape, ndim)))); }
FK_API int32_t fk_flip(fk_tensor a, FK_SHAPE, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(a->flip(fk::dims(shape, ndim)))); }
FK_API int32_t fk_roll(fk_tensor a, const int64_t* shifts, const int64_t* dims, int64_t n, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(at::roll(*a, fk::dims(shifts, n), fk::dims(dims, n))));
}
FK_API int32_t fk_transpose(fk_tensor a, int64_t d0, int64_t d1, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(a->transpose(d0, d1))); }
FK_API int32_t fk_movedim(fk_tensor a, int64_t src, int64_t dst, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(a->movedim(src, dst))); }
FK_API int32_t fk_squeeze(fk_tensor a, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(a->squeeze())); }
FK_API int32_t fk_squeeze_dim(fk_tensor a, int64_t dim, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(a->squeeze(dim))); }
FK_API int32_t fk_unsqueeze(fk_tensor a, int64_t dim, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(a->unsqueeze(dim))); }
FK_API int32_t fk_flatten(fk_tensor a, int64_t start, int64_t end, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(a->flatten(start, end))); }
FK_API int32_t fk_contiguous(fk_tensor a, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(a->contiguous())); }
FK_API int32_t fk_clone(fk_tensor a, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(a->clone())); }
FK_API int32_t fk_detach(fk_tensor a, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(a->detach())); }
FK_API int32_t fk_alias(fk_tensor a, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(*a)); }
FK_API int32_t fk_narrow(fk_tensor a, int64_t dim, int64_t start, int64_t length, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(a->narrow(dim, start, length)));
}
FK_API int32_t fk_slice(fk_tensor a, int64_t dim, int64_t start, int64_t end, int64_t step, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(a->slice(dim, start, end, step)));
}
FK_API int32_t fk_select(fk_tensor a, int64_t dim, int64_t index, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(a->select(dim, index))); }
FK_API int32_t fk_index_select(fk_tensor a, int64_t dim, fk_tensor index, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(a->index_select(dim, *index)));
}
FK_API int32_t fk_gather(fk_tensor a, int64_t dim, fk_tensor index, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(a->gather(dim, *index))); }
FK_API int32_t fk_scatter(fk_tensor a, int64_t dim, fk_tensor index, fk_tensor src, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(a->scatter(dim, *index, *src)));
}
FK_API int32_t fk_scatter_scalar(fk_tensor a, int64_t dim, fk_tensor index, double v, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(a->scatter(dim, *index, fk::scalar(v))));
}
FK_API int32_t fk_scatter_add(fk_tensor a, int64_t dim, fk_tensor index, fk_tensor src, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(a->scatter_add(dim, *index, *src)));
}
FK_API int32_t fk_index_add(fk_tensor a, int64_t dim, fk_tensor index, fk_tensor src, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(a->index_add(dim, *index, *src)));
}
// Advanced indexing a[i0, i1, ...] with one (possibly null = full slice) index tensor per leading dim.
FK_API int32_t fk_index(fk_tensor a, const fk_tensor* idx, int64_t n, fk_tensor* out) {
  FK_GUARDED({
    c10::List<c10::optional<at::Tensor>> list;
    for (int64_t i = 0; i < n; ++i) list.push_back(fk::opt(idx[i]));
    *out = fk::wrap(at::index(*a, list));
  });
}
FK_API int32_t fk_index_put_(fk_tensor a, const fk_tensor* idx, int64_t n, fk_tensor values, int32_t accumulate) {
  FK_GUARDED({
    c10::List<c10::optional<at::Tensor>> list;
    for (int64_t i = 0; i < n; ++i) list.push_back(fk::opt(idx[i]));
    a->index_put_(list, *values, accumulate != 0);
  });
}
FK_API int32_t fk_masked_select(fk_tensor a, fk_tensor mask, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(a->masked_select(*mask))); }
FK_API int32_t fk_nonzero(fk_tensor a, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(a->nonzero())); }
FK_API int32_t fk_cat(const fk_tensor* ts, int64_t n, int64_t dim, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::cat(fk::tensors(ts, n), dim))); }
FK_API int32_t fk_stack(const fk_tensor* ts, int64_t n, int64_t dim, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::stack(fk::tensors(ts, n), dim))); }
FK_API int32_t fk_split(fk_tensor a, int64_t size, int64_t dim, fk_tensor** out, int64_t* n) {
  FK_GUARDED(fk::wrap_list(a->split(size, dim), out, n));
}
FK_API int32_t fk_split_sizes(fk_tensor a, const int64_t* sizes, int64_t nsizes, int64_t dim, fk_tensor** out, int64_t* n) {
  FK_GUARDED(fk::wrap_list(a->split_with_sizes(fk::dims(sizes, nsizes), dim), out, n));
}
FK_API int32_t fk_chunk(fk_tensor a, int64_t chunks, int64_t dim, fk_tensor** out, int64_t* n) {
  FK_GUARDED(fk::wrap_list(a->chunk(chunks, dim), out, n));
}
FK_API int32_t fk_unbind(fk_tensor a, int64_t dim, fk_tensor** out, int64_t* n) { FK_GUARDED(fk::wrap_list(a->unbind(dim), out, n)); }
FK_API int32_t fk_meshgrid(const fk_tensor* ts, int64_t n, int32_t ij, fk_tensor** out, int64_t* nout) {
  FK_GUARDED(fk::wrap_list(at::meshgrid(fk::tensors(ts, n), ij ? "ij" : "xy"), out, nout));
}
FK_API int32_t fk_repeat_interleave(fk_tensor a, int64_t repeats, int64_t dim, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(at::repeat_interleave(*a, repeats, dim)));
}
FK_API int32_t fk_tril(fk_tensor a, int64_t k, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::tril(*a, k))); }
FK_API int32_t fk_triu(fk_tensor a, int64_t k, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::triu(*a, k))); }
FK_API int32_t fk_diag(fk_tensor a, int64_t k, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::diag(*a, k))); }
FK_API int32_t fk_diagonal(fk_tensor a, int64_t offset, int64_t d1, int64_t d2, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(at::diagonal(*a, offset, d1, d2)));
}
FK_API int32_t fk_diag_embed(fk_tensor a, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::diag_embed(*a))); }
FK_API int32_t fk_one_hot(fk_tensor a, int64_t classes, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::one_hot(*a, classes))); }
FK_API int32_t fk_bincount(fk_tensor a, fk_tensor weights, int64_t minlength, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(at::bincount(*a, fk::opt(weights), minlength)));
}
FK_API int32_t fk_searchsorted(fk_tensor sorted, fk_tensor values, int32_t right, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(at::searchsorted(*sorted, *values, false, right != 0)));
}
FK_API int32_t fk_unique(fk_tensor a, int32_t sorted, fk_tensor* values, fk_tensor* counts) {
  FK_GUARDED({ auto r = at::_unique2(*a, sorted != 0, false, true); *values = fk::wrap(std::get<0>(r)); *counts = fk::wrap(std::get<2>(r)); });
}
FK_API int32_t fk_pad(fk_tensor a, const int64_t* pad, int64_t npad, int32_t mode, double value, fk_tensor* out) {
  // mode: 0 constant, 1 reflect, 2 replicate, 3 circular
  FK_GUARDED({
    namespace F = torch::nn::functional;
    auto opts = F::PadFuncOptions(std::vector<int64_t>(pad, pad + npad)).value(value);
    if (mode == 1) opts.mode(torch::kReflect); else if (mode == 2) opts.mode(torch::kReplicate); else if (mode == 3) opts.mode(torch::kCircular);
    *out = fk::wrap(F::pad(*a, opts));
  });
}
FK_API int32_t fk_to(fk_tensor a, int32_t dtype, int32_t device_type, int32_t device_index, int32_t copy, fk_tensor* out) {
  FK_GUARDED({
    at::Device dev(static_cast<at::DeviceType>(device_type), static_cast<c10::DeviceIndex>(device_index));
    *out = fk::wrap(a->to(dev, static_cast<at::ScalarType>(dtype), false, copy != 0));
  });
}
