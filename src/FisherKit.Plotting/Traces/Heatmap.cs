namespace FisherKit.Plotting;

/// <summary>A colour-coded grid (plotly.js <c>heatmap</c>): saliency maps, uncertainty maps, confusion matrices.</summary>
public sealed record Heatmap : Trace
{
    /// <summary>Values, rows × columns.</summary>
    public Matrix? Z { get; init; }

    /// <summary>Column coordinates or labels.</summary>
    public DataArray? X { get; init; }

    /// <summary>Row coordinates or labels.</summary>
    public DataArray? Y { get; init; }

    /// <summary>Colour scale.</summary>
    public ColorScale? ColorScale { get; init; }

    /// <summary>Value at the bottom of the scale.</summary>
    public double? ZMin { get; init; }

    /// <summary>Value at the top of the scale.</summary>
    public double? ZMax { get; init; }

    /// <summary>Value at the middle of the scale (0 for signed saliency).</summary>
    public double? ZMid { get; init; }

    /// <summary>Flips the colour scale.</summary>
    public bool? ReverseScale { get; init; }

    /// <summary>Whether the colour bar is drawn.</summary>
    public bool? ShowScale { get; init; }

    /// <summary>Colour bar settings.</summary>
    public ColorBar? ColorBar { get; init; }

    /// <summary>Text per cell (e.g. counts of a confusion matrix), rows × columns.</summary>
    public string? TextTemplate { get; init; }
}
