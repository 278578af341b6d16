namespace FisherKit.Plotting.Output;

/// <summary>One figure to render as a static image.</summary>
/// <param name="Figure">The figure.</param>
/// <param name="Format">PNG or SVG.</param>
/// <param name="Width">Width in CSS pixels (the figure's own width wins when set).</param>
/// <param name="Height">Height in CSS pixels (the figure's own height wins when set).</param>
/// <param name="Scale">Pixel density of a PNG (2 for sharp images on high-resolution screens and in print).</param>
public sealed record ImageRequest(Figure Figure, ImageFormat Format = ImageFormat.Png, int Width = 800, int Height = 500, double Scale = 1);
