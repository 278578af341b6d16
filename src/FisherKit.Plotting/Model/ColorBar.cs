namespace FisherKit.Plotting;

/// <summary>The colour bar beside a heatmap or contour.</summary>
public sealed record ColorBar
{
    /// <summary>Title (the quantity and unit of the colours).</summary>
    public Title? Title { get; init; }

    /// <summary>Horizontal position in normalised coordinates (move it when subplots need several bars).</summary>
    public double? X { get; init; }

    /// <summary>Vertical position of the bar's centre in normalised coordinates (subplot grids put it beside its row).</summary>
    public double? Y { get; init; }

    /// <summary>Length as a fraction of the plot height.</summary>
    public double? Len { get; init; }

    /// <summary>Tick label format (d3-format).</summary>
    public string? TickFormat { get; init; }
}
