using FisherKit.Torch.Tests.Support;

namespace FisherKit.Torch.Tests.Gradients;

/// <summary>
/// Matrix products and decompositions: autograd vs finite differences. Decompositions with a sign or
/// basis freedom (eigh, svd) are checked through quantities that do not depend on it (V·diag(w)·Vᵀ,
/// singular values), and structured inputs (symmetric, triangular) are built inside the function so
/// that every perturbation keeps the structure.
/// </summary>
public class LinalgGradientTests
{
    private static Tensor Sym(Tensor a) => (a + a.mT) * 0.5;

    private static Tensor SpdOf(Tensor a) => a.matmul(a.mT) + eye(a.size(-1), dtype: float64) * a.size(-1);

    private static Tensor Weighted(Tensor vectors) =>
        (vectors * arange(1, vectors.size(-1) + 1, 1, float64)).matmul(vectors.mT);

    private static readonly Dictionary<string, (Func<Data, Tensor[]> inputs, Func<Tensor[], Tensor> f)> Ops = new()
    {
        ["matmul matrix @ matrix"] = (d => [d.N(3, 4), d.N(4, 2)], x => x[0].matmul(x[1])),
        ["matmul vector @ vector"] = (d => [d.N(4), d.N(4)], x => x[0].matmul(x[1])),
        ["matmul matrix @ vector"] = (d => [d.N(3, 4), d.N(4)], x => x[0].matmul(x[1])),
        ["matmul vector @ batch"] = (d => [d.N(3), d.N(2, 3, 4)], x => x[0].matmul(x[1])),
        ["matmul batch broadcast"] = (d => [d.N(2, 1, 3, 4), d.N(3, 4, 2)], x => x[0].matmul(x[1])),
        ["mm"] = (d => [d.N(3, 4), d.N(4, 2)], x => x[0].mm(x[1])),
        ["bmm"] = (d => [d.N(2, 3, 4), d.N(2, 4, 2)], x => x[0].bmm(x[1])),
        ["mv"] = (d => [d.N(3, 4), d.N(4)], x => x[0].mv(x[1])),
        ["dot"] = (d => [d.N(5), d.N(5)], x => x[0].dot(x[1])),
        ["outer"] = (d => [d.N(3), d.N(4)], x => x[0].outer(x[1])),
        ["addmm"] = (d => [d.N(3, 2), d.N(3, 4), d.N(4, 2)], x => addmm(x[0], x[1], x[2], beta: 0.5, alpha: 2)),
        ["einsum batched product"] = (d => [d.N(2, 3, 4), d.N(2, 4, 2)], x => einsum("bij,bjk->bik", x[0], x[1])),
        ["einsum trace and contraction"] = (d => [d.N(3, 3), d.N(3, 4), d.N(4)], x => einsum("ii->", x[0]) * einsum("ij,j->i", x[1], x[2])),
        ["kron"] = (d => [d.N(2, 2), d.N(2, 3)], x => kron(x[0], x[1])),
        ["cdist"] = (d => [d.N(3, 2), d.N(4, 2)], x => cdist(x[0], x[1])),
        ["eigh (eigenvalues)"] = (d => [d.N(4, 4)], x => linalg.eigh(Sym(x[0])).eigenvalues),
        ["eigh (eigenvectors, basis-free)"] = (d => [d.N(4, 4)], x => Weighted(linalg.eigh(Sym(x[0])).eigenvectors)),
        ["eigvalsh"] = (d => [d.N(4, 4)], x => linalg.eigvalsh(Sym(x[0]))),
        ["svd (singular values)"] = (d => [d.N(4, 3)], x => linalg.svd(x[0], full_matrices: false).S),
        ["svd (U and Vh, sign-free)"] = (d => [d.N(4, 3)], x =>
        {
            var (u, _, vh) = linalg.svd(x[0], full_matrices: false);
            return cat([Weighted(u).flatten(), Weighted(vh.mT).flatten()]);
        }),
        ["svdvals"] = (d => [d.N(3, 5)], x => linalg.svdvals(x[0])),
        ["solve"] = (d => [d.N(4, 4), d.N(4, 2)], x => linalg.solve(x[0] + eye(4, dtype: float64) * 4, x[1])),
        ["solve_triangular (upper, left)"] = (d => [d.N(3, 3), d.N(3, 2)], x => linalg.solve_triangular(x[0].triu() + eye(3, dtype: float64) * 3, x[1], upper: true)),
        ["solve_triangular (lower, right)"] = (d => [d.N(3, 3), d.N(2, 3)], x => linalg.solve_triangular(x[0].tril() + eye(3, dtype: float64) * 3, x[1], upper: false, left: false)),
        ["cholesky"] = (d => [d.N(4, 4)], x => linalg.cholesky(SpdOf(x[0]))),
        ["cholesky (upper)"] = (d => [d.N(3, 3)], x => linalg.cholesky(SpdOf(x[0]), upper: true)),
        ["cholesky_solve"] = (d => [d.N(3, 3), d.N(3, 2)], x => cholesky_solve(x[1], linalg.cholesky(SpdOf(x[0])))),
        ["qr (reduced)"] = (d => [d.N(4, 3)], x => { var (q, r) = linalg.qr(x[0]); return cat([q.flatten(), r.flatten()]); }),
        ["qr (complete, square)"] = (d => [d.N(3, 3)], x => { var (q, r) = linalg.qr(x[0], "complete"); return cat([q.flatten(), r.flatten()]); }),
        ["inv"] = (d => [d.N(4, 4)], x => linalg.inv(x[0] + eye(4, dtype: float64) * 3)),
        ["pinv"] = (d => [d.N(4, 3)], x => linalg.pinv(x[0])),
        ["det"] = (d => [d.N(3, 3)], x => linalg.det(x[0])),
        ["slogdet (log |det|)"] = (d => [d.N(3, 3)], x => linalg.slogdet(x[0]).logabsdet),
        ["lstsq"] = (d => [d.N(5, 3), d.N(5, 2)], x => linalg.lstsq(x[0], x[1])),
        ["matrix_norm fro"] = (d => [d.N(3, 4)], x => linalg.matrix_norm(x[0])),
        ["matrix_norm nuc"] = (d => [d.N(3, 4)], x => linalg.matrix_norm(x[0], "nuc")),
        ["matrix_norm 2"] = (d => [d.N(3, 4)], x => linalg.matrix_norm(x[0], "2")),
    };

    public static TheoryData<string> Cases => [.. Ops.Keys];

    [Theory, MemberData(nameof(Cases))]
    public void Matrix_gradient_matches_finite_differences(string op)
    {
        using var scope = NewDisposeScope();
        using var d = new Data(41);
        var (inputs, f) = Ops[op];
        GradCheck.Check(f, inputs(d), atol: 1e-6, rtol: 1e-5);
    }
}
