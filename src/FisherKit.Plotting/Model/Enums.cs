using System.Text.Json.Serialization;

namespace FisherKit.Plotting;

/// <summary>How a scatter trace draws its points (plotly.js <c>mode</c>).</summary>
[JsonConverter(typeof(Serialization.PlotlyEnumConverter<ScatterMode>))]
public enum ScatterMode
{
    /// <summary>Lines only.</summary>
    Lines,
    /// <summary>Markers only.</summary>
    Markers,
    /// <summary>Lines with markers.</summary>
    [JsonStringEnumMemberName("lines+markers")] LinesMarkers,
    /// <summary>Nothing drawn (useful for band edges).</summary>
    None,
}

/// <summary>Area fill of a scatter trace (plotly.js <c>fill</c>).</summary>
[JsonConverter(typeof(Serialization.PlotlyEnumConverter<Fill>))]
public enum Fill
{
    /// <summary>No fill.</summary>
    None,
    /// <summary>Fill to the previous trace's y values (error bands).</summary>
    [JsonStringEnumMemberName("tonexty")] ToNextY,
    /// <summary>Fill down to y = 0.</summary>
    [JsonStringEnumMemberName("tozeroy")] ToZeroY,
    /// <summary>Fill the closed shape of the trace itself.</summary>
    [JsonStringEnumMemberName("toself")] ToSelf,
}

/// <summary>Normalisation of a histogram (plotly.js <c>histnorm</c>).</summary>
[JsonConverter(typeof(Serialization.PlotlyEnumConverter<HistNorm>))]
public enum HistNorm
{
    /// <summary>Counts (plotly.js default, written as an empty string).</summary>
    [JsonStringEnumMemberName("")] Count,
    /// <summary>Fraction of samples per bin, in percent.</summary>
    Percent,
    /// <summary>Fraction of samples per bin.</summary>
    Probability,
    /// <summary>Count divided by bin width.</summary>
    Density,
    /// <summary>Fraction divided by bin width: integrates to 1, so histograms of different sizes compare.</summary>
    [JsonStringEnumMemberName("probability density")] ProbabilityDensity,
}

/// <summary>How bars and histograms of several traces share the axis (plotly.js <c>barmode</c>).</summary>
[JsonConverter(typeof(Serialization.PlotlyEnumConverter<BarMode>))]
public enum BarMode
{
    /// <summary>Side by side.</summary>
    Group,
    /// <summary>On top of each other, drawn with transparency.</summary>
    Overlay,
    /// <summary>Stacked.</summary>
    Stack,
    /// <summary>Stacked with relative (signed) values.</summary>
    Relative,
}

/// <summary>Axis scale (plotly.js axis <c>type</c>).</summary>
[JsonConverter(typeof(Serialization.PlotlyEnumConverter<AxisType>))]
public enum AxisType
{
    /// <summary>Linear numbers.</summary>
    Linear,
    /// <summary>Logarithmic (base 10).</summary>
    Log,
    /// <summary>Categories.</summary>
    Category,
    /// <summary>Dates.</summary>
    Date,
}

/// <summary>Orientation of bars, boxes and legends.</summary>
[JsonConverter(typeof(Serialization.PlotlyEnumConverter<Orientation>))]
public enum Orientation
{
    /// <summary>Vertical.</summary>
    [JsonStringEnumMemberName("v")] Vertical,
    /// <summary>Horizontal.</summary>
    [JsonStringEnumMemberName("h")] Horizontal,
}

/// <summary>Visibility of a trace (written as <c>true</c>, <c>false</c> or <c>"legendonly"</c>).</summary>
[JsonConverter(typeof(Serialization.BooleanOrStringEnumConverter<Visibility>))]
public enum Visibility
{
    /// <summary>Drawn.</summary>
    Visible,
    /// <summary>Not drawn and not in the legend.</summary>
    Hidden,
    /// <summary>Only in the legend; a click shows it.</summary>
    LegendOnly,
}

/// <summary>Line dash pattern.</summary>
[JsonConverter(typeof(Serialization.PlotlyEnumConverter<Dash>))]
public enum Dash
{
    /// <summary>Solid.</summary>
    Solid,
    /// <summary>Dotted.</summary>
    Dot,
    /// <summary>Dashed.</summary>
    Dash,
    /// <summary>Dash-dot.</summary>
    DashDot,
}

/// <summary>Which points a box or violin trace shows beside its summary.</summary>
[JsonConverter(typeof(Serialization.BooleanOrStringEnumConverter<BoxPoints>))]
public enum BoxPoints
{
    /// <summary>All points.</summary>
    All,
    /// <summary>Only outliers.</summary>
    Outliers,
    /// <summary>Outliers, including suspected ones.</summary>
    SuspectedOutliers,
    /// <summary>No points (written as <c>false</c>).</summary>
    None,
}
