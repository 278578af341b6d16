namespace FisherKit.Data;

/// <summary>Re-sampling for imbalanced classes.</summary>
public static class ClassBalance
{
    /// <summary>
    /// Indices that over-sample every class with replacement to the size of the largest class (the
    /// majority classes keep all their samples once), in a random order drawn from <paramref name="seed"/>.
    /// Use with <see cref="ImageDataset.Subset"/>.
    /// </summary>
    public static long[] OversampleIndices(IReadOnlyList<long> labels, long seed)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Count == 0) throw new ArgumentException("No labels.", nameof(labels));
        var rng = new Random(unchecked((int)(seed ^ (seed >> 32))));
        var byClass = labels.Select((c, i) => (c, i: (long)i)).GroupBy(t => t.c).ToDictionary(g => g.Key, g => g.Select(t => t.i).ToArray());
        int target = byClass.Values.Max(v => v.Length);
        var result = new List<long>(target * byClass.Count);
        foreach (var (_, idx) in byClass.OrderBy(kv => kv.Key))
        {
            result.AddRange(idx);
            for (int k = idx.Length; k < target; k++) result.Add(idx[rng.Next(idx.Length)]);
        }
        var arr = result.ToArray();
        for (int i = arr.Length - 1; i > 0; i--) { int j = rng.Next(i + 1); (arr[i], arr[j]) = (arr[j], arr[i]); }
        return arr;
    }
}
