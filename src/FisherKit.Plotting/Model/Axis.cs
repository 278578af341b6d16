using System.Text.Json;
using System.Text.Json.Serialization;

namespace FisherKit.Plotting;

/// <summary>An x or y axis (plotly.js <c>layout.xaxis</c>, <c>layout.yaxis2</c>, ...).</summary>
public sealed record Axis
{
    /// <summary>Axis title.</summary>
    public Title? Title { get; init; }

    /// <summary>Scale: linear, log, category, date.</summary>
    public AxisType? Type { get; init; }

    /// <summary>Fixed range [min, max]; for log axes in log10 units, as plotly.js expects.</summary>
    public double[]? Range { get; init; }

    /// <summary><c>"reversed"</c> to flip the axis (image rows), or <c>true</c>/<c>false</c>.</summary>
    [JsonIgnore]
    public bool Reversed { get; init; }

    /// <summary>
    /// Written as plotly.js <c>autorange</c>; when read back (<see cref="Figure.FromJson"/>, e.g. for
    /// static images of notebook outputs), <c>"reversed"</c> sets <see cref="Reversed"/> and other values
    /// (<c>true</c>, <c>false</c>, …) are accepted and dropped.
    /// </summary>
    [JsonPropertyName("autorange")]
    [JsonInclude]
    internal JsonElement? AutoRangeJson
    {
        get => Reversed ? ReversedJson : null;
        init => Reversed = value is { ValueKind: JsonValueKind.String } v && v.GetString() == "reversed";
    }

    private static readonly JsonElement ReversedJson = JsonSerializer.SerializeToElement("reversed");

    /// <summary>Tick label format (d3-format), e.g. <c>".2f"</c>, <c>".0%"</c>, <c>".1e"</c>.</summary>
    public string? TickFormat { get; init; }

    /// <summary>Whether grid lines are drawn.</summary>
    public bool? ShowGrid { get; init; }

    /// <summary>Whether the zero line is drawn.</summary>
    public bool? ZeroLine { get; init; }

    /// <summary>Ties this axis's scale to another (<c>"x"</c>) for equal aspect ratio (images).</summary>
    public string? ScaleAnchor { get; init; }

    /// <summary>Ratio of this axis's unit to the anchor's.</summary>
    public double? ScaleRatio { get; init; }

    /// <summary>Shares the range with another axis (<c>"x"</c>, <c>"y"</c>): shared axes in subplot grids.</summary>
    public string? Matches { get; init; }

    /// <summary>The axis this one is drawn against (<c>"y2"</c> for <c>xaxis2</c>).</summary>
    public string? Anchor { get; init; }

    /// <summary>Position of the axis in the figure, [start, end] in normalised coordinates.</summary>
    public double[]? Domain { get; init; }

    /// <summary>Whether tick labels are shown.</summary>
    public bool? ShowTickLabels { get; init; }

    /// <summary>Whether the axis is shown at all.</summary>
    public bool? Visible { get; init; }

    /// <summary>Tick placement: <c>"outside"</c>, <c>"inside"</c> or <c>""</c>.</summary>
    public string? Ticks { get; init; }

    /// <summary>Whether the axis line is drawn.</summary>
    public bool? ShowLine { get; init; }

    /// <summary>Exponent style of tick labels: <c>"power"</c>, <c>"e"</c>, <c>"SI"</c>, ...</summary>
    public string? ExponentFormat { get; init; }
}
