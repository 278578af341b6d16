// Reverse-mode automatic differentiation: backward and grad (with create_graph for double backward).
#include "fk_common.h"

#include <torch/csrc/autograd/autograd.h>

FK_API int32_t fk_backward(const fk_tensor* outputs, int64_t n, const fk_tensor* grad_outputs, int32_t retain_graph, int32_t create_graph) {
  FK_GUARDED({
    auto outs = fk::tensors(outputs, n);
    auto gos = grad_outputs ? fk::tensors(grad_outputs, n) : std::vector<at::Tensor>();
    torch::autograd::backward(outs, gos, retain_graph < 0 ? c10::nullopt : c10::optional<bool>(retain_graph != 0), create_graph != 0);
  });
}

// Gradients of outputs w.r.t. inputs; undefined (unused) gradients come back as null handles.
FK_API int32_t fk_grad(const fk_tensor* outputs, int64_t n_out, const fk_tensor* inputs, int64_t n_in, const fk_tensor* grad_outputs,
                       int32_t retain_graph, int32_t create_graph, int32_t allow_unused, fk_tensor* results) {
  FK_GUARDED({
    auto outs = fk::tensors(outputs, n_out);
    auto ins = fk::tensors(inputs, n_in);
    auto gos = grad_outputs ? fk::tensors(grad_outputs, n_out) : std::vector<at::Tensor>();
    auto r = torch::autograd::grad(outs, ins, gos, retain_graph < 0 ? c10::nullopt : c10::optional<bool>(retain_graph != 0),
                                   create_graph != 0, allow_unused != 0);
    for (int64_t i = 0; i < n_in; ++i) results[i] = fk::wrap(r[static_cast<size_t>(i)]);
  });
}
