namespace FisherKit.Plotting;

/// <summary>A text note placed in data or figure coordinates, optionally with an arrow.</summary>
public sealed record Annotation
{
    /// <summary>The text (a subset of HTML).</summary>
    public required string Text { get; init; }

    /// <summary>x position (data units unless <see cref="XRef"/> is <c>"paper"</c>).</summary>
    public double? X { get; init; }

    /// <summary>y position (data units unless <see cref="YRef"/> is <c>"paper"</c>).</summary>
    public double? Y { get; init; }

    /// <summary>Coordinate system of x: <c>"x"</c>, <c>"x2"</c>, or <c>"paper"</c> (0..1 across the figure).</summary>
    public string? XRef { get; init; }

    /// <summary>Coordinate system of y: <c>"y"</c>, <c>"y2"</c>, or <c>"paper"</c>.</summary>
    public string? YRef { get; init; }

    /// <summary>Whether an arrow points at (x, y).</summary>
    public bool? ShowArrow { get; init; }

    /// <summary>Horizontal anchor of the text box.</summary>
    public string? XAnchor { get; init; }

    /// <summary>Vertical anchor of the text box.</summary>
    public string? YAnchor { get; init; }

    /// <summary>Text font.</summary>
    public Font? Font { get; init; }
}
