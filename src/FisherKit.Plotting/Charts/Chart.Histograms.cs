namespace FisherKit.Plotting;

public static partial class Chart
{
    /// <summary>
    /// Overlaid, semi-transparent histograms of several sample sets on common bins, normalised by
    /// default to a probability density so that sets of different size compare (e.g. scores of
    /// in-distribution versus unusual inputs).
    /// </summary>
    /// <exception cref="ArgumentException">No sets, a set without finite values, or <paramref name="bins"/> &lt; 1.</exception>
    public static Figure Histograms(IEnumerable<(string Name, IReadOnlyList<double> Values)> sets, int bins = 40,
        HistNorm norm = HistNorm.ProbabilityDensity, string? title = null, string? xTitle = null)
    {
        ArgumentNullException.ThrowIfNull(sets);
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        var list = sets.ToArray();
        if (list.Length == 0) throw new ArgumentException("Give at least one sample set.", nameof(sets));
        foreach (var (name, values) in list)
            if (!values.Any(double.IsFinite)) throw new ArgumentException($"Sample set '{name}' has no finite values.", nameof(sets));
        var all = list.SelectMany(s => s.Values).Where(double.IsFinite).ToArray();
        var (min, max) = (all.Min(), all.Max());
        if (max == min) { min -= 0.5; max += 0.5; }
        var size = (max - min) / bins;
        var xbins = new Bins { Start = min, End = max + size * 1e-9, Size = size };
        var traces = list.Select((s, i) => (Trace)new Histogram
        {
            X = DataArray.FromNumbers(s.Values), Name = s.Name, HistNorm = norm, XBins = xbins, Opacity = 0.6,
            Marker = new Marker { Color = Palette.Color(i) },
        }).ToArray();
        var yTitle = norm switch
        {
            HistNorm.ProbabilityDensity => "density", HistNorm.Probability => "fraction", HistNorm.Percent => "percent",
            HistNorm.Density => "count / bin width", _ => "count",
        };
        return new Figure(traces, new Layout
        {
            Title = title, BarMode = BarMode.Overlay,
            XAxis = xTitle is null ? null : new Axis { Title = xTitle },
            YAxis = new Axis { Title = yTitle },
        });
    }
}
