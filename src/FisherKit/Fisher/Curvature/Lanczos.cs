using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Fisher.Curvature;

/// <summary>
/// Top eigenpairs of a symmetric matrix-free operator by the Lanczos iteration with full
/// reorthogonalisation (float64), followed by the eigendecomposition of the tridiagonal matrix.
/// </summary>
public static class Lanczos
{
    /// <summary>
    /// The k largest eigenvalues (descending) and unit eigenvectors of <paramref name="a"/>, from a
    /// Krylov space of dimension <paramref name="iterations"/> (default min(P, max(2k + 20, 40))).
    /// </summary>
    public static (double[] eigenvalues, ParamVector[] eigenvectors) TopEigenpairs(ICurvatureMatrix a, ParameterLayout layout, int k, int? iterations = null, long seed = 0)
    {
        if (k < 1 || k > layout.Size) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must lie in [1, {layout.Size}].");
        int m = (int)Math.Min(layout.Size, iterations ?? Math.Max(2 * k + 20, 40));
        if (m < k) throw new ArgumentOutOfRangeException(nameof(iterations), iterations, "The Krylov dimension must be at least k.");
        using var scope = NewDisposeScope();
        using var gen = new Generator((ulong)seed);
        var q = randn([layout.Size], ScalarType.Float64, generator: gen);
        q = q / q.norm();
        var basis = new List<Tensor> { q };
        var alphas = new List<double>();
        var betas = new List<double>();
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
            if (j == m - 1 || beta < 1e-12 * Math.Max(1, Math.Abs(alpha))) break;
            betas.Add(beta);
            basis.Add(w / Hold(beta));
        }
        int n = alphas.Count;
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
        var qb = stack(basis.Take(n).ToList(), 1);
        int take = Math.Min(k, n);
        var resultValues = new double[take];
        var vectors = new ParamVector[take];
        for (int i = 0; i < take; i++)
        {
            resultValues[i] = values[order[i]];
            var y = qb.mv(s.select(1, order[i]));
            vectors[i] = layout.Unflatten(y / y.norm());
            foreach (var tt in vectors[i].Tensors) scope.MoveToOuter(tt);
        }
        return (resultValues, vectors);
    }
}
