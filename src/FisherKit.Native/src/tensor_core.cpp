// Tensor lifecycle, properties, data transfer and creation.
#include "fk_common.h"

#include <cstring>

FK_API void fk_tensor_free(fk_tensor t) { delete t; }
FK_API void fk_handles_free(fk_tensor* arr) { std::free(arr); }

FK_API int32_t fk_tensor_ndim(fk_tensor t, int64_t* out) { FK_GUARDED(*out = t->dim()); }
FK_API int32_t fk_tensor_shape(fk_tensor t, int64_t* out) {
  FK_GUARDED({ auto s = t->sizes(); std::copy(s.begin(), s.end(), out); });
}
FK_API int32_t fk_tensor_strides(fk_tensor t, int64_t* out) {
  FK_GUARDED({ auto s = t->strides(); std::copy(s.begin(), s.end(), out); });
}
FK_API int32_t fk_tensor_numel(fk_tensor t, int64_t* out) { FK_GUARDED(*out = t->numel()); }
FK_API int32_t fk_tensor_dtype(fk_tensor t, int32_t* out) { FK_GUARDED(*out = static_cast<int32_t>(t->scalar_type())); }
FK_API int32_t fk_tensor_device(fk_tensor t, int32_t* type, int32_t* index) {
  FK_GUARDED({ *type = static_cast<int32_t>(t->device().type()); *index = t->device().index(); });
}
FK_API int32_t fk_tensor_requires_grad(fk_tensor t, int32_t* out) { FK_GUARDED(*out = t->requires_grad() ? 1 : 0); }
FK_API int32_t fk_tensor_set_requires_grad(fk_tensor t, int32_t on) { FK_GUARDED(t->set_requires_grad(on != 0)); }
FK_API int32_t fk_tensor_is_leaf(fk_tensor t, int32_t* out) { FK_GUARDED(*out = t->is_leaf() ? 1 : 0); }
FK_API int32_t fk_tensor_is_contiguous(fk_tensor t, int32_t* out) { FK_GUARDED(*out = t->is_contiguous() ? 1 : 0); }
FK_API int32_t fk_tensor_has_grad_fn(fk_tensor t, int32_t* out) { FK_GUARDED(*out = t->grad_fn() ? 1 : 0); }
FK_API int32_t fk_tensor_grad(fk_tensor t, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(t->grad())); }
FK_API int32_t fk_tensor_set_grad(fk_tensor t, fk_tensor g) { FK_GUARDED(t->mutable_grad() = g ? *g : at::Tensor()); }
FK_API int32_t fk_tensor_retain_grad(fk_tensor t) { FK_GUARDED(t->retain_grad()); }
// Replace the data of t (keeping its identity and requires_grad), as Python's `p.data = x`.
FK_API int32_t fk_tensor_set_data(fk_tensor t, fk_tensor data) { FK_GUARDED(t->set_data(*data)); }
// Address of the first element (CPU tensors; the C# side reads and writes contiguous ones directly).
FK_API int32_t fk_tensor_data_ptr(fk_tensor t, void** out) { FK_GUARDED(*out = t->data_ptr()); }
// Records an in-place change made through fk_tensor_data_ptr, so autograd detects stale saved tensors.
FK_API int32_t fk_tensor_bump_version(fk_tensor t) { FK_GUARDED(torch::autograd::impl::bump_version(*t)); }
FK_API int32_t fk_tensor_same_storage(fk_tensor a, fk_tensor b, int32_t* out) {
  FK_GUARDED(*out = a->is_alias_of(*b) ? 1 : 0);
}

// Copies the tensor's elements (converted to a contiguous CPU layout) into dst of nbytes.
FK_API int32_t fk_tensor_copy_to(fk_tensor t, void* dst, int64_t nbytes) {
  FK_GUARDED({
    at::Tensor c = t->detach().to(at::kCPU).contiguous();
    const int64_t need = c.numel() * static_cast<int64_t>(c.element_size());
    TORCH_CHECK(need == nbytes, "destination holds ", nbytes, " bytes but the tensor needs ", need);
    if (need > 0) std::memcpy(dst, c.data_ptr(), static_cast<size_t>(need));
  });
}

