namespace FisherKit.Plotting;

/// <summary>Line style of a trace (plotly.js <c>line</c>).</summary>
public sealed record Line
{
    /// <summary>CSS colour, e.g. <c>"#1f77b4"</c> or <c>"rgba(31,119,180,0.3)"</c>.</summary>
    public string? Color { get; init; }

    /// <summary>Width in pixels.</summary>
    public double? Width { get; init; }

    /// <summary>Dash pattern.</summary>
    public Dash? Dash { get; init; }

    /// <summary>Line shape: <c>"linear"</c>, <c>"spline"</c>, <c>"hv"</c> (steps), ...</summary>
    public string? Shape { get; init; }
}
