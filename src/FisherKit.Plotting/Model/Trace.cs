using System.Text.Json.Serialization;

namespace FisherKit.Plotting;

/// <summary>
/// One layer of a figure (plotly.js "trace"). The concrete record decides the plotly.js
/// <c>type</c>, written first in the JSON. Properties left null are omitted and take plotly.js's
/// defaults.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(Scatter), "scatter")]
[JsonDerivedType(typeof(Histogram), "histogram")]
[JsonDerivedType(typeof(Heatmap), "heatmap")]
[JsonDerivedType(typeof(Contour), "contour")]
[JsonDerivedType(typeof(Bar), "bar")]
[JsonDerivedType(typeof(Box), "box")]
[JsonDerivedType(typeof(Violin), "violin")]
[JsonDerivedType(typeof(Image), "image")]
public abstract record Trace
{
    /// <summary>Legend entry and hover label.</summary>
    public string? Name { get; init; }

    /// <summary>Whether the trace has a legend entry.</summary>
    public bool? ShowLegend { get; init; }

    /// <summary>Traces with the same group toggle together in the legend.</summary>
    public string? LegendGroup { get; init; }

    /// <summary>Opacity between 0 and 1.</summary>
    public double? Opacity { get; init; }

    /// <summary>plotly.js hover template, e.g. <c>"x=%{x:.3f}&lt;extra&gt;&lt;/extra&gt;"</c>.</summary>
    public string? HoverTemplate { get; init; }

    /// <summary>Hover text per point.</summary>
    public DataArray? Text { get; init; }

    /// <summary>The x axis the trace is drawn against: <c>"x"</c>, <c>"x2"</c>, ... (subplots set this).</summary>
    [JsonPropertyName("xaxis")]
    public string? XAxis { get; init; }

    /// <summary>The y axis the trace is drawn against: <c>"y"</c>, <c>"y2"</c>, ...</summary>
    [JsonPropertyName("yaxis")]
    public string? YAxis { get; init; }

    /// <summary>Hides the trace (<c>false</c>) or shows it only in the legend (<c>"legendonly"</c> via <see cref="Visibility"/>).</summary>
    public Visibility? Visible { get; init; }
}
