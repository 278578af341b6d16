using FisherKit.Torch.Native;

namespace FisherKit.Torch;

// Matrix products and linear algebra (torch.linalg).
public static partial class torch
{
    public partial class Tensor
    {
        /// <summary>Matrix product with NumPy broadcasting rules (vectors, matrices, batches).</summary>
        public Tensor matmul(Tensor other) => Wrap(NativeMethods.fk_matmul(Handle, other.Handle, out var r), r);
        /// <summary>Matrix × matrix.</summary>
        public Tensor mm(Tensor other) => Wrap(NativeMethods.fk_mm(Handle, other.Handle, out var r), r);
        /// <summary>Batched matrix × matrix (b×n×m · b×m×p).</summary>
        public Tensor bmm(Tensor other) => Wrap(NativeMethods.fk_bmm(Handle, other.Handle, out var r), r);
        /// <summary>Matrix × vector.</summary>
        public Tensor mv(Tensor vec) => Wrap(NativeMethods.fk_mv(Handle, vec.Handle, out var r), r);
        /// <summary>Inner product of two 1-D tensors.</summary>
        public Tensor dot(Tensor other) => Wrap(NativeMethods.fk_dot(Handle, other.Handle, out var r), r);
        /// <summary>Outer product of two 1-D tensors.</summary>
        public Tensor outer(Tensor other) => Wrap(NativeMethods.fk_outer(Handle, other.Handle, out var r), r);
        /// <summary>Sum of the diagonal of a matrix.</summary>
        public Tensor trace() => Wrap(NativeMethods.fk_trace(Handle, out var r), r);
    }

    /// <summary>Matrix product with broadcasting.</summary>
    public static Tensor matmul(Tensor a, Tensor b) => a.matmul(b);
    /// <summary>Matrix × matrix.</summary>
    public static Tensor mm(Tensor a, Tensor b) => a.mm(b);
    /// <summary>Batched matrix × matrix.</summary>
    public static Tensor bmm(Tensor a, Tensor b) => a.bmm(b);
    /// <summary>Outer product.</summary>
    public static Tensor outer(Tensor a, Tensor b) => a.outer(b);
    /// <summary>beta·c + alpha·(a @ b).</summary>
    public static Tensor addmm(Tensor c, Tensor a, Tensor b, double beta = 1, double alpha = 1) =>
        Tensor.Wrap(NativeMethods.fk_addmm(c.Handle, a.Handle, b.Handle, beta, alpha, out var r), r);
    /// <summary>Kronecker product.</summary>
    public static Tensor kron(Tensor a, Tensor b) => Tensor.Wrap(NativeMethods.fk_kron(a.Handle, b.Handle, out var r), r);
    /// <summary>Pairwise p-norm distances between the rows of a and b.</summary>
    public static Tensor cdist(Tensor a, Tensor b, double p = 2) => Tensor.Wrap(NativeMethods.fk_cdist(a.Handle, b.Handle, p, out var r), r);
    /// <summary>Solves A X = B given the Cholesky factor of A.</summary>
    public static Tensor cholesky_solve(Tensor b, Tensor l, bool upper = false) => Tensor.Wrap(NativeMethods.fk_cholesky_solve(b.Handle, l.Handle, upper ? 1 : 0, out var r), r);

    /// <summary>Einstein summation, e.g. einsum("bij,bjk->bik", a, b).</summary>
    public static unsafe Tensor einsum(string equation, params Tensor[] operands)
    {
        ArgumentException.ThrowIfNullOrEmpty(equation);
        using var h = new HandleArray(operands);
        fixed (IntPtr* p = h.Pointers)
            return Tensor.Wrap(NativeMethods.fk_einsum(equation, p, h.Length, out var r), r);
    }

    /// <summary>
    /// Linear algebra (torch.linalg). Decompositions, inverses and solvers reject matrices with NaN or
    /// infinite entries up front (LAPACK would return NaN factors or fail with an unrelated message).
    /// </summary>
    public static class linalg
    {
        private static Tensor Finite(Tensor a, string op)
        {
            using var _ = NoGradGuard();
            using var finite = a.isfinite();
            using var all = finite.all();
            if (!all.item<bool>())
                throw new ArgumentException($"{op}: the matrix of shape {Tensor.ShapeString(a.shape)} contains NaN or infinite entries.", nameof(a));
            return a;
        }

