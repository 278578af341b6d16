namespace FisherKit.Plotting;

/// <summary>Marker style (plotly.js <c>marker</c>) of scatter points, bars and histogram bins.</summary>
public sealed record Marker
{
    /// <summary>One CSS colour for all points (a string), or a number or colour per point (an array;
    /// numbers are mapped through <see cref="ColorScale"/>).</summary>
    public ColorSpec? Color { get; init; }

    /// <summary>Size in pixels.</summary>
    public double? Size { get; init; }

    /// <summary>Symbol name: <c>"circle"</c>, <c>"square"</c>, <c>"x"</c>, <c>"diamond"</c>, ...</summary>
    public string? Symbol { get; init; }

    /// <summary>Marker opacity.</summary>
    public double? Opacity { get; init; }

    /// <summary>Colour scale for per-point colours.</summary>
    public ColorScale? ColorScale { get; init; }

    /// <summary>Whether to draw the colour bar of a per-point colour scale.</summary>
    public bool? ShowScale { get; init; }

    /// <summary>Outline of the marker.</summary>
    public Line? Line { get; init; }
}
