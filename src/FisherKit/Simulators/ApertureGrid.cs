using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Simulators;

/// <summary>
/// An N×N pixel grid over the square [−1, 1]² in coordinates normalised by the aperture radius, with
/// the circular aperture ρ = √(x² + y²) ≤ 1. Pixel (i, j) (row i, column j) has its centre at
/// x_j = −1 + (2j + 1)/N, y_i = −1 + (2i + 1)/N. Images are tensors [..., N, N] indexed [row, column].
/// </summary>
public sealed class ApertureGrid : IDisposable
{
    private readonly Tensor _mask;

    /// <summary>Creates the grid; <paramref name="size"/> must be at least 4.</summary>
    public ApertureGrid(int size)
    {
        if (size < 4) throw new ArgumentOutOfRangeException(nameof(size), size, "The grid needs at least 4×4 pixels.");
        Size = size;
        var m = new bool[size * size];
        int count = 0;
        for (int i = 0; i < size; i++)
            for (int j = 0; j < size; j++)
            {
                double x = Coordinate(j), y = Coordinate(i);
                if (x * x + y * y <= 1) { m[i * size + j] = true; count++; }
            }
        PixelCount = count;
        _mask = tensor(m, [size, size]).DetachFromDisposeScope();
    }

    /// <summary>N, the number of pixels per side.</summary>
    public int Size { get; }

    /// <summary>Number of pixels inside the aperture.</summary>
    public int PixelCount { get; }

    /// <summary>Pixel pitch 2/N in normalised units.</summary>
    public double Pitch => 2.0 / Size;

    /// <summary>The centre coordinate −1 + (2k + 1)/N of row or column k.</summary>
    public double Coordinate(int k) => -1 + (2.0 * k + 1) / Size;

    /// <summary>The aperture as a bool tensor [N, N] (owned by the grid: do not dispose).</summary>
    public Tensor Mask => _mask;

    /// <summary>The aperture as 0/1 of a floating dtype [N, N] (a new tensor).</summary>
    public Tensor MaskAs(ScalarType dtype) => _mask.to(dtype);

    /// <summary>x and y of every pixel centre as float64 tensors [N, N] (new tensors).</summary>
    public (Tensor x, Tensor y) Coordinates()
    {
        var c = Enumerable.Range(0, Size).Select(Coordinate).ToArray();
        var xs = new double[Size * Size];
        var ys = new double[Size * Size];
        for (int i = 0; i < Size; i++)
            for (int j = 0; j < Size; j++) { xs[i * Size + j] = c[j]; ys[i * Size + j] = c[i]; }
        return (tensor(xs, [Size, Size]), tensor(ys, [Size, Size]));
    }

    /// <summary>
    /// Checks that <paramref name="image"/> ends in [N, N] and throws an <see cref="ArgumentException"/>
    /// naming <paramref name="name"/> and both shapes if not.
    /// </summary>
    public void CheckImage(Tensor image, string name)
    {
        ArgumentNullException.ThrowIfNull(image, name);
        var s = image.shape;
        if (s.Length < 2 || s[^1] != Size || s[^2] != Size)
            throw new ArgumentException($"{name} has shape [{string.Join(", ", s)}], but this grid needs images ending in [{Size}, {Size}].", name);
    }

    /// <summary>Releases the mask.</summary>
    public void Dispose() => _mask.Dispose();
}
