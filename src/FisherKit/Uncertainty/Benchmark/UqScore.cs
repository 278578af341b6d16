namespace FisherKit.Uncertainty.Benchmark;

/// <summary>
/// The benchmark measures of one method on one data set (<see cref="UqEvaluation.Score"/>). Coverages of the true
/// function f are NaN where f is unknown (real data); the ratio is NaN without a reference.
/// </summary>
/// <param name="Setting">The problem or data set (a label to group by).</param>
/// <param name="Method">The method.</param>
/// <param name="Replicate">The replicate (seed) index.</param>
/// <param name="Count">Test points.</param>
/// <param name="Rmse">RMSE of the mean against f (against the observations where f is unknown).</param>
/// <param name="CoverageF68">Share of points whose 68 % interval of f (from the epistemic part) covers f(x).</param>
/// <param name="CoverageF95">The same at 95 %.</param>
/// <param name="CoverageF99">The same at 99 %.</param>
/// <param name="RatioMedian">Median over the points of u_ep(x)/u_ref(x), the method's epistemic uncertainty over the reference's.</param>
/// <param name="RatioGeometricMean">Geometric mean of the same ratio.</param>
/// <param name="Nll">Mean Gaussian negative log-likelihood of the observations under N(mean, total variance).</param>
/// <param name="CoverageY95">Share of observations inside the 95 % predictive interval (total variance).</param>
public sealed record UqScore(string Setting, string Method, int Replicate, int Count, double Rmse, double CoverageF68, double CoverageF95, double CoverageF99,
    double RatioMedian, double RatioGeometricMean, double Nll, double CoverageY95)
{
    /// <summary>The measures' names in table order (after setting, method, replicate).</summary>
    public static string[] Measures => ["RMSE", "cov f 68%", "cov f 95%", "cov f 99%", "u/u_ref median", "u/u_ref geo. mean", "NLL", "cov y 95%"];

    /// <summary>The measures in the order of <see cref="Measures"/>.</summary>
    public double[] Values => [Rmse, CoverageF68, CoverageF95, CoverageF99, RatioMedian, RatioGeometricMean, Nll, CoverageY95];
}
