namespace FisherKit.Plotting;

/// <summary>Error bars (plotly.js <c>error_x</c>/<c>error_y</c> with <c>type: "data"</c>).</summary>
public sealed record ErrorBars
{
    /// <summary>Always <c>"data"</c>: the bar lengths are given per point.</summary>
    public string Type { get; init; } = "data";

    /// <summary>Length of the upper (or symmetric) bar per point.</summary>
    public DataArray? Array { get; init; }

    /// <summary>Length of the lower bar per point, when asymmetric.</summary>
    public DataArray? ArrayMinus { get; init; }

    /// <summary>False when <see cref="ArrayMinus"/> differs from <see cref="Array"/>.</summary>
    public bool? Symmetric { get; init; }

    /// <summary>Bar colour.</summary>
    public string? Color { get; init; }

    /// <summary>Whether the bars are drawn.</summary>
    public bool? Visible { get; init; } = true;

    /// <summary>Width of the caps in pixels.</summary>
    public double? Width { get; init; }
}
