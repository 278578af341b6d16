using System.Text.Json.Serialization;

namespace FisherKit.Plotting;

/// <summary>Points and lines (plotly.js <c>scatter</c>): curves, markers, error bars and filled bands.</summary>
public sealed record Scatter : Trace
{
    /// <summary>x values.</summary>
    public DataArray? X { get; init; }

    /// <summary>y values.</summary>
    public DataArray? Y { get; init; }

    /// <summary>Lines, markers or both.</summary>
    public ScatterMode? Mode { get; init; }

    /// <summary>Line style.</summary>
    public Line? Line { get; init; }

    /// <summary>Marker style.</summary>
    public Marker? Marker { get; init; }

    /// <summary>Area fill (<see cref="Plotting.Fill.ToNextY"/> fills to the previous trace: bands).</summary>
    public Fill? Fill { get; init; }

    /// <summary>Colour of the fill.</summary>
    public string? FillColor { get; init; }

    /// <summary>Vertical error bars.</summary>
    [JsonPropertyName("error_y")]
    public ErrorBars? ErrorY { get; init; }

    /// <summary>Horizontal error bars.</summary>
    [JsonPropertyName("error_x")]
    public ErrorBars? ErrorX { get; init; }

    /// <summary>Whether gaps (null values) are bridged.</summary>
    public bool? ConnectGaps { get; init; }
}
