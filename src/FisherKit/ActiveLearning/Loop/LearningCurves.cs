namespace FisherKit.ActiveLearning.Loop;

/// <summary>Summaries of tidy records over seeds: mean curves with bands, labels needed to reach a target, and Wu et al.'s area under the mean curve.</summary>
public static class LearningCurves
{
    /// <summary>Mean, standard deviation and extremes of <paramref name="metric"/> over seeds, per method and number of labels (methods in first-seen order).</summary>
    public static IReadOnlyList<CurvePoint> Summarize(IEnumerable<ResultRecord> records, string metric)
    {
        ArgumentNullException.ThrowIfNull(records);
        var rows = records.Where(r => r.Metric == metric).ToList();
        if (rows.Count == 0) throw new ArgumentException($"No records of metric \"{metric}\".", nameof(metric));
        var methods = rows.Select(r => r.Method).Distinct().ToList();
        var result = new List<CurvePoint>();
        foreach (var m in methods)
            foreach (var g in rows.Where(r => r.Method == m).GroupBy(r => r.Labels).OrderBy(g => g.Key))
            {
                var v = g.Select(r => r.Value).ToArray();
                var mean = v.Average();
                var sd = v.Length > 1 ? Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1)) : 0;
                result.Add(new CurvePoint(m, g.Key, mean, sd, v.Min(), v.Max(), v.Length));
            }
        return result;
    }

    /// <summary>
    /// The first number of labels at which <paramref name="metric"/> reaches <paramref name="target"/>
    /// (≥ target when higher is better, ≤ otherwise), on the mean curve and per seed.
    /// </summary>
    public static IReadOnlyList<LabelsToReach> LabelsNeeded(IEnumerable<ResultRecord> records, string metric, double target, bool higherIsBetter)
    {
        ArgumentNullException.ThrowIfNull(records);
        var rows = records.Where(r => r.Metric == metric).ToList();
        bool Reached(double v) => higherIsBetter ? v >= target : v <= target;
        var curves = Summarize(rows, metric);
        var result = new List<LabelsToReach>();
        foreach (var m in rows.Select(r => r.Method).Distinct())
        {
            var meanHit = curves.Where(c => c.Method == m && Reached(c.Mean)).Select(c => (int?)c.Labels).FirstOrDefault();
            var perSeed = rows.Where(r => r.Method == m).GroupBy(r => r.Seed).ToDictionary(
                g => g.Key, g => g.OrderBy(r => r.Labels).Where(r => Reached(r.Value)).Select(r => (int?)r.Labels).FirstOrDefault());
            result.Add(new LabelsToReach(m, target, meanHit, perSeed));
        }
        return result;
    }

    /// <summary>Wu et al.'s summary score: the sum of the mean curve of <paramref name="metric"/> over its points, per method.</summary>
    public static IReadOnlyDictionary<string, double> AreaUnderMeanCurve(IEnumerable<ResultRecord> records, string metric) =>
        Summarize(records, metric).GroupBy(c => c.Method).ToDictionary(g => g.Key, g => g.Sum(c => c.Mean));
}
