namespace FisherKit.Plotting;

/// <summary>Contour lines or filled contours of a grid (plotly.js <c>contour</c>).</summary>
public sealed record Contour : Trace
{
    /// <summary>Values, rows × columns.</summary>
    public Matrix? Z { get; init; }

    /// <summary>Column coordinates.</summary>
    public DataArray? X { get; init; }

    /// <summary>Row coordinates.</summary>
    public DataArray? Y { get; init; }

    /// <summary>Colour scale.</summary>
    public ColorScale? ColorScale { get; init; }

    /// <summary>Maximum number of contour levels.</summary>
    public int? NContours { get; init; }

    /// <summary>Contour settings (<c>coloring</c>, <c>showlabels</c>).</summary>
    public ContourStyle? Contours { get; init; }

    /// <summary>Whether the colour bar is drawn.</summary>
    public bool? ShowScale { get; init; }

    /// <summary>Colour bar settings.</summary>
    public ColorBar? ColorBar { get; init; }
}

/// <summary>How contour levels are drawn.</summary>
public sealed record ContourStyle
{
    /// <summary><c>"fill"</c>, <c>"heatmap"</c>, <c>"lines"</c> or <c>"none"</c>.</summary>
    public string? Coloring { get; init; }

    /// <summary>Whether levels are labelled.</summary>
    public bool? ShowLabels { get; init; }

    /// <summary>First level.</summary>
    public double? Start { get; init; }

    /// <summary>Last level.</summary>
    public double? End { get; init; }

    /// <summary>Step between levels.</summary>
    public double? Size { get; init; }
}
