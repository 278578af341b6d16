namespace FisherKit.ConditionMonitoring;

/// <summary>
/// k-nearest-neighbour distance: s(x) = mean Euclidean distance from x to its k nearest normal points. A
/// normal point scored against its own training set is its own nearest neighbour at distance 0; use
/// <see cref="ScoreLeaveOneOut"/> for the training points.
/// </summary>
public sealed class KnnDetector : INoveltyDetector
{
    private readonly double[][] _normal;

    private KnnDetector(double[][] normal, int k) { _normal = normal; K = k; }

    /// <inheritdoc />
    public string Name => $"{K}-NN distance";

    /// <summary>Number of neighbours.</summary>
    public int K { get; }

    /// <summary>Keeps <paramref name="normal"/> as the reference set.</summary>
    public static KnnDetector Fit(IReadOnlyList<double[]> normal, int k = 5)
    {
        FeatureChecks.Dimension(normal, nameof(normal));
        if (k < 1 || k > normal.Count) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must lie in [1, {normal.Count}] (the number of normal points).");
        return new KnnDetector(normal.Select(r => (double[])r.Clone()).ToArray(), k);
    }

    /// <inheritdoc />
    public double[] Score(IReadOnlyList<double[]> features)
    {
        FeatureChecks.Dimension(features, nameof(features), _normal[0].Length);
        return features.Select(x => MeanOfNearest(x, -1)).ToArray();
    }

    /// <summary>The score of each training point against the others (itself left out).</summary>
    public double[] ScoreLeaveOneOut()
    {
        if (_normal.Length <= K) throw new InvalidOperationException($"Leaving one out needs more than k = {K} normal points.");
        return _normal.Select((x, i) => MeanOfNearest(x, i)).ToArray();
    }

    private double MeanOfNearest(double[] x, int skip)
    {
        var d = new List<double>(_normal.Length);
        for (int i = 0; i < _normal.Length; i++)
            if (i != skip) d.Add(Math.Sqrt(FeatureChecks.SquaredDistance(x, _normal[i])));
        d.Sort();
        return d.Take(K).Average();
    }
}
