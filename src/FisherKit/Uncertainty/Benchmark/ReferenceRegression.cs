using FisherKit.Uncertainty.Regression;

namespace FisherKit.Uncertainty.Benchmark;

/// <summary>
/// The reference method of the benchmark (Schmähling, Martin &amp; Elster 2022): Bayesian linear regression on the
/// true basis, y = Φβ + ε, ε ~ N(0, σ²I), with the reference prior π(β, σ) ∝ 1/σ. With n points and p basis
/// functions (ν = n − p degrees of freedom):
/// β̂ = (ΦᵀΦ)⁻¹Φᵀy, s² = ‖y − Φβ̂‖²/ν, and the posterior of f(x*) = φ(x*)ᵀβ is Student-t_ν(φᵀβ̂, s²q) with
/// q = φᵀ(ΦᵀΦ)⁻¹φ; a new observation is t_ν(φᵀβ̂, s²(1 + q)). These credible intervals coincide with the classical
/// confidence intervals, so they cover f(x*) with exactly the nominal probability, at every x* and for every design.
/// Computed in float64 through a Cholesky factor of ΦᵀΦ (no explicit inverse).
/// </summary>
public sealed class ReferenceRegression
{
    private readonly double[,] _cholesky;   // lower triangular L with LLᵀ = ΦᵀΦ

    private ReferenceRegression(double[,] cholesky, double[] coefficients, double residualVariance, int count)
    {
        _cholesky = cholesky;
        Coefficients = coefficients;
        ResidualVariance = residualVariance;
        Count = count;
    }

    /// <summary>β̂.</summary>
    public IReadOnlyList<double> Coefficients { get; }

    /// <summary>s² = RSS/(n − p).</summary>
    public double ResidualVariance { get; }

    /// <summary>n.</summary>
    public int Count { get; }

    /// <summary>p.</summary>
    public int Terms => Coefficients.Count;

    /// <summary>ν = n − p.</summary>
    public double DegreesOfFreedom => Count - Terms;

    /// <summary>Fits the posterior to the design matrix Φ [n, p] and the observations y [n].</summary>
    /// <exception cref="ArgumentException">Shapes that do not match, non-finite values, n ≤ p + 2 (too few points for
    /// the basis: the t variance needs ν &gt; 2), a basis that is linearly dependent on these points, or y fitted exactly.</exception>
    public static ReferenceRegression Fit(double[,] basis, double[] targets)
    {
        ArgumentNullException.ThrowIfNull(basis);
        ArgumentNullException.ThrowIfNull(targets);
        int n = basis.GetLength(0), p = basis.GetLength(1);
        if (targets.Length != n) throw new ArgumentException($"The design matrix has {n} rows but there are {targets.Length} observations.", nameof(targets));
        if (p < 1) throw new ArgumentException("The design matrix has no columns.", nameof(basis));
        if (n <= p + 2)
            throw new ArgumentException($"{n} points are too few for a basis of {p} functions: the reference needs n > p + 2 (ν = n − p > 2 for a finite posterior variance).", nameof(basis));
        foreach (var v in basis) if (!double.IsFinite(v)) throw new ArgumentException("The design matrix contains NaN or infinite values.", nameof(basis));
        foreach (var v in targets) if (!double.IsFinite(v)) throw new ArgumentException("The observations contain NaN or infinite values.", nameof(targets));
        var gram = new double[p, p];
        var rhs = new double[p];
        for (int i = 0; i < n; i++)
            for (int a = 0; a < p; a++)
            {
                rhs[a] += basis[i, a] * targets[i];
                for (int b = 0; b <= a; b++) gram[a, b] += basis[i, a] * basis[i, b];
            }
        var l = Cholesky(gram);
        var beta = SolveTransposed(l, SolveLower(l, rhs));
        double rss = 0;
        for (int i = 0; i < n; i++)
        {
            double r = targets[i];
            for (int k = 0; k < p; k++) r -= basis[i, k] * beta[k];
            rss += r * r;
        }
        double s2 = rss / (n - p);
        if (!(s2 > 0)) throw new ArgumentException("The basis fits the observations exactly (s² = 0): noise-free data have no reference uncertainty.", nameof(targets));
        return new ReferenceRegression(l, beta, s2, n);
    }

