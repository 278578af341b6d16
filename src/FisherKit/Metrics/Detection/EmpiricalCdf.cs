namespace FisherKit.Metrics.Detection;

/// <summary>
/// The empirical distribution of a score on clean reference inputs, used to put scores that live on
/// different scales on one scale (FisherKit's reading of the comparison method of Martin &amp; Elster
/// 2021): an input's rank r(x) = (1/N) · #{n : s(x_n) ≤ s(x)} ∈ [0, 1] is the fraction of clean
/// reference inputs that score no higher than it. Ranks near 1 mean "more unusual than almost all
/// clean inputs", whatever the score's units.
/// </summary>
public sealed class EmpiricalCdf
{
    private readonly double[] _sorted;

    /// <summary>Builds the distribution from the scores of clean reference inputs.</summary>
    public EmpiricalCdf(IReadOnlyList<double> reference)
    {
        _sorted = ScoreChecks.Finite(reference, nameof(reference));
        Array.Sort(_sorted);
    }

    /// <summary>Number of reference values N.</summary>
    public int Count => _sorted.Length;

    /// <summary>The reference values, sorted.</summary>
    public IReadOnlyList<double> Reference => _sorted;

    /// <summary>r(x) = #{reference ≤ score}/N.</summary>
    public double Rank(double score)
    {
        if (double.IsNaN(score)) throw new ArgumentException("A NaN score has no rank.", nameof(score));
        int lo = 0, hi = _sorted.Length;          // first index with value > score
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_sorted[mid] <= score) lo = mid + 1; else hi = mid;
        }
        return lo / (double)_sorted.Length;
    }

    /// <summary>Ranks of many scores.</summary>
    public double[] Ranks(IEnumerable<double> scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        return scores.Select(Rank).ToArray();
    }

    /// <summary>The score value at reference quantile q (e.g. 0.95: the alarm threshold for a 5 % false-alarm rate).</summary>
    public double Quantile(double q) => Bootstrap.Quantile(_sorted, q);
}
