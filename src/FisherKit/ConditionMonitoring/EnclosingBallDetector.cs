namespace FisherKit.ConditionMonitoring;

/// <summary>
/// A one-class boundary: the smallest ball enclosing the normal data in the feature space of a Gaussian
/// kernel k(x, y) = exp(−‖x − y‖²/(2h²)), i.e. support vector data description without slack (Tax &amp;
/// Duin 2004). Its centre c = Σ α_i φ(x_i) solves min_α αᵀKα over the simplex (α ≥ 0, Σα = 1; k(x, x) = 1),
/// found by Frank–Wolfe steps with exact line search (the Bădoiu–Clarkson iteration). The score is the
/// squared distance to the centre, s(x) = 1 − 2Σ α_i k(x_i, x) + αᵀKα; the squared radius R² is the largest
/// score of a training point. Bandwidth h: given, or the median pairwise distance of the normal data.
/// </summary>
public sealed class EnclosingBallDetector : INoveltyDetector
{
    private readonly double[][] _support;
    private readonly double[] _alpha;
    private readonly double _alphaKAlpha;

    private EnclosingBallDetector(double[][] support, double[] alpha, double alphaKAlpha, double bandwidth, double radiusSquared)
    {
        _support = support;
        _alpha = alpha;
        _alphaKAlpha = alphaKAlpha;
        Bandwidth = bandwidth;
        RadiusSquared = radiusSquared;
    }

    /// <inheritdoc />
    public string Name => "enclosing ball (SVDD)";

    /// <summary>Kernel bandwidth h.</summary>
    public double Bandwidth { get; }

    /// <summary>Squared radius R² of the ball (the largest training score).</summary>
    public double RadiusSquared { get; }

    /// <summary>
    /// Weights α_i of the training points in the centre (summing to 1). Frank–Wolfe steps never set a weight exactly
    /// to 0, so the points off the ball's surface keep small weights that shrink with the iterations rather than
    /// vanishing: the support vectors are the points with weights well above the rest, not all those above 0.
    /// </summary>
    public IReadOnlyList<double> Weights => _alpha;

    /// <summary>Fits the ball to <paramref name="normal"/> with <paramref name="iterations"/> Frank–Wolfe steps.</summary>
    public static EnclosingBallDetector Fit(IReadOnlyList<double[]> normal, double? bandwidth = null, int iterations = 2000)
    {
        FeatureChecks.Dimension(normal, nameof(normal));
        if (iterations < 1) throw new ArgumentOutOfRangeException(nameof(iterations), iterations, "At least one iteration is needed.");
        int n = normal.Count;
        var pts = normal.Select(r => (double[])r.Clone()).ToArray();
        double h = bandwidth ?? MedianDistance(pts);
        if (!(h > 0) || double.IsInfinity(h)) throw new ArgumentException($"The bandwidth must be positive and finite, got {h} (all normal points equal?).", nameof(bandwidth));
        var k = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++) k[i, j] = k[j, i] = Math.Exp(-FeatureChecks.SquaredDistance(pts[i], pts[j]) / (2 * h * h));
        var alpha = Enumerable.Repeat(1.0 / n, n).ToArray();
        var ka = new double[n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) ka[i] += k[i, j] * alpha[j];
        for (int it = 0; it < iterations; it++)
        {
            // Gradient of αᵀKα is 2Kα; move towards the vertex e_i with the smallest (Kα)_i (the farthest point).
            int best = 0;
            for (int i = 1; i < n; i++) if (ka[i] < ka[best]) best = i;
            double aka = 0;
            for (int i = 0; i < n; i++) aka += alpha[i] * ka[i];
            // f(α + γ(e − α)) = (1−γ)²·aKa + 2γ(1−γ)·(Kα)_b + γ²·K_bb; minimise over γ ∈ [0, 1].
            double denom = aka - 2 * ka[best] + k[best, best];
            if (denom <= 1e-15) break;
            double gamma = Math.Clamp((aka - ka[best]) / denom, 0, 1);
            if (gamma <= 1e-12) break;
            for (int i = 0; i < n; i++)
            {
                alpha[i] *= 1 - gamma;
                ka[i] = (1 - gamma) * ka[i] + gamma * k[i, best];
            }
            alpha[best] += gamma;
        }
        double alphaKAlpha = 0;
        for (int i = 0; i < n; i++) alphaKAlpha += alpha[i] * ka[i];
        double r2 = 0;
        for (int i = 0; i < n; i++) r2 = Math.Max(r2, 1 - 2 * ka[i] + alphaKAlpha);
        return new EnclosingBallDetector(pts, alpha, alphaKAlpha, h, r2);
    }

    /// <inheritdoc />
    public double[] Score(IReadOnlyList<double[]> features)
    {
        FeatureChecks.Dimension(features, nameof(features), _support[0].Length);
        return features.Select(x =>
        {
            double s = 0;
            for (int i = 0; i < _support.Length; i++)
                if (_alpha[i] > 0) s += _alpha[i] * Math.Exp(-FeatureChecks.SquaredDistance(x, _support[i]) / (2 * Bandwidth * Bandwidth));
            return 1 - 2 * s + _alphaKAlpha;
        }).ToArray();
    }

    /// <summary>Median of the pairwise Euclidean distances (the usual bandwidth heuristic).</summary>
    public static double MedianDistance(IReadOnlyList<double[]> points)
    {
        FeatureChecks.Dimension(points, nameof(points));
        var d = new List<double>();
        for (int i = 0; i < points.Count; i++)
            for (int j = 0; j < i; j++) d.Add(Math.Sqrt(FeatureChecks.SquaredDistance(points[i], points[j])));
        if (d.Count == 0) return double.NaN;
        d.Sort();
        return d.Count % 2 == 1 ? d[d.Count / 2] : 0.5 * (d[d.Count / 2 - 1] + d[d.Count / 2]);
    }
}
