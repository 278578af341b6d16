namespace FisherKit.Plotting;

public static partial class Chart
{
    /// <summary>
    /// A curve with a shaded band between <paramref name="lower"/> and <paramref name="upper"/>
    /// (a confidence or prediction interval): three traces, lower edge, upper edge filled down to
    /// it, and the curve, sharing one legend entry.
    /// </summary>
    /// <exception cref="ArgumentException">The columns differ in length, or lower lies above upper somewhere.</exception>
    public static IReadOnlyList<Trace> BandTraces(DataArray x, DataArray center, DataArray lower, DataArray upper, string name, string? color = null, double opacity = 0.25)
    {
        SameLength(("x", x), ("center", center), ("lower", lower), ("upper", upper));
        ArgumentNullException.ThrowIfNull(name);
        for (var i = 0; i < lower.Count && lower.IsNumeric && upper.IsNumeric; i++)
            if (lower.Numbers[i] > upper.Numbers[i])
                throw new ArgumentException($"The band's lower edge {lower.Numbers[i]} lies above its upper edge {upper.Numbers[i]} at index {i}.");
        color ??= Palette.Color(0);
        var fill = color.StartsWith('#') && color.Length == 7 ? Palette.WithAlpha(color, opacity) : color;
        var edge = new Line { Width = 0, Color = fill };
        return
        [
            new Scatter { X = x, Y = lower, Mode = ScatterMode.Lines, Line = edge, ShowLegend = false, LegendGroup = name, Name = name + " (lower)", HoverTemplate = "%{y}<extra>lower</extra>" },
            new Scatter { X = x, Y = upper, Mode = ScatterMode.Lines, Line = edge, Fill = Plotting.Fill.ToNextY, FillColor = fill, ShowLegend = false, LegendGroup = name, Name = name + " (upper)", HoverTemplate = "%{y}<extra>upper</extra>" },
            new Scatter { X = x, Y = center, Mode = ScatterMode.Lines, Line = new Line { Color = color, Width = 2 }, Name = name, LegendGroup = name },
        ];
    }

    /// <summary>A figure of one curve with its band; see <see cref="BandTraces"/>.</summary>
    public static Figure ErrorBand(DataArray x, DataArray center, DataArray lower, DataArray upper, string name = "mean", string? title = null, string? color = null) =>
        new(BandTraces(x, center, lower, upper, name, color), Titled(title));

    /// <summary>A curve with a band of ± <paramref name="k"/> standard deviations.</summary>
    /// <exception cref="ArgumentException">The lists differ in length, or a standard deviation is negative.</exception>
    public static Figure ErrorBand(IReadOnlyList<double> x, IReadOnlyList<double> mean, IReadOnlyList<double> std, double k = 2, string name = "mean ± 2σ", string? title = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        // Checked here, under the caller's names: the band's edges are zipped from mean and std, which would drop the excess.
        SameLength(("x", DataArray.FromNumbers(x)), ("mean", DataArray.FromNumbers(mean)), ("std", DataArray.FromNumbers(std)));
        if (std.Any(s => s < 0)) throw new ArgumentException("Standard deviations must not be negative.", nameof(std));
        var lower = mean.Zip(std, (m, s) => m - k * s).ToArray();
        var upper = mean.Zip(std, (m, s) => m + k * s).ToArray();
        return ErrorBand(DataArray.FromNumbers(x), DataArray.FromNumbers(mean), lower, upper, name, title);
    }
}
