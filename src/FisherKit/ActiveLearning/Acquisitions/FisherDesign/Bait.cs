using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.ActiveLearning.Acquisitions;

/// <summary>
/// The BAIT batch selection (Ash et al. 2021) on Fisher embeddings: choose a batch S of size B that
/// minimises tr((λI + M_L + M_S)⁻¹ F), where F is the mean Fisher over the labelled points and the
/// candidates, and M_L, M_S are the labelled and chosen points' Fishers, each point weighted 1/(n_L + B)
/// so that M_L + M_S is the mean Fisher of the labelled set after the batch (the objective of the
/// paper; the authors' code weights chosen points by B/(n_L + B) instead). Greedy forward selection of
/// <c>oversample·B</c> points with Woodbury updates, then greedy backward removal down to B, each time
/// removing the point whose removal raises the objective least.
/// </summary>
public static class Bait
{
    /// <summary>
    /// Positions (into <paramref name="candidates"/>) of the chosen batch. Embeddings are (N, K, r);
    /// <paramref name="labelled"/> may have N = 0.
    /// </summary>
    public static int[] Select(Tensor candidates, Tensor labelled, int batch, double lambda = 1.0, int oversample = 2)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(labelled);
        if (candidates.ndim != 3 || labelled.ndim != 3 || candidates.shape[2] != labelled.shape[2] || (labelled.shape[0] > 0 && candidates.shape[1] != labelled.shape[1]))
            throw new ArgumentException($"Embeddings must be (N, K, r) with the same K and r, got {TensorChecks.Shape(candidates.shape)} and {TensorChecks.Shape(labelled.shape)}.");
        if (!(lambda > 0)) throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "must be positive");
        if (oversample < 1) throw new ArgumentOutOfRangeException(nameof(oversample), oversample, "must be ≥ 1");
        if (batch < 0) throw new ArgumentOutOfRangeException(nameof(batch), batch, "must be ≥ 0");
        TensorChecks.Finite(candidates, nameof(candidates));
        TensorChecks.Finite(labelled, nameof(labelled));
        var (m, k, r) = (candidates.shape[0], candidates.shape[1], candidates.shape[2]);
        var nl = labelled.shape[0];
        batch = (int)Math.Min(batch, m);
        if (batch <= 0) return [];
        using var outer = NewDisposeScope();
        var ec = candidates.to(ScalarType.Float64, CPU);
        var el = labelled.to(ScalarType.Float64, CPU);
        var all = cat([el.reshape(-1, r), ec.reshape(-1, r)], 0);
        var fisher = all.t().mm(all) / Hold(nl + m);
        double w = 1.0 / (nl + batch);
        var a = eye(r, dtype: ScalarType.Float64) * Hold(lambda);
        if (nl > 0) a = a.add(el.reshape(-1, r).t().mm(el.reshape(-1, r)) * Hold(w), One);
        var x = ec * Hold(Math.Sqrt(w));                                        // weighted candidate factors
        var ainv = OptimalDesign.SpdInverse(a);
        var b = x.reshape(-1, r).mm(ainv).reshape(m, k, r);              // X_u A⁻¹
        var g = b.reshape(-1, r).mm(fisher).reshape(m, k, r);            // X_u A⁻¹ F
        var eyeK = eye(k, dtype: ScalarType.Float64);
        var taken = new bool[m];
        var chosen = new List<int>();
        int forward = (int)Math.Min(m, (long)oversample * batch);
        for (int step = 0; step < forward; step++)
        {
            using var scope = NewDisposeScope();
            var s = eyeK.add(b.bmm(x.transpose(1, 2)), One);
            // tr A⁻¹F − tr (A + X_uᵀX_u)⁻¹F = tr(S_u⁻¹ X_u A⁻¹ F A⁻¹ X_uᵀ)
            var gain = linalg.solve(s, g.bmm(b.transpose(1, 2))).diagonal(0, 1, 2).sum(1).ToArray<double>();
            int j = TensorUtil.ArgMax(gain, taken);
            taken[j] = true;
            chosen.Add(j);
            var xj = x[j];
            var bj = b[j];
            var sinvB = linalg.solve(s[j], bj);
            var c = b.reshape(-1, r).mm(xj.t()).reshape(m, k, k);
            var cs = c.reshape(-1, k);
            var newB = b - cs.mm(sinvB).reshape(m, k, r);
            var newG = g - cs.mm(sinvB.mm(fisher)).reshape(m, k, r);
            var newAinv = ainv - bj.t().mm(sinvB);
            b.Dispose(); g.Dispose(); ainv.Dispose();
            b = scope.MoveToOuter(newB);
            g = scope.MoveToOuter(newG);
            ainv = scope.MoveToOuter(newAinv.add(newAinv.t(), One) * Hold(0.5));
        }
        while (chosen.Count > batch)
        {
            using var scope = NewDisposeScope();
            var xs = x.index_select(0, tensor(chosen.Select(i => (long)i).ToArray()));   // (n, K, r)
            var bs = xs.reshape(-1, r).mm(ainv).reshape(xs.shape[0], k, r);
            var inner = bs.bmm(xs.transpose(1, 2)) - eyeK;                              // −I + X A⁻¹ Xᵀ
            // Removing X raises tr A⁻¹F by −tr((−I + X A⁻¹Xᵀ)⁻¹ X A⁻¹ F A⁻¹ Xᵀ) = −est: remove the largest est.
            var est = linalg.solve(inner, bs.reshape(-1, r).mm(fisher).reshape(xs.shape[0], k, r).bmm(bs.transpose(1, 2))).diagonal(0, 1, 2).sum(1).ToArray<double>();
            int q = TensorUtil.ArgMax(est);
            var bq = bs[q];
            var newAinv = ainv - bq.t().mm(linalg.solve(inner[q], bq));
            ainv.Dispose();
            ainv = scope.MoveToOuter(newAinv.add(newAinv.t(), One) * Hold(0.5));
            chosen.RemoveAt(q);
        }
        return [.. chosen];
    }
}