    /// <summary>
    /// The posterior at the rows φ(x*) of <paramref name="basis"/> [m, p]: mean φᵀβ̂, epistemic variance
    /// s²q·ν/(ν − 2) (the variance of the t posterior of f), output noise s²·ν/(ν − 2), ν degrees of freedom,
    /// so that <see cref="RegressionPrediction.IntervalFactor"/> gives the t interval φᵀβ̂ ± t_ν·s√q.
    /// </summary>
    public RegressionPrediction Predict(double[,] basis, string name = "reference")
    {
        ArgumentNullException.ThrowIfNull(basis);
        int m = basis.GetLength(0), p = Terms;
        if (basis.GetLength(1) != p) throw new ArgumentException($"The design matrix has {basis.GetLength(1)} columns but the reference was fitted with p = {p}.", nameof(basis));
        double nu = DegreesOfFreedom, inflate = nu / (nu - 2);
        var mean = new double[m];
        var epistemic = new double[m];
        var noise = new double[m];
        var row = new double[p];
        for (int i = 0; i < m; i++)
        {
            for (int k = 0; k < p; k++)
            {
                row[k] = basis[i, k];
                mean[i] += row[k] * Coefficients[k];
            }
            var z = SolveLower(_cholesky, row);
            double q = z.Sum(v => v * v);
            epistemic[i] = ResidualVariance * q * inflate;
            noise[i] = ResidualVariance * inflate;
        }
        return new RegressionPrediction(name, mean, epistemic, noise, null, nu) { ObservationDegreesOfFreedom = nu };
    }

    /// <summary>The scale s√q of the t posterior of f at the rows of <paramref name="basis"/>.</summary>
    public double[] Scale(double[,] basis)
    {
        var p = Predict(basis);
        double nu = DegreesOfFreedom;
        return p.EpistemicVariance.Select(v => Math.Sqrt(v * (nu - 2) / nu)).ToArray();
    }

    private static double[,] Cholesky(double[,] a)
    {
        int p = a.GetLength(0);
        double largest = 0;
        for (int i = 0; i < p; i++) largest = Math.Max(largest, a[i, i]);
        var l = new double[p, p];
        for (int j = 0; j < p; j++)
        {
            double d = a[j, j];
            for (int k = 0; k < j; k++) d -= l[j, k] * l[j, k];
            if (!(d > 1e-12 * Math.Max(largest, 1e-300)))
                throw new ArgumentException($"The basis functions are linearly dependent on these points (ΦᵀΦ is singular at column {j}); use more points or fewer terms.", "basis");
            l[j, j] = Math.Sqrt(d);
            for (int i = j + 1; i < p; i++)
            {
                double s = a[i, j];
                for (int k = 0; k < j; k++) s -= l[i, k] * l[j, k];
                l[i, j] = s / l[j, j];
            }
        }
        return l;
    }

    private static double[] SolveLower(double[,] l, double[] b)
    {
        int p = b.Length;
        var z = new double[p];
        for (int i = 0; i < p; i++)
        {
            double s = b[i];
            for (int k = 0; k < i; k++) s -= l[i, k] * z[k];
            z[i] = s / l[i, i];
        }
        return z;
    }

    private static double[] SolveTransposed(double[,] l, double[] z)
    {
        int p = z.Length;
        var x = new double[p];
        for (int i = p - 1; i >= 0; i--)
        {
            double s = z[i];
            for (int k = i + 1; k < p; k++) s -= l[k, i] * x[k];
            x[i] = s / l[i, i];
        }
        return x;
    }
}
