namespace FisherKit.ConditionMonitoring;

/// <summary>Argument checks shared by the detectors: a non-empty set of finite rows of one length.</summary>
internal static class FeatureChecks
{
    public static int Dimension(IReadOnlyList<double[]> rows, string name, int? expected = null)
    {
        ArgumentNullException.ThrowIfNull(rows, name);
        if (rows.Count == 0) throw new ArgumentException("No feature vectors given.", name);
        int d = expected ?? rows[0]?.Length ?? throw new ArgumentException("Row 0 is null.", name);
        if (d == 0) throw new ArgumentException("Feature vectors are empty.", name);
        for (int i = 0; i < rows.Count; i++)
        {
            var r = rows[i] ?? throw new ArgumentException($"Row {i} is null.", name);
            if (r.Length != d) throw new ArgumentException($"Row {i} has {r.Length} features, expected {d}.", name);
            foreach (var v in r)
                if (!double.IsFinite(v)) throw new ArgumentException($"Row {i} holds the non-finite value {v}.", name);
        }
        return d;
    }

    public static double SquaredDistance(double[] a, double[] b)
    {
        double s = 0;
        for (int j = 0; j < a.Length; j++) s += (a[j] - b[j]) * (a[j] - b[j]);
        return s;
    }
}