        /// <summary>Eigenvalues (ascending) and orthonormal eigenvectors (columns) of symmetric matrices.</summary>
        public static (Tensor eigenvalues, Tensor eigenvectors) eigh(Tensor a, string UPLO = "L")
        {
            Status.Check(NativeMethods.fk_linalg_eigh(Finite(a, nameof(eigh)).Handle, UPLO == "U" ? 1 : 0, out var v, out var w));
            return (new Tensor(v), new Tensor(w));
        }
        /// <summary>Eigenvalues (ascending) of symmetric matrices.</summary>
        public static Tensor eigvalsh(Tensor a) => Tensor.Wrap(NativeMethods.fk_linalg_eigvalsh(Finite(a, nameof(eigvalsh)).Handle, out var r), r);
        /// <summary>Singular value decomposition A = U diag(S) Vh.</summary>
        public static (Tensor U, Tensor S, Tensor Vh) svd(Tensor a, bool full_matrices = true)
        {
            Status.Check(NativeMethods.fk_linalg_svd(Finite(a, nameof(svd)).Handle, full_matrices ? 1 : 0, out var u, out var s, out var vh));
            return (new Tensor(u), new Tensor(s), new Tensor(vh));
        }
        /// <summary>Singular values (descending).</summary>
        public static Tensor svdvals(Tensor a) => Tensor.Wrap(NativeMethods.fk_linalg_svdvals(Finite(a, nameof(svdvals)).Handle, out var r), r);
        /// <summary>Solves A X = B for square A.</summary>
        public static Tensor solve(Tensor a, Tensor b) => Tensor.Wrap(NativeMethods.fk_linalg_solve(Finite(a, nameof(solve)).Handle, b.Handle, out var r), r);
        /// <summary>Solves a triangular system A X = B (left) or X A = B.</summary>
        public static Tensor solve_triangular(Tensor a, Tensor b, bool upper, bool left = true, bool unitriangular = false) =>
            Tensor.Wrap(NativeMethods.fk_linalg_solve_triangular(a.Handle, b.Handle, upper ? 1 : 0, left ? 1 : 0, unitriangular ? 1 : 0, out var r), r);
        /// <summary>Cholesky factor L (A = L Lᵀ) of symmetric positive-definite matrices.</summary>
        public static Tensor cholesky(Tensor a, bool upper = false) => Tensor.Wrap(NativeMethods.fk_linalg_cholesky(Finite(a, nameof(cholesky)).Handle, upper ? 1 : 0, out var r), r);
        /// <summary>QR decomposition ("reduced" or "complete").</summary>
        public static (Tensor Q, Tensor R) qr(Tensor a, string mode = "reduced")
        {
            if (mode is not ("reduced" or "complete")) throw new ArgumentException($"qr mode must be \"reduced\" or \"complete\", got \"{mode}\".", nameof(mode));
            Status.Check(NativeMethods.fk_linalg_qr(Finite(a, nameof(qr)).Handle, mode == "complete" ? 1 : 0, out var q, out var rr));
            return (new Tensor(q), new Tensor(rr));
        }
        /// <summary>Inverse of square matrices.</summary>
        public static Tensor inv(Tensor a) => Tensor.Wrap(NativeMethods.fk_linalg_inv(Finite(a, nameof(inv)).Handle, out var r), r);
        /// <summary>Moore–Penrose pseudo-inverse.</summary>
        public static Tensor pinv(Tensor a, double rtol = 0, bool hermitian = false) => Tensor.Wrap(NativeMethods.fk_linalg_pinv(Finite(a, nameof(pinv)).Handle, rtol, hermitian ? 1 : 0, out var r), r);
        /// <summary>Determinant.</summary>
        public static Tensor det(Tensor a) => Tensor.Wrap(NativeMethods.fk_linalg_det(a.Handle, out var r), r);
        /// <summary>Sign and log|det|, stable for large matrices.</summary>
        public static (Tensor sign, Tensor logabsdet) slogdet(Tensor a)
        {
            Status.Check(NativeMethods.fk_linalg_slogdet(a.Handle, out var s, out var l));
            return (new Tensor(s), new Tensor(l));
        }
        /// <summary>Least-squares solution of A X ≈ B.</summary>
        public static Tensor lstsq(Tensor a, Tensor b) => Tensor.Wrap(NativeMethods.fk_linalg_lstsq(Finite(a, nameof(lstsq)).Handle, b.Handle, out var r), r);
        /// <summary>Matrix norm: "fro" (default), "nuc", or 2 (spectral) via <paramref name="ord"/>.</summary>
        public static Tensor matrix_norm(Tensor a, string ord = "fro") =>
            Tensor.Wrap(NativeMethods.fk_linalg_matrix_norm(a.Handle, ord switch { "fro" => 0, "nuc" => 1, "2" => 2, _ => throw new ArgumentException($"Unknown matrix norm '{ord}'; use \"fro\", \"nuc\" or \"2\".", nameof(ord)) }, out var r), r);
        /// <summary>Numerical rank.</summary>
        public static Tensor matrix_rank(Tensor a) => Tensor.Wrap(NativeMethods.fk_linalg_matrix_rank(a.Handle, out var r), r);
        /// <summary>Vector 2-norm over all elements (or p-norm).</summary>
        public static Tensor vector_norm(Tensor a, double ord = 2) => a.norm(ord);
    }
}
