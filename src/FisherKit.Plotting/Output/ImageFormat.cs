namespace FisherKit.Plotting.Output;

/// <summary>Static image formats.</summary>
public enum ImageFormat
{
    /// <summary>Raster PNG.</summary>
    Png,
    /// <summary>Vector SVG.</summary>
    Svg,
}
