namespace FisherKit.Plotting;

/// <summary>
/// An RGB picture (plotly.js <c>image</c>), for showing input images next to their saliency maps.
/// Grey-level pictures are better drawn as a <see cref="Heatmap"/> with <see cref="ColorScale.Greys"/>.
/// </summary>
public sealed record Image : Trace
{
    /// <summary>Pixels as rows × columns × 3 (red, green, blue in 0..255).</summary>
    public double[][][]? Z { get; init; }

    /// <summary>Or a data URI of a PNG/JPEG (plotly.js <c>source</c>).</summary>
    public string? Source { get; init; }
}
