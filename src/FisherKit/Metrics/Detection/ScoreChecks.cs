namespace FisherKit.Metrics.Detection;

/// <summary>Validation of score arrays.</summary>
internal static class ScoreChecks
{
    internal static double[] Finite(IReadOnlyList<double> values, string name)
    {
        ArgumentNullException.ThrowIfNull(values, name);
        if (values.Count == 0) throw new ArgumentException($"The {name} scores are empty.", name);
        var a = values.ToArray();
        for (int i = 0; i < a.Length; i++)
            if (!double.IsFinite(a[i])) throw new ArgumentException($"The {name} scores contain {a[i]} at position {i}; scores must be finite.", name);
        return a;
    }
}
