using FisherKit.Plotting;
using TorchSharp;

namespace FisherKit.Pictures;

/// <summary>
/// Pictures of image tensors for notebooks: an image as a matrix of doubles, a grey-scale picture (no colour
/// bar), a heat map of a quantity with its unit on the colour bar, a signed map on a diverging scale centred at
/// zero, and a grid of such pictures. Each returns a <see cref="Figure"/> of FisherKit.Plotting, so it can be
/// adjusted (<see cref="Figure.WithHeight"/>, <see cref="Figure.WithoutColorBars"/>) and shown in every host.
/// </summary>
/// <example>
/// <code>
/// using FisherKit.Pictures;
/// // ten Fashion-MNIST test images [1, 28, 28] in [0, 1], titled by class, five per row
/// Picture.Grid(Enumerable.Range(0, 10).Select(i => Picture.Greyscale(test.Images[i], classNames[labels[i]])).ToList(),
///              columns: 5, title: "One test image per class")
///
/// // a form deviation [N, N] in nm inside a circular aperture, and the error of a prediction on ±20 nm
/// Picture.Map(deviation, "Δz", unit: "nm", mask: aperture)
/// Picture.SignedMap(prediction - truth, bound: 20, title: "error", unit: "nm", mask: aperture)
/// </code>
/// </example>
public static class Picture
{
    /// <summary>
    /// A 2-D tensor [H, W] (after squeezing leading singleton dimensions, e.g. [1, H, W] or [1, 1, H, W]) as
    /// double[H, W], row 0 at the top; with a <paramref name="mask"/> [H, W], pixels outside it (mask 0) become
    /// NaN, which heat maps leave blank.
    /// </summary>
    /// <exception cref="ArgumentException">The image is not one image [H, W], or the mask's shape differs.</exception>
    public static double[,] ToMatrix(torch.Tensor image, torch.Tensor? mask = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        var shape = image.shape.SkipWhile(s => s == 1).ToArray();
        if (shape.Length != 2)
            throw new ArgumentException($"ToMatrix needs one image [H, W] (leading size-1 dimensions allowed), got [{string.Join(", ", image.shape)}].", nameof(image));
        int h = (int)shape[0], w = (int)shape[1];
        double[] values;
        using (var d = image.detach()) values = d.ToDoubleArray();
        bool[]? m = null;
        if (mask is not null)
        {
            if (mask.ndim != 2 || mask.shape[0] != h || mask.shape[1] != w)
                throw new ArgumentException($"The mask must be [{h}, {w}], got [{string.Join(", ", mask.shape)}].", nameof(mask));
            using var b = mask.ne(Hold(0));
            m = b.ToArray<bool>();
        }
        var result = new double[h, w];
        for (int i = 0; i < h; i++)
            for (int j = 0; j < w; j++)
                result[i, j] = m is null || m[i * w + j] ? values[i * w + j] : double.NaN;
        return result;
    }

    /// <summary>
    /// A grey-scale picture of one image (see <see cref="ToMatrix"/> for the shapes taken), values from
    /// <paramref name="black"/> to <paramref name="white"/> on plotly's Greys scale, square pixels, no axes and no
    /// colour bar: how a person sees the image.
    /// </summary>
    public static Figure Greyscale(torch.Tensor image, string? title = null, double black = 0, double white = 1) =>
        Chart.ImageMap(ToMatrix(image), ColorScale.Greys, zMin: black, zMax: white, title: title).WithoutColorBars();

    /// <summary>
    /// A heat map of a quantity over an image (an uncertainty, a form deviation, a score per pixel) with
    /// <paramref name="unit"/> on its colour bar; pixels outside <paramref name="mask"/> stay blank. Without
    /// bounds the colour scale spans the values.
    /// </summary>
    public static Figure Map(torch.Tensor image, string? title = null, ColorScale? colors = null, double? zMin = null, double? zMax = null,
        double? zMid = null, string? unit = null, torch.Tensor? mask = null) =>
        Chart.ImageMap(ToMatrix(image, mask), colors ?? ColorScale.Viridis, zMid: zMid, zMin: zMin, zMax: zMax, title: title, colorBarTitle: unit);

    /// <summary>
    /// A signed map (an error, a perturbation, a signed sensitivity) on the diverging red–blue scale from
    /// −<paramref name="bound"/> (blue) to +<paramref name="bound"/> (red), white at zero.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bound"/> is not positive and finite.</exception>
    public static Figure SignedMap(torch.Tensor image, double bound, string? title = null, string? unit = null, torch.Tensor? mask = null)
    {
        if (!(bound > 0) || double.IsInfinity(bound))
            throw new ArgumentOutOfRangeException(nameof(bound), bound, "The bound of a signed map must be positive and finite.");
        return Map(image, title, ColorScale.RdBu, -bound, bound, 0, unit, mask);
    }

    /// <summary>
    /// Pictures in a grid of <paramref name="columns"/> columns, row after row (as many rows as needed), with their
    /// titles above them; pictures sit close together (<paramref name="horizontalSpacing"/>,
    /// <paramref name="verticalSpacing"/> as fractions of the figure). Set the height with
    /// <see cref="Figure.WithHeight"/> when the default (320 pixels per row) does not suit.
    /// </summary>
    /// <exception cref="ArgumentException">No pictures, or <paramref name="columns"/> is not positive.</exception>
    public static Figure Grid(IReadOnlyList<Figure> pictures, int columns, string? title = null,
        double horizontalSpacing = 0.02, double verticalSpacing = 0.1)
    {
        ArgumentNullException.ThrowIfNull(pictures);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        if (pictures.Count == 0) throw new ArgumentException("A grid needs at least one picture.", nameof(pictures));
        var rows = (pictures.Count + columns - 1) / columns;
        return Chart.Grid(rows, Math.Min(columns, pictures.Count), pictures, title: title,
            horizontalSpacing: horizontalSpacing, verticalSpacing: verticalSpacing);
    }
}
