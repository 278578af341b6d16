namespace FisherKit.Plotting;

/// <summary>
/// Ready-made figures for the plots FisherKit's notebooks draw: curves with error bands, overlaid
/// histograms, saliency and uncertainty maps, ROC curves, reliability and calibration diagrams,
/// subplot grids. Each function returns an ordinary <see cref="Figure"/> that can be changed further.
/// </summary>
public static partial class Chart
{
    /// <summary>A line through (x, y).</summary>
    /// <exception cref="ArgumentException">x and y differ in length.</exception>
    public static Figure Line(DataArray x, DataArray y, string? name = null, string? title = null)
    {
        SameLength(("x", x), ("y", y));
        return new([new Scatter { X = x, Y = y, Name = name, Mode = ScatterMode.Lines }], Titled(title));
    }

    /// <summary>Markers at (x, y).</summary>
    /// <exception cref="ArgumentException">x and y differ in length.</exception>
    public static Figure Points(DataArray x, DataArray y, string? name = null, string? title = null)
    {
        SameLength(("x", x), ("y", y));
        return new([new Scatter { X = x, Y = y, Name = name, Mode = ScatterMode.Markers }], Titled(title));
    }

    /// <summary>Markers with vertical error bars of half-length <paramref name="error"/>.</summary>
    public static Figure PointsWithErrors(DataArray x, DataArray y, DataArray error, string? name = null, string? title = null)
    {
        SameLength(("x", x), ("y", y), ("error", error));
        return new([new Scatter { X = x, Y = y, Name = name, Mode = ScatterMode.Markers, ErrorY = new ErrorBars { Array = error } }], Titled(title));
    }

    /// <summary>Bars of <paramref name="values"/> over <paramref name="categories"/>.</summary>
    public static Figure Bar(DataArray categories, DataArray values, string? name = null, string? title = null)
    {
        SameLength(("categories", categories), ("values", values));
        return new([new Bar { X = categories, Y = values, Name = name }], Titled(title));
    }

    /// <summary>One box per named sample set.</summary>
    public static Figure Box(IEnumerable<(string Name, IReadOnlyList<double> Values)> sets, string? title = null) =>
        new(sets.Select(s => (Trace)new Box { Y = DataArray.FromNumbers(s.Values), Name = s.Name, BoxPoints = BoxPoints.Outliers }), Titled(title));

    /// <summary>One violin (kernel density, with inner box) per named sample set.</summary>
    public static Figure Violin(IEnumerable<(string Name, IReadOnlyList<double> Values)> sets, string? title = null) =>
        new(sets.Select(s => (Trace)new Violin { Y = DataArray.FromNumbers(s.Values), Name = s.Name, Box = new ViolinBox(), MeanLine = new ViolinBox(), Points = BoxPoints.None }), Titled(title));

    /// <summary>Filled contours of <paramref name="z"/> over the grid (<paramref name="x"/> columns, <paramref name="y"/> rows).</summary>
    public static Figure Contour(DataArray x, DataArray y, Matrix z, ColorScale? colorScale = null, string? title = null, string? colorBarTitle = null)
    {
        ArgumentNullException.ThrowIfNull(z);
        if (x.Count != z.Columns || y.Count != z.Rows)
            throw new ArgumentException($"A {z.Rows}x{z.Columns} grid needs {z.Columns} x values and {z.Rows} y values, got {x.Count} and {y.Count}.");
        return new([new Contour
        {
            X = x, Y = y, Z = z, ColorScale = colorScale ?? ColorScale.Viridis,
            ColorBar = colorBarTitle is null ? null : new ColorBar { Title = colorBarTitle },
        }], Titled(title));
    }

    /// <summary>A heatmap of <paramref name="z"/> with optional row/column labels.</summary>
    public static Figure Heatmap(Matrix z, DataArray? x = null, DataArray? y = null, ColorScale? colorScale = null, string? title = null, string? colorBarTitle = null)
    {
        ArgumentNullException.ThrowIfNull(z);
        return new([new Heatmap
        {
            Z = z, X = x, Y = y, ColorScale = colorScale ?? ColorScale.Viridis,
            ColorBar = colorBarTitle is null ? null : new ColorBar { Title = colorBarTitle },
        }], Titled(title));
    }

    internal static Layout Titled(string? title) => title is null ? new Layout() : new Layout { Title = title };

    internal static void SameLength(params (string Name, DataArray? Values)[] columns)
    {
        var present = columns.Where(c => c.Values is not null).ToArray();
        if (present.Length < 2) return;
        var n = present[0].Values!.Count;
        foreach (var (name, values) in present)
            if (values!.Count != n)
                throw new ArgumentException($"'{name}' has {values.Count} values but '{present[0].Name}' has {n}; they must have the same length.");
    }
}