// A new tensor holding a copy of nbytes at src, laid out contiguous with the given shape and dtype.
FK_API int32_t fk_tensor_from_data(const void* src, int64_t nbytes, const int64_t* shape, int64_t ndim,
                                   int32_t dtype, int32_t device_type, int32_t device_index, fk_tensor* out) {
  FK_GUARDED({
    at::Tensor t = at::empty(fk::dims(shape, ndim), fk::options(dtype, 0, -1));
    const int64_t need = t.numel() * static_cast<int64_t>(t.element_size());
    TORCH_CHECK(need == nbytes, "source holds ", nbytes, " bytes but shape ", fk::dims(shape, ndim), " of ",
                static_cast<at::ScalarType>(dtype), " needs ", need);
    if (need > 0) std::memcpy(t.data_ptr(), src, static_cast<size_t>(need));
    if (device_type != 0) t = t.to(at::Device(static_cast<at::DeviceType>(device_type), static_cast<c10::DeviceIndex>(device_index)));
    *out = fk::wrap(std::move(t));
  });
}

FK_API int32_t fk_tensor_item(fk_tensor t, double* out) { FK_GUARDED(*out = t->item<double>()); }
FK_API int32_t fk_tensor_item_i64(fk_tensor t, int64_t* out) { FK_GUARDED(*out = t->item<int64_t>()); }

// ---- creation ----
#define FK_OPTS int32_t dtype, int32_t device_type, int32_t device_index, int32_t requires_grad
#define FK_MAKE_OPTS fk::options(dtype, device_type, device_index).requires_grad(requires_grad != 0)

FK_API int32_t fk_empty(const int64_t* shape, int64_t ndim, FK_OPTS, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(at::empty(fk::dims(shape, ndim), FK_MAKE_OPTS)));
}
FK_API int32_t fk_zeros(const int64_t* shape, int64_t ndim, FK_OPTS, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(torch::zeros(fk::dims(shape, ndim), FK_MAKE_OPTS)));
}
FK_API int32_t fk_ones(const int64_t* shape, int64_t ndim, FK_OPTS, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(torch::ones(fk::dims(shape, ndim), FK_MAKE_OPTS)));
}
FK_API int32_t fk_full(const int64_t* shape, int64_t ndim, double value, FK_OPTS, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(torch::full(fk::dims(shape, ndim), value, FK_MAKE_OPTS)));
}
FK_API int32_t fk_eye(int64_t n, int64_t m, FK_OPTS, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(torch::eye(n, m, FK_MAKE_OPTS)));
}
FK_API int32_t fk_arange(double start, double end, double step, FK_OPTS, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(torch::arange(start, end, step, FK_MAKE_OPTS)));
}
FK_API int32_t fk_linspace(double start, double end, int64_t steps, FK_OPTS, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(torch::linspace(start, end, steps, FK_MAKE_OPTS)));
}
FK_API int32_t fk_rand(const int64_t* shape, int64_t ndim, fk_generator g, FK_OPTS, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(torch::rand(fk::dims(shape, ndim), fk::gen(g), FK_MAKE_OPTS)));
}
FK_API int32_t fk_randn(const int64_t* shape, int64_t ndim, fk_generator g, FK_OPTS, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(torch::randn(fk::dims(shape, ndim), fk::gen(g), FK_MAKE_OPTS)));
}
FK_API int32_t fk_randint(int64_t low, int64_t high, const int64_t* shape, int64_t ndim, fk_generator g, FK_OPTS, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(torch::randint(low, high, fk::dims(shape, ndim), fk::gen(g), FK_MAKE_OPTS)));
}
FK_API int32_t fk_randperm(int64_t n, fk_generator g, FK_OPTS, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(torch::randperm(n, fk::gen(g), FK_MAKE_OPTS)));
}
FK_API int32_t fk_bernoulli(fk_tensor p, fk_generator g, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(at::bernoulli(*p, fk::gen(g))));
}
FK_API int32_t fk_multinomial(fk_tensor p, int64_t n, int32_t replacement, fk_generator g, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(at::multinomial(*p, n, replacement != 0, fk::gen(g))));
}
FK_API int32_t fk_normal_(fk_tensor t, double mean, double std, fk_generator g) {
  FK_GUARDED(t->normal_(mean, std, fk::gen(g)));
}
FK_API int32_t fk_uniform_(fk_tensor t, double from, double to, fk_generator g) {
  FK_GUARDED(t->uniform_(from, to, fk::gen(g)));
}
