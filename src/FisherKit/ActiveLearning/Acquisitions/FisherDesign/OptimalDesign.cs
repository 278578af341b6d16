using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.ActiveLearning.Acquisitions;

/// <summary>
/// Greedy optimal experimental design on Fisher embeddings. The information of a set S is
/// A(S) = λI + Σ_{n∈S} E_nᵀE_n (r × r), with E_n (K × r) the projected Fisher factor of input n
/// (<see cref="FisherEmbeddings"/>) and λ a prior precision. A batch is built one point at a time; after
/// each choice A grows by the rank-K term E_*ᵀE_*, and everything is updated without refactorising A:
/// <list type="bullet">
/// <item>matrix determinant lemma: log det(A + EᵀE) = log det A + log det(I_K + E A⁻¹ Eᵀ);</item>
/// <item>Woodbury: (A + E_*ᵀE_*)⁻¹ = A⁻¹ − A⁻¹E_*ᵀ S_*⁻¹ E_* A⁻¹ with S_* = I + E_* A⁻¹ E_*ᵀ, applied to
/// the candidates' B_u = E_u A⁻¹ (K × r each) at cost O(M K² r) per step;</item>
/// <item>A-optimal gain tr A⁻¹ − tr (A + E_uᵀE_u)⁻¹ = tr(S_u⁻¹ B_u B_uᵀ);</item>
/// <item>E-optimal gain λ_min(A + E_uᵀE_u) − λ_min(A), evaluated in the span of the m eigenvectors of A
/// with the smallest eigenvalues (Rayleigh–Ritz; exact when m = r, i.e. when r ≤ <c>eigenSubspace</c>); for
/// one-row embeddings (K = 1, regression) the Ritz matrix is a rank-one update of a diagonal matrix and its
/// smallest eigenvalue comes from the secular equation, without an eigendecomposition per candidate. While the
/// smallest eigenvalue of A is repeated more than K times (up to a relative 10⁻⁹), no candidate can raise it:
/// all gains are 0 and the first candidates in their given order are taken.</item>
/// </list>
/// All arithmetic is float64.
/// </summary>
public static class OptimalDesign
{
    /// <summary>A = λI + Σ_n E_nᵀE_n for embeddings (N, K, r); N may be 0. float64 (r × r).</summary>
    public static Tensor Information(Tensor embeddings, double priorPrecision, long? dimension = null)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        if (!(priorPrecision > 0)) throw new ArgumentOutOfRangeException(nameof(priorPrecision), priorPrecision, "The prior precision must be positive (it keeps A invertible).");
        if (embeddings.ndim != 3) throw new ArgumentException($"Embeddings must be (N, K, r), got {TensorChecks.Shape(embeddings.shape)}.", nameof(embeddings));
        if (dimension is { } d && d != embeddings.shape[2])
            throw new ArgumentException($"Embeddings {TensorChecks.Shape(embeddings.shape)} have dimension r = {embeddings.shape[2]}, but dimension {d} was asked for.", nameof(dimension));
        TensorChecks.Finite(embeddings, nameof(embeddings));
        using var scope = NewDisposeScope();
        var r = dimension ?? embeddings.shape[2];
        var a = eye(r, dtype: ScalarType.Float64) * Hold(priorPrecision);
        if (embeddings.shape[0] > 0)
        {
            var e = embeddings.to(ScalarType.Float64, CPU).reshape(-1, r);
            a = a.add(e.t().mm(e), One);
        }
        return scope.MoveToOuter(a);
    }

    /// <summary>log det of a symmetric positive-definite matrix (Cholesky).</summary>
    public static double LogDet(Tensor information)
    {
        ArgumentNullException.ThrowIfNull(information);
        using var scope = NewDisposeScope();
        var l = linalg.cholesky(information.to(ScalarType.Float64));
        return 2 * l.diagonal().log().sum().ToDouble();
    }

    /// <summary>
    /// Chooses <paramref name="count"/> of the candidates (M, K, r) greedily for <paramref name="criterion"/>,
    /// starting from the information <paramref name="information"/> (r × r, symmetric positive definite).
    /// </summary>
    public static GreedyDesign Greedy(Tensor candidates, Tensor information, int count, DesignCriterion criterion, int eigenSubspace = 128)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(information);
        if (candidates.ndim != 3) throw new ArgumentException($"Candidate embeddings must be (M, K, r), got {TensorChecks.Shape(candidates.shape)}.", nameof(candidates));
        var (m, k, r) = (candidates.shape[0], candidates.shape[1], candidates.shape[2]);
        if (information.ndim != 2 || information.shape[0] != r || information.shape[1] != r)
            throw new ArgumentException($"The information matrix must be [{r}, {r}] for embeddings of dimension {r}, got {TensorChecks.Shape(information.shape)}.", nameof(information));
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "must be ≥ 0");
        // NaN would surface as a failed Cholesky or eigh ("not positive-definite", "failed to converge") or a silent pick.
        TensorChecks.Finite(candidates, nameof(candidates));
        TensorChecks.Finite(information, nameof(information));
        if (eigenSubspace < 1) throw new ArgumentOutOfRangeException(nameof(eigenSubspace), eigenSubspace, "must be ≥ 1");
        count = (int)Math.Min(count, m);
        using var outer = NewDisposeScope();
        var e = candidates.to(ScalarType.Float64, CPU).contiguous();
        var a = information.to(ScalarType.Float64, CPU).clone();
        var logDet0 = LogDet(a);
        var ainv = SpdInverse(a);
        var b = e.reshape(-1, r).mm(ainv).reshape(m, k, r);                 // B_u = E_u A⁻¹
        var eyeK = eye(k, dtype: ScalarType.Float64);
        var taken = new bool[m];
        var picks = new int[count];
        var gains = new double[count];
        double logDet = logDet0;
        for (int step = 0; step < count; step++)
        {
            using var scope = NewDisposeScope();
            var s = eyeK.add(b.bmm(e.transpose(1, 2)), One);                           // (M, K, K)
            double[] gain = criterion switch
            {
                DesignCriterion.DOptimal => BatchedLogDet(s).ToArray<double>(),
                DesignCriterion.AOptimal => linalg.solve(s, b.bmm(b.transpose(1, 2))).diagonal(0, 1, 2).sum(1).ToArray<double>(),
                _ => SmallestEigenvalueGain(e, a, eigenSubspace),
            };
            int j = TensorUtil.ArgMax(gain, taken);
            taken[j] = true;
            picks[step] = j;
            gains[step] = gain[j];
            var ej = e[j];                                                       // (K, r)
            var bj = b[j];
            var sj = s[j];
            logDet += LogDet(sj);
            // Woodbury updates of B and A⁻¹, and A itself.
            var sinvB = linalg.solve(sj, bj);                                    // S⁻¹ B_*   (K, r)
            var c = b.reshape(-1, r).mm(ej.t()).reshape(m, k, k);              // E_u A⁻¹ E_*ᵀ = B_u E_*ᵀ
            var newB = b - c.reshape(-1, k).mm(sinvB).reshape(m, k, r);
            var newAinv = ainv - bj.t().mm(sinvB);
            var newA = a.add(ej.t().mm(ej), One);
            b.Dispose(); ainv.Dispose(); a.Dispose();
            b = scope.MoveToOuter(newB);
            ainv = scope.MoveToOuter(newAinv.add(newAinv.t(), One) * Hold(0.5));
            a = scope.MoveToOuter(newA);
        }
        return new GreedyDesign(picks, gains, logDet0, logDet);
    }

    /// <summary>Inverse of an SPD matrix via Cholesky, symmetrised.</summary>
    internal static Tensor SpdInverse(Tensor a)
    {
        using var scope = NewDisposeScope();
        var l = linalg.cholesky(a);
        var inv = cholesky_solve(eye(a.shape[0], dtype: a.dtype), l);
        return scope.MoveToOuter(inv.add(inv.t(), One) * Hold(0.5));
    }

    /// <summary>log det of each SPD matrix in a batch (B, K, K), via Cholesky.</summary>
    internal static Tensor BatchedLogDet(Tensor s)
    {
        using var scope = NewDisposeScope();
        var l = linalg.cholesky(s);
        return scope.MoveToOuter(l.diagonal(0, 1, 2).log().sum(1) * Hold(2));
    }

    private static double[] SmallestEigenvalueGain(Tensor e, Tensor a, int eigenSubspace)
    {
        using var scope = NewDisposeScope();
        var (w, v) = linalg.eigh(a);                                              // ascending
        var r = a.shape[0];
        // If λ_min(A) is repeated more than K times, a rank-K update leaves a copy of it (interlacing): every
        // gain is exactly 0 and the criterion cannot tell the candidates apart (e.g. while |L|·K < r).
        // Repeated means equal to within eigh's accuracy, a few hundred rounding errors of the largest eigenvalue
        // (an absolute 1e-9·λ_max before merged distinct eigenvalues when λ_max passed 1e9 and dropped real gains).
        var wv = w.ToArray<double>();
        var tolerance = 1e-13 * Math.Abs(wv[^1]);
        if (wv.TakeWhile(x => x - wv[0] <= tolerance).Count() > e.shape[1]) return new double[e.shape[0]];
        var mdim = Math.Min(r, eigenSubspace);
        var vm = v.narrow(1, 0, mdim);
        var g = e.reshape(-1, r).mm(vm).reshape(e.shape[0], e.shape[1], mdim);   // (M, K, m)
        var wm = w.narrow(0, 0, mdim);
        if (e.shape[1] == 1) return (SmallestEigenvalueOfRankOneUpdate(wm, g.select(1, 0)) - w[0]).ToArray<double>();
        var t = wm.diag().unsqueeze(0).add(g.transpose(1, 2).bmm(g), One);
        var lmin = linalg.eigvalsh(t).select(1, 0);
        return (lmin - w[0]).ToArray<double>();
    }

    /// <summary>
    /// λ_min(diag(w) + z zᵀ) for each row z of <paramref name="z"/> (M, m), with <paramref name="w"/> (m) ascending:
    /// the root in [w₀, min(w₁, w₀ + z₀²)] of the secular equation 1 + Σ_i z_i² / (w_i − λ) = 0, which is
    /// increasing there (Golub 1973), found by bisection in O(M m) per step instead of M eigendecompositions.
    /// </summary>
    internal static Tensor SmallestEigenvalueOfRankOneUpdate(Tensor w, Tensor z)
    {
        using var scope = NewDisposeScope();
        var z2 = z.pow(Hold(2));                                                      // (M, m)
        var w0 = w[0].ToDouble();
        var w1 = w.shape[0] > 1 ? w[1].ToDouble() : double.PositiveInfinity;
        var lo = full([z.shape[0]], Hold(w0), ScalarType.Float64);
        var hi = z2.select(1, 0).add(Hold(w0), One).clamp_max(Hold(w1));
        var wRow = w.unsqueeze(0);
        for (int it = 0; it < 100; it++)
        {
            using var step = NewDisposeScope();
            var mid = lo.add(hi, One) * Hold(0.5);
            // Strictly inside (w₀, w₁) wherever lo < hi, so no denominator vanishes; where lo = hi the value is final.
            var open = mid.gt(lo) & mid.lt(hi);
            var safeMid = where(open, mid, lo - Hold(1.0));
            var f = (z2 / (wRow - safeMid.unsqueeze(1))).sum(1).add(Hold(1.0), One);
            var below = open & f.lt(Hold(0));                                           // root above mid
            var newLo = where(below, mid, lo);
            var newHi = where(open & ~below, mid, hi);
            lo.Dispose(); hi.Dispose();
            lo = step.MoveToOuter(newLo);
            hi = step.MoveToOuter(newHi);
        }
        return scope.MoveToOuter(lo.add(hi, One) * Hold(0.5));
    }
}
