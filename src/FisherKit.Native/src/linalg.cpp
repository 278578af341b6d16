// Matrix products and linear algebra.
#include "fk_common.h"

FK_API int32_t fk_matmul(fk_tensor a, fk_tensor b, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::matmul(*a, *b))); }
FK_API int32_t fk_mm(fk_tensor a, fk_tensor b, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::mm(*a, *b))); }
FK_API int32_t fk_bmm(fk_tensor a, fk_tensor b, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::bmm(*a, *b))); }
FK_API int32_t fk_mv(fk_tensor a, fk_tensor b, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::mv(*a, *b))); }
FK_API int32_t fk_dot(fk_tensor a, fk_tensor b, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::dot(*a, *b))); }
FK_API int32_t fk_outer(fk_tensor a, fk_tensor b, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::outer(*a, *b))); }
FK_API int32_t fk_addmm(fk_tensor c, fk_tensor a, fk_tensor b, double beta, double alpha, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(at::addmm(*c, *a, *b, beta, alpha)));
}
FK_API int32_t fk_einsum(const char* eq, const fk_tensor* ts, int64_t n, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(at::einsum(eq, fk::tensors(ts, n))));
}
FK_API int32_t fk_kron(fk_tensor a, fk_tensor b, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::kron(*a, *b))); }
FK_API int32_t fk_trace(fk_tensor a, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::trace(*a))); }
FK_API int32_t fk_cdist(fk_tensor a, fk_tensor b, double p, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::cdist(*a, *b, p))); }
FK_API int32_t fk_linalg_eigh(fk_tensor a, int32_t upper, fk_tensor* values, fk_tensor* vectors) {
  FK_GUARDED({ auto r = at::linalg_eigh(*a, upper ? "U" : "L"); *values = fk::wrap(std::get<0>(r)); *vectors = fk::wrap(std::get<1>(r)); });
}
FK_API int32_t fk_linalg_eigvalsh(fk_tensor a, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::linalg_eigvalsh(*a))); }
FK_API int32_t fk_linalg_svd(fk_tensor a, int32_t full_matrices, fk_tensor* u, fk_tensor* s, fk_tensor* vh) {
  FK_GUARDED({ auto r = at::linalg_svd(*a, full_matrices != 0); *u = fk::wrap(std::get<0>(r)); *s = fk::wrap(std::get<1>(r)); *vh = fk::wrap(std::get<2>(r)); });
}
FK_API int32_t fk_linalg_svdvals(fk_tensor a, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::linalg_svdvals(*a))); }
FK_API int32_t fk_linalg_solve(fk_tensor a, fk_tensor b, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::linalg_solve(*a, *b))); }
FK_API int32_t fk_linalg_solve_triangular(fk_tensor a, fk_tensor b, int32_t upper, int32_t left, int32_t unitriangular, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(at::linalg_solve_triangular(*a, *b, upper != 0, left != 0, unitriangular != 0)));
}
FK_API int32_t fk_linalg_cholesky(fk_tensor a, int32_t upper, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::linalg_cholesky(*a, upper != 0))); }
FK_API int32_t fk_cholesky_solve(fk_tensor b, fk_tensor l, int32_t upper, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(at::cholesky_solve(*b, *l, upper != 0)));
}
FK_API int32_t fk_linalg_qr(fk_tensor a, int32_t complete, fk_tensor* q, fk_tensor* r) {
  FK_GUARDED({ auto res = at::linalg_qr(*a, complete ? "complete" : "reduced"); *q = fk::wrap(std::get<0>(res)); *r = fk::wrap(std::get<1>(res)); });
}
FK_API int32_t fk_linalg_inv(fk_tensor a, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::linalg_inv(*a))); }
FK_API int32_t fk_linalg_pinv(fk_tensor a, double rtol, int32_t hermitian, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(at::linalg_pinv(*a, c10::nullopt, c10::optional<double>(rtol), hermitian != 0)));
}
FK_API int32_t fk_linalg_det(fk_tensor a, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::linalg_det(*a))); }
FK_API int32_t fk_linalg_slogdet(fk_tensor a, fk_tensor* sign, fk_tensor* logabsdet) {
  FK_GUARDED({ auto r = at::linalg_slogdet(*a); *sign = fk::wrap(std::get<0>(r)); *logabsdet = fk::wrap(std::get<1>(r)); });
}
FK_API int32_t fk_linalg_lstsq(fk_tensor a, fk_tensor b, fk_tensor* out) {
  FK_GUARDED(*out = fk::wrap(std::get<0>(at::linalg_lstsq(*a, *b, c10::nullopt, c10::string_view("gelsd")))));
}
FK_API int32_t fk_linalg_matrix_norm(fk_tensor a, int32_t kind, fk_tensor* out) {
  // kind: 0 Frobenius, 1 nuclear, 2 spectral
  FK_GUARDED({
    if (kind == 0) *out = fk::wrap(at::linalg_matrix_norm(*a, "fro"));
    else if (kind == 1) *out = fk::wrap(at::linalg_matrix_norm(*a, "nuc"));
    else *out = fk::wrap(at::linalg_matrix_norm(*a, at::Scalar(2.0)));
  });
}
FK_API int32_t fk_linalg_matrix_rank(fk_tensor a, fk_tensor* out) { FK_GUARDED(*out = fk::wrap(at::linalg_matrix_rank(*a))); }
