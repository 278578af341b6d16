namespace FisherKit.Uncertainty.Benchmark;

/// <summary>
/// The measures of one method on one setting averaged over R replicates (problems or seeds), each with a 95 %
/// confidence interval for its mean, mean ± t_{0.975, R−1}·sd/√R (NaN bounds for R = 1)
/// (<see cref="UqEvaluation.Aggregate"/>).
/// </summary>
/// <param name="Setting">The setting.</param>
/// <param name="Method">The method.</param>
/// <param name="Replicates">R.</param>
/// <param name="Mean">Mean of each measure, in the order of <see cref="UqScore.Measures"/> (NaN values are left out).</param>
/// <param name="Lower">Lower bound of each mean's interval.</param>
/// <param name="Upper">Upper bound of each mean's interval.</param>
public sealed record UqSummary(string Setting, string Method, int Replicates, double[] Mean, double[] Lower, double[] Upper)
{
    /// <summary>The mean of the measure called <paramref name="measure"/> (one of <see cref="UqScore.Measures"/>).</summary>
    public double this[string measure] => Mean[Index(measure)];

    /// <summary>(mean, lower, upper) of a measure.</summary>
    public (double Mean, double Lower, double Upper) Interval(string measure)
    {
        int i = Index(measure);
        return (Mean[i], Lower[i], Upper[i]);
    }

    private static int Index(string measure)
    {
        int i = Array.IndexOf(UqScore.Measures, measure);
        if (i < 0) throw new ArgumentException($"Unknown measure \"{measure}\"; the measures are {string.Join(", ", UqScore.Measures)}.", nameof(measure));
        return i;
    }
}
