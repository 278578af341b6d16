namespace FisherKit.Metrics.Regression;

/// <summary>
/// A confidence interval for a binomial proportion (Wilson score interval): the range of true
/// coverage probabilities consistent with an observed fraction of <see cref="Trials"/> trials.
/// </summary>
/// <param name="Successes">Number of successes (covered points).</param>
/// <param name="Trials">Number of trials.</param>
/// <param name="Confidence">Confidence level of the interval.</param>
/// <param name="Lower">Lower end.</param>
/// <param name="Upper">Upper end.</param>
public sealed record BinomialInterval(long Successes, long Trials, double Confidence, double Lower, double Upper)
{
    /// <summary>
    /// The Wilson score interval (p̂ + z²/2n ± z·√(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n) with
    /// z = Φ⁻¹((1+confidence)/2).
    /// </summary>
    public static BinomialInterval Wilson(long successes, long trials, double confidence = 0.95)
    {
        if (trials <= 0) throw new ArgumentOutOfRangeException(nameof(trials), trials, "A binomial interval needs at least one trial.");
        if (successes < 0 || successes > trials) throw new ArgumentOutOfRangeException(nameof(successes), successes, $"Successes must lie in [0, {trials}].");
        MetricInput.CheckLevel(confidence, nameof(confidence));
        double z = NormalDistribution.CoverageFactor(confidence);
        double n = trials, p = successes / n, z2 = z * z;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = z * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n);
        return new BinomialInterval(successes, trials, confidence, Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    /// <summary>The observed proportion.</summary>
    public double Proportion => (double)Successes / Trials;

    /// <summary>True when <paramref name="p"/> lies inside the interval.</summary>
    public bool Contains(double p) => p >= Lower && p <= Upper;
}
