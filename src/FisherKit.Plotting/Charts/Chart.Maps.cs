namespace FisherKit.Plotting;

public static partial class Chart
{
    /// <summary>
    /// A picture-like heatmap: row 0 at the top, square pixels, no grid. The base of saliency and
    /// uncertainty maps. plotly.js ignores a colour bound unless both are set, so when only one of
    /// <paramref name="zMin"/>, <paramref name="zMax"/> is given the other is taken from the finite
    /// values of <paramref name="z"/>.
    /// </summary>
    public static Figure ImageMap(Matrix z, ColorScale? colorScale = null, double? zMid = null, double? zMin = null, double? zMax = null,
        string? title = null, string? colorBarTitle = null)
    {
        ArgumentNullException.ThrowIfNull(z);
        if (zMin is null != zMax is null)
        {
            var finite = Enumerable.Range(0, z.Rows).SelectMany(r => Enumerable.Range(0, z.Columns).Select(c => z[r, c])).Where(double.IsFinite).ToArray();
            if (finite.Length > 0)
            {
                zMin ??= Math.Min(finite.Min(), zMax!.Value);
                zMax ??= Math.Max(finite.Max(), zMin.Value);
            }
        }
        var trace = new Heatmap
        {
            Z = z, ColorScale = colorScale ?? ColorScale.Viridis, ZMid = zMid, ZMin = zMin, ZMax = zMax,
            ColorBar = colorBarTitle is null ? null : new ColorBar { Title = colorBarTitle },
            HoverTemplate = "row %{y}, column %{x}: %{z:.4g}<extra></extra>",
        };
        return new Figure([trace], new Layout
        {
            Title = title,
            XAxis = new Axis { ShowGrid = false, ZeroLine = false, Ticks = "", ShowTickLabels = false, ScaleAnchor = "y", Range = [-0.5, z.Columns - 0.5] },
            YAxis = new Axis { ShowGrid = false, ZeroLine = false, Ticks = "", ShowTickLabels = false, Reversed = true },
        });
    }

    /// <summary>
    /// A saliency map (e.g. the gradient of a score with respect to the input pixels). Signed maps use
    /// a diverging red–blue scale centred at zero, symmetric in range, so the sign of the influence
    /// reads directly; unsigned maps (magnitudes) use a sequential scale from zero.
    /// </summary>
    public static Figure SaliencyMap(Matrix saliency, bool signed = true, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(saliency);
        var finite = Enumerable.Range(0, saliency.Rows).SelectMany(r => Enumerable.Range(0, saliency.Columns).Select(c => saliency[r, c])).Where(double.IsFinite).ToArray();
        var bound = finite.Length == 0 ? 1 : Math.Max(finite.Max(Math.Abs), double.Epsilon);
        // plotly.js's RdBu runs from blue (low) to red (high): positive influence is red.
        return signed
            ? ImageMap(saliency, ColorScale.RdBu, zMid: 0, zMin: -bound, zMax: bound, title: title, colorBarTitle: "saliency")
            : ImageMap(saliency, ColorScale.Hot, zMin: 0, zMax: bound, title: title, colorBarTitle: "|saliency|");
    }

    /// <summary>A map of a predictive uncertainty (standard deviation per pixel or per point of a
    /// measured surface) on a sequential, colour-blind safe scale, with the unit on the colour bar.</summary>
    public static Figure UncertaintyMap(Matrix sigma, string unit = "", string? title = null)
    {
        ArgumentNullException.ThrowIfNull(sigma);
        return ImageMap(sigma, ColorScale.Viridis, zMin: 0, title: title, colorBarTitle: unit.Length == 0 ? "σ" : $"σ [{unit}]");
    }
}
