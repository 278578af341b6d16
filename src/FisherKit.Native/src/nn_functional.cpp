// Functional neural-network ops: layers, pooling, normalisation, activations, losses, resampling.
// reduction codes follow at::Reduction: 0 none, 1 mean, 2 sum.
#include "fk_common.h"

#define FK_IA(name) const int64_t* name, int64_t n_##name
#define FK_REF(name) fk::dims(name, n_##name)

FK_API int32_t fk_linear(fk_tensor x, fk_tensor w, fk_tensor b, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(at::linear(*x, *w, fk::opt(b))));
}
FK_API int32_t fk_conv1d(fk_tensor x, fk_tensor w, fk_tensor b, FK_IA(stride), FK_IA(padding), FK_IA(dilation), int64_t groups, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(at::conv1d(*x, *w, fk::opt(b), FK_REF(stride), FK_REF(padding), FK_REF(dilation), groups)));
}
FK_API int32_t fk_conv2d(fk_tensor x, fk_tensor w, fk_tensor b, FK_IA(stride), FK_IA(padding), FK_IA(dilation), int64_t groups, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(at::conv2d(*x, *w, fk::opt(b), FK_REF(stride), FK_REF(padding), FK_REF(dilation), groups)));
}
// The gradients of a convolution (at::convolution_backward); mask bits 1 input, 2 weight, 4 bias.
// Outputs not asked for are returned as null.
FK_API int32_t fk_convolution_backward(fk_tensor grad_output, fk_tensor x, fk_tensor w, FK_IA(stride), FK_IA(padding), FK_IA(dilation),
                                       int32_t transposed, FK_IA(output_padding), int64_t groups, int32_t mask,
                                       fk_tensor* grad_input, fk_tensor* grad_weight, fk_tensor* grad_bias) {
  FK_GUARDED({
    std::vector<int64_t> bias_sizes{w->size(transposed ? 1 : 0) * (transposed ? groups : 1)};
    auto r = at::convolution_backward(*grad_output, *x, *w, (mask & 4) ? c10::optional<at::IntArrayRef>(bias_sizes) : c10::nullopt,
                                      FK_REF(stride), FK_REF(padding), FK_REF(dilation), transposed != 0, FK_REF(output_padding), groups,
                                      {(mask & 1) != 0, (mask & 2) != 0, (mask & 4) != 0});
    *grad_input = fk::wrap(std::get<0>(r));
    *grad_weight = fk::wrap(std::get<1>(r));
    *grad_bias = fk::wrap(std::get<2>(r));
  });
}
FK_API int32_t fk_conv_transpose2d(fk_tensor x, fk_tensor w, fk_tensor b, FK_IA(stride), FK_IA(padding), FK_IA(output_padding),
                                   int64_t groups, FK_IA(dilation), fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(at::conv_transpose2d(*x, *w, fk::opt(b), FK_REF(stride), FK_REF(padding), FK_REF(output_padding), groups, FK_REF(dilation))));
}
FK_API int32_t fk_max_pool1d(fk_tensor x, FK_IA(kernel), FK_IA(stride), FK_IA(padding), FK_IA(dilation), int32_t ceil_mode, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(at::max_pool1d(*x, FK_REF(kernel), FK_REF(stride), FK_REF(padding), FK_REF(dilation), ceil_mode != 0)));
}
FK_API int32_t fk_max_pool2d(fk_tensor x, FK_IA(kernel), FK_IA(stride), FK_IA(padding), FK_IA(dilation), int32_t ceil_mode, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(at::max_pool2d(*x, FK_REF(kernel), FK_REF(stride), FK_REF(padding), FK_REF(dilation), ceil_mode != 0)));
}
FK_API int32_t fk_max_pool2d_with_indices(fk_tensor x, FK_IA(kernel), FK_IA(stride), FK_IA(padding), FK_IA(dilation), int32_t ceil_mode,
                                          fk_tensor* values, fk_tensor* indices) {
  FK_GUARDED({
    auto r = at::max_pool2d_with_indices(*x, FK_REF(kernel), FK_REF(stride), FK_REF(padding), FK_REF(dilation), ceil_mode != 0);
    *values = fk::wrap(std::get<0>(r));
    *indices = fk::wrap(std::get<1>(r));
  });
}
FK_API int32_t fk_avg_pool1d(fk_tensor x, FK_IA(kernel), FK_IA(stride), FK_IA(padding), int32_t ceil_mode, int32_t count_include_pad, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(at::avg_pool1d(*x, FK_REF(kernel), FK_REF(stride), FK_REF(padding), ceil_mode != 0, count_include_pad != 0)));
}
FK_API int32_t fk_avg_pool2d(fk_tensor x, FK_IA(kernel), FK_IA(stride), FK_IA(padding), int32_t ceil_mode, int32_t count_include_pad, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(at::avg_pool2d(*x, FK_REF(kernel), FK_REF(stride), FK_REF(padding), ceil_mode != 0, count_include_pad != 0)));
}
FK_API int32_t fk_adaptive_avg_pool1d(fk_tensor x, FK_IA(size), fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::adaptive_avg_pool1d(*x, FK_REF(size)))); }
FK_API int32_t fk_adaptive_avg_pool2d(fk_tensor x, FK_IA(size), fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::adaptive_avg_pool2d(*x, FK_REF(size)))); }
FK_API int32_t fk_adaptive_max_pool2d(fk_tensor x, FK_IA(size), fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(std::get<0>(at::adaptive_max_pool2d(*x, FK_REF(size)))));
}
FK_API int32_t fk_dropout(fk_tensor x, double p, int32_t training, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::dropout(*x, p, training != 0))); }
FK_API int32_t fk_feature_dropout(fk_tensor x, double p, int32_t training, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(at::feature_dropout(*x, p, training != 0)));
}
FK_API int32_t fk_batch_norm(fk_tensor x, fk_tensor running_mean, fk_tensor running_var, fk_tensor w, fk_tensor b, int32_t training,
                             double momentum, double eps, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(at::batch_norm(*x, fk::opt(w), fk::opt(b), fk::opt(running_mean), fk::opt(running_var), training != 0, momentum, eps, false)));
}
FK_API int32_t fk_layer_norm(fk_tensor x, FK_IA(shape), fk_tensor w, fk_tensor b, double eps, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(at::layer_norm(*x, FK_REF(shape), fk::opt(w), fk::opt(b), eps)));
}
FK_API int32_t fk_group_norm(fk_tensor x, int64_t groups, fk_tensor w, fk_tensor b, double eps, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(at::group_norm(*x, groups, fk::opt(w), fk::opt(b), eps)));
}
FK_API int32_t fk_leaky_relu(fk_tensor x, double slope, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::leaky_relu(*x, slope))); }
FK_API int32_t fk_elu(fk_tensor x, double alpha, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::elu(*x, alpha))); }
FK_API int32_t fk_gelu(fk_tensor x, int32_t tanh_approx, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::gelu(*x, tanh_approx ? "tanh" : "none"))); }
FK_API int32_t fk_silu(fk_tensor x, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::silu(*x))); }
FK_API int32_t fk_softplus(fk_tensor x, double beta, double threshold, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::softplus(*x, beta, threshold))); }
FK_API int32_t fk_log_sigmoid(fk_tensor x, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::log_sigmoid(*x))); }
FK_API int32_t fk_hardtanh(fk_tensor x, double lo, double hi, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::hardtanh(*x, lo, hi))); }
FK_API int32_t fk_softmax(fk_tensor x, int64_t dim, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::softmax(*x, dim))); }
FK_API int32_t fk_log_softmax(fk_tensor x, int64_t dim, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::log_softmax(*x, dim))); }
// mode: 0 nearest, 1 linear, 2 bilinear, 3 bicubic; size given (nsize > 0) or scale factors.
FK_API int32_t fk_interpolate(fk_tensor x, FK_IA(size), const double* scale, int64_t nscale, int32_t mode, int32_t align_corners, fk_tensor* out) {
  FK_GUARDED({
    namespace F = torch::nn::functional;
    auto o = F::InterpolateFuncOptions();
    if (n_size > 0) o.size(std::vector<int64_t>(size, size + n_size));
    else o.scale_factor(std::vector<double>(scale, scale + nscale));
    switch (mode) {
      case 0: o.mode(torch::kNearest); break;
      case 1: o.mode(torch::kLinear).align_corners(align_corners != 0); break;
      case 2: o.mode(torch::kBilinear).align_corners(align_corners != 0); break;
      default: o.mode(torch::kBicubic).align_corners(align_corners != 0); break;
    }
    *out = fk::wrap(F::interpolate(*x, o));
  });
}
FK_API int32_t fk_affine_grid(fk_tensor theta, FK_IA(size), int32_t align_corners, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(at::affine_grid_generator(*theta, FK_REF(size), align_corners != 0)));
}
// interpolation: 0 bilinear, 1 nearest, 2 bicubic; padding: 0 zeros, 1 border, 2 reflection.
FK_API int32_t fk_grid_sample(fk_tensor x, fk_tensor grid, int64_t interpolation, int64_t padding, int32_t align_corners, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(at::grid_sampler(*x, *grid, interpolation, padding, align_corners != 0)));
}
FK_API int32_t fk_unfold(fk_tensor x, FK_IA(kernel), FK_IA(dilation), FK_IA(padding), FK_IA(stride), fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(at::im2col(*x, FK_REF(kernel), FK_REF(dilation), FK_REF(padding), FK_REF(stride))));
}
FK_API int32_t fk_fold(fk_tensor x, FK_IA(output), FK_IA(kernel), FK_IA(dilation), FK_IA(padding), FK_IA(stride), fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(at::col2im(*x, FK_REF(output), FK_REF(kernel), FK_REF(dilation), FK_REF(padding), FK_REF(stride))));
}

