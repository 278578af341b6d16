using System.Text.Json.Serialization;

namespace FisherKit.Plotting;

/// <summary>Bars (plotly.js <c>bar</c>): per-class scores, counts, ranked values.</summary>
public sealed record Bar : Trace
{
    /// <summary>Categories or positions.</summary>
    public DataArray? X { get; init; }

    /// <summary>Heights.</summary>
    public DataArray? Y { get; init; }

    /// <summary>Vertical or horizontal bars.</summary>
    public Orientation? Orientation { get; init; }

    /// <summary>Bar colour.</summary>
    public Marker? Marker { get; init; }

    /// <summary>Error bars on the heights.</summary>
    [JsonPropertyName("error_y")]
    public ErrorBars? ErrorY { get; init; }

    /// <summary>Bar width in axis units.</summary>
    public double? Width { get; init; }
}
