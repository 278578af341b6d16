namespace FisherKit.ConditionMonitoring;

/// <summary>
/// One-class Mahalanobis distance: with the mean μ and covariance Σ = (1/N)Σ(x_i − μ)(x_i − μ)ᵀ of the
/// normal data, s(x) = (x − μ)ᵀ(Σ + λI)⁻¹(x − μ), λ = <see cref="Ridge"/>·tr(Σ)/D (the convention of
/// <c>FisherKit.Detection.MahalanobisScore</c>, which does the class-conditional version on network
/// features). For Gaussian normal data s is χ²_D distributed. Computed in float64 through the Cholesky factor.
/// </summary>
public sealed class MahalanobisDetector : INoveltyDetector
{
    private readonly double[] _mean;
    private readonly double[,] _cholesky;

    private MahalanobisDetector(double[] mean, double[,] cholesky, double ridge) { _mean = mean; _cholesky = cholesky; Ridge = ridge; }

    /// <inheritdoc />
    public string Name => "Mahalanobis";

    /// <summary>Relative ridge added to the covariance.</summary>
    public double Ridge { get; }

    /// <summary>Fits mean and covariance on <paramref name="normal"/>.</summary>
    public static MahalanobisDetector Fit(IReadOnlyList<double[]> normal, double ridge = 1e-6)
    {
        int d = FeatureChecks.Dimension(normal, nameof(normal));
        if (!(ridge >= 0)) throw new ArgumentOutOfRangeException(nameof(ridge), ridge, "The ridge must be ≥ 0.");
        var mean = new double[d];
        foreach (var r in normal) for (int j = 0; j < d; j++) mean[j] += r[j] / normal.Count;
        var cov = new double[d, d];
        foreach (var r in normal)
            for (int a = 0; a < d; a++)
                for (int b = 0; b <= a; b++) cov[a, b] += (r[a] - mean[a]) * (r[b] - mean[b]) / normal.Count;
        double trace = 0;
        for (int a = 0; a < d; a++) trace += cov[a, a];
        // No hidden jitter: with ridge 0 the covariance is used as it is (a singular one is refused below), and data without
        // spread are refused here (an absolute 1e-12 before scored a unit deviation as 10¹²).
        if (!(trace > 0))
            throw new ArgumentException($"The {normal.Count} normal feature vectors are all equal (zero covariance); a Mahalanobis distance needs their spread to scale by.", nameof(normal));
        double lambda = ridge * trace / d;
        for (int a = 0; a < d; a++) cov[a, a] += lambda;
        return new MahalanobisDetector(mean, Cholesky(cov, d), ridge);
    }

    /// <inheritdoc />
    public double[] Score(IReadOnlyList<double[]> features)
    {
        int d = FeatureChecks.Dimension(features, nameof(features), _mean.Length);
        var s = new double[features.Count];
        var y = new double[d];
        for (int i = 0; i < features.Count; i++)
        {
            // Solve L y = x − μ; then s = ‖y‖².
            for (int a = 0; a < d; a++)
            {
                double v = features[i][a] - _mean[a];
                for (int b = 0; b < a; b++) v -= _cholesky[a, b] * y[b];
                y[a] = v / _cholesky[a, a];
                s[i] += y[a] * y[a];
            }
        }
        return s;
    }

    private static double[,] Cholesky(double[,] m, int d)
    {
        var l = new double[d, d];
        for (int a = 0; a < d; a++)
        {
            for (int b = 0; b <= a; b++)
            {
                double v = m[a, b];
                for (int c = 0; c < b; c++) v -= l[a, c] * l[b, c];
                if (a == b)
                {
                    if (!(v > 0)) throw new ArgumentException("The covariance of the normal data is singular; use a positive ridge.", nameof(m));
                    l[a, a] = Math.Sqrt(v);
                }
                else l[a, b] = v / l[b, b];
            }
        }
        return l;
    }
}
