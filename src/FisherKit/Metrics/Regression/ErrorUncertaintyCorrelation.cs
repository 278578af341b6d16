namespace FisherKit.Metrics.Regression;

/// <summary>
/// How well the stated uncertainty ranks the actual error: correlation between |y − μ| and u over
/// the points. Useful uncertainties are large where errors are large.
/// </summary>
/// <param name="Pearson">Pearson correlation of |error| and u (NaN when either is constant).</param>
/// <param name="Spearman">Spearman rank correlation (average ranks for ties; NaN when either is constant).</param>
/// <param name="Count">Number of points.</param>
public sealed record ErrorUncertaintyCorrelation(double Pearson, double Spearman, long Count);
