namespace FisherKit.ConditionMonitoring;

/// <summary>
/// Per-feature standardisation z_j = (x_j − μ_j)/s_j with the mean and (1/N) standard deviation of the
/// normal data it was fitted on; a feature constant there gets s_j = 1.
/// </summary>
public sealed class Standardizer
{
    private Standardizer(double[] mean, double[] std) { Mean = mean; Std = std; }

    /// <summary>Per-feature means μ.</summary>
    public IReadOnlyList<double> Mean { get; }

    /// <summary>Per-feature standard deviations s.</summary>
    public IReadOnlyList<double> Std { get; }

    /// <summary>Fits on the rows of <paramref name="normal"/>.</summary>
    public static Standardizer Fit(IReadOnlyList<double[]> normal)
    {
        int d = FeatureChecks.Dimension(normal, nameof(normal));
        var mean = new double[d];
        var std = new double[d];
        foreach (var r in normal) for (int j = 0; j < d; j++) mean[j] += r[j] / normal.Count;
        foreach (var r in normal) for (int j = 0; j < d; j++) std[j] += (r[j] - mean[j]) * (r[j] - mean[j]) / normal.Count;
        for (int j = 0; j < d; j++) std[j] = std[j] > 1e-24 ? Math.Sqrt(std[j]) : 1;
        return new Standardizer(mean, std);
    }

    /// <summary>The standardised rows.</summary>
    public double[][] Transform(IReadOnlyList<double[]> rows)
    {
        FeatureChecks.Dimension(rows, nameof(rows), Mean.Count);
        return rows.Select(r => r.Select((v, j) => (v - Mean[j]) / Std[j]).ToArray()).ToArray();
    }
}
