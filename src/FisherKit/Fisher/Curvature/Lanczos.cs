using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Fisher.Curvature;

/// <summary>
/// Top eigenpairs of a symmetric matrix-free operator by the Lanczos iteration with full
/// reorthogonalisation (float64), followed by the eigendecomposition of the tridiagonal matrix.
/// When the Krylov space becomes invariant (a breakdown: the next Lanczos vector vanishes, as it does
/// once the start vector's components in all eigenspaces are spanned, e.g. for a low-rank operator),
/// the iteration restarts from a fresh random vector orthogonalised against the basis so far, so the
/// requested number of pairs comes back. One Krylov sequence holds one vector of each eigenspace, so a
/// repeated eigenvalue shows its multiplicity only through such restarts.
/// </summary>
public static class Lanczos
{
    /// <summary>
    /// The k largest eigenvalues (descending) and unit eigenvectors of <paramref name="a"/>, from a
    /// Krylov space of dimension <paramref name="iterations"/> (default min(P, max(2k + 20, 40))),
    /// restarted after a breakdown (see <see cref="Lanczos"/>): always k pairs.
    /// </summary>
    public static (double[] eigenvalues, ParamVector[] eigenvectors) TopEigenpairs(ICurvatureMatrix a, ParameterLayout layout, int k, int? iterations = null, long seed = 0)
    {
        var (values, vectors, _) = Run(a, layout, k, iterations, seed);
        return (values, vectors);
    }

    /// <summary>
    /// <see cref="TopEigenpairs"/> with the Ritz residual norms ‖A v − λ v‖ of the returned pairs, as the Lanczos
    /// relation A Q = Q T + β q eᵀ gives them: β·|last component of the tridiagonal eigenvector| (no further products).
    /// </summary>
    internal static (double[] eigenvalues, ParamVector[] eigenvectors, double[] residualNorms) Run(ICurvatureMatrix a, ParameterLayout layout, int k, int? iterations = null, long seed = 0)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(layout);
        if (k < 1 || k > layout.Size) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must lie in [1, {layout.Size}].");
        int m = (int)Math.Min(layout.Size, iterations ?? Math.Max(2 * k + 20, 40));
        if (m < k) throw new ArgumentOutOfRangeException(nameof(iterations), iterations, $"The Krylov dimension must be at least k = {k}.");
        using var scope = NewDisposeScope();
        using var gen = new Generator((ulong)seed);
        var q = randn([layout.Size], ScalarType.Float64, generator: gen);
        q = q / q.norm();
        var basis = new List<Tensor> { q };
        var alphas = new List<double>();
        var betas = new List<double>();         // betas[i] couples basis vectors i and i + 1 (0 after a restart)
        double scale = 0;                       // the largest |α| and β so far: the size of the operator seen
        double lastBeta = 0;                    // β after the last vector: the residual of the Krylov space
        for (int j = 0; j < m; j++)
        {
            using var v = layout.Unflatten(basis[j]);
            using var av = a.MatVec(v);
            var w = av.Flatten().to(ScalarType.Float64);
            var alpha = w.dot(basis[j]).ToDouble();
            alphas.Add(alpha);
            // Full reorthogonalisation (twice) against all previous vectors keeps the basis orthonormal in floating point.
            var qm = stack(basis, 1);
            for (int pass = 0; pass < 2; pass++) w = w - qm.mv(qm.t().mv(w));
            var beta = w.norm().ToDouble();
            scale = Math.Max(scale, Math.Max(Math.Abs(alpha), beta));
            bool breakdown = beta <= 1e-12 * scale;
            lastBeta = breakdown ? 0 : beta;
            if (j == m - 1) break;
            if (!breakdown)
            {
                betas.Add(beta);
                basis.Add(w / Hold(beta));
                continue;
            }
            // The Krylov space is invariant: its Ritz pairs are eigenpairs. Go on in its orthogonal complement
            // (invariant too, A being symmetric) from a fresh random vector.
            var r = randn([layout.Size], ScalarType.Float64, generator: gen);
            var r0 = r.norm().ToDouble();
            qm = stack(basis, 1);
            for (int pass = 0; pass < 2; pass++) r = r - qm.mv(qm.t().mv(r));
            var rn = r.norm().ToDouble();
            if (!(rn > 1e-8 * r0)) break;       // the basis spans the whole space (only when it has P vectors)
            betas.Add(0);
            basis.Add(r / Hold(rn));
        }
        int n = alphas.Count;
        if (n < k)
            throw new InvalidOperationException($"Lanczos found {n} eigenpairs of the {layout.Size}×{layout.Size} operator but k = {k} were asked for: the Krylov space could not be extended.");
        var t = zeros([n, n], ScalarType.Float64);
        for (int i = 0; i < n; i++)
        {
            t[i, i] = tensor(alphas[i], ScalarType.Float64);
            if (i + 1 < n)
            {
                t[i, i + 1] = tensor(betas[i], ScalarType.Float64);
                t[i + 1, i] = tensor(betas[i], ScalarType.Float64);
            }
        }
        var (w2, s) = linalg.eigh(t);
        var order = w2.argsort(descending: true).ToArray<long>();
        var values = w2.ToArray<double>();
        var lastRow = s.select(0, n - 1).ToArray<double>();
        var qb = stack(basis.Take(n).ToList(), 1);
        var resultValues = new double[k];
        var vectors = new ParamVector[k];
        var residuals = new double[k];
        for (int i = 0; i < k; i++)
        {
            resultValues[i] = values[order[i]];
            residuals[i] = lastBeta * Math.Abs(lastRow[order[i]]);
            var y = qb.mv(s.select(1, order[i]));
            vectors[i] = layout.Unflatten(y / y.norm());
            foreach (var tt in vectors[i].Tensors) scope.MoveToOuter(tt);
        }
        return (resultValues, vectors, residuals);
    }
}
