namespace FisherKit.Plotting;

/// <summary>Legend placement and style.</summary>
public sealed record Legend
{
    /// <summary>Horizontal position in normalised coordinates.</summary>
    public double? X { get; init; }

    /// <summary>Vertical position in normalised coordinates.</summary>
    public double? Y { get; init; }

    /// <summary>Anchor of <see cref="X"/>: <c>"left"</c>, <c>"center"</c>, <c>"right"</c>.</summary>
    public string? XAnchor { get; init; }

    /// <summary>Anchor of <see cref="Y"/>: <c>"top"</c>, <c>"middle"</c>, <c>"bottom"</c>.</summary>
    public string? YAnchor { get; init; }

    /// <summary>Vertical or horizontal list of entries.</summary>
    public Orientation? Orientation { get; init; }

    /// <summary>Background colour.</summary>
    public string? BgColor { get; init; }
}