// ---- losses ----
FK_API int32_t fk_cross_entropy(fk_tensor x, fk_tensor target, fk_tensor weight, int64_t reduction, int64_t ignore_index, double smoothing, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(at::cross_entropy_loss(*x, *target, fk::opt(weight), reduction, ignore_index, smoothing)));
}
FK_API int32_t fk_nll_loss(fk_tensor x, fk_tensor target, fk_tensor weight, int64_t reduction, int64_t ignore_index, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(at::nll_loss_nd(*x, *target, fk::opt(weight), reduction, ignore_index)));
}
FK_API int32_t fk_mse_loss(fk_tensor x, fk_tensor y, int64_t reduction, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::mse_loss(*x, *y, reduction))); }
FK_API int32_t fk_l1_loss(fk_tensor x, fk_tensor y, int64_t reduction, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::l1_loss(*x, *y, reduction))); }
FK_API int32_t fk_smooth_l1_loss(fk_tensor x, fk_tensor y, int64_t reduction, double beta, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(at::smooth_l1_loss(*x, *y, reduction, beta)));
}
FK_API int32_t fk_huber_loss(fk_tensor x, fk_tensor y, int64_t reduction, double delta, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(at::huber_loss(*x, *y, reduction, delta)));
}
FK_API int32_t fk_binary_cross_entropy_with_logits(fk_tensor x, fk_tensor y, fk_tensor weight, fk_tensor pos_weight, int64_t reduction, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(at::binary_cross_entropy_with_logits(*x, *y, fk::opt(weight), fk::opt(pos_weight), reduction)));
}
FK_API int32_t fk_binary_cross_entropy(fk_tensor x, fk_tensor y, fk_tensor weight, int64_t reduction, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(at::binary_cross_entropy(*x, *y, fk::opt(weight), reduction)));
}
FK_API int32_t fk_kl_div(fk_tensor x, fk_tensor y, int64_t reduction, int32_t log_target, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(at::kl_div(*x, *y, reduction, log_target != 0)));
}
