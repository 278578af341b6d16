using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Simulators;

/// <summary>
/// Localised form errors outside the Zernike family, for out-of-distribution tests: Gaussian bumps
/// (or pits) and scratches (grooves with a Gaussian cross-section along a segment). Heights in nm,
/// positions and widths in normalised aperture units; zero outside the aperture.
/// </summary>
public static class FormDefects
{
    /// <summary>A bump h·exp(−r²/(2w²)) centred at (x0, y0), float64 [N, N].</summary>
    public static Tensor Bump(ApertureGrid grid, double x0, double y0, double height, double width)
    {
        CheckWidth(width);
        return Map(grid, (x, y) => height * Math.Exp(-((x - x0) * (x - x0) + (y - y0) * (y - y0)) / (2 * width * width)));
    }

    /// <summary>
    /// A scratch from (x0, y0) to (x1, y1): −depth·exp(−d²/(2w²)) with d the distance to the
    /// segment, float64 [N, N]. A positive depth is a groove.
    /// </summary>
    public static Tensor Scratch(ApertureGrid grid, double x0, double y0, double x1, double y1, double depth, double width)
    {
        CheckWidth(width);
        double vx = x1 - x0, vy = y1 - y0, len2 = vx * vx + vy * vy;
        return Map(grid, (x, y) =>
        {
            double t = len2 == 0 ? 0 : Math.Clamp(((x - x0) * vx + (y - y0) * vy) / len2, 0, 1);
            double dx = x - (x0 + t * vx), dy = y - (y0 + t * vy);
            return -depth * Math.Exp(-(dx * dx + dy * dy) / (2 * width * width));
        });
    }

    /// <summary>
    /// Random defects for a batch, float64 [B, 1, N, N]: per sample <see cref="OodOptions.Bumps"/>
    /// bumps of height ±BumpHeight (random sign) and <see cref="OodOptions.Scratches"/> grooves of
    /// the given depth and length, centred uniformly within radius 0.75, with random orientation.
    /// Returns zeros when the options insert no defects.
    /// </summary>
    public static Tensor Random(ApertureGrid grid, int count, OodOptions options, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(generator);
        if (count <= 0) throw new ArgumentOutOfRangeException(nameof(count), count, "The batch size must be positive.");
        options.Validate();
        int n = grid.Size, p = n * n;
        var result = new double[count * p];
        int draws = count * (options.Bumps * 4 + options.Scratches * 4);
        double[] u = draws == 0 ? [] : DrawUniform(draws, generator);
        int next = 0;
        for (int b = 0; b < count; b++)
        {
            for (int i = 0; i < options.Bumps; i++)
            {
                var (cx, cy) = InDisk(u[next++], u[next++], 0.75);
                double sign = u[next++] < 0.5 ? -1 : 1;
                double w = options.BumpWidth * (0.75 + 0.5 * u[next++]);
                using var bump = Bump(grid, cx, cy, sign * options.BumpHeight, w);
                Add(result, b * p, bump);
            }
            for (int i = 0; i < options.Scratches; i++)
            {
                var (cx, cy) = InDisk(u[next++], u[next++], 0.75);
                double angle = Math.PI * u[next++];
                double half = 0.5 * options.ScratchLength * (0.75 + 0.5 * u[next++]);
                double dx = half * Math.Cos(angle), dy = half * Math.Sin(angle);
                using var s = Scratch(grid, cx - dx, cy - dy, cx + dx, cy + dy, options.ScratchDepth, options.ScratchWidth);
                Add(result, b * p, s);
            }
        }
        return tensor(result, [count, 1, n, n]);
    }

    private static double[] DrawUniform(int count, Generator generator)
    {
        using var t = rand([count], ScalarType.Float64, generator: generator);
        return t.ToArray<double>();
    }

    private static (double x, double y) InDisk(double u1, double u2, double radius)
    {
        double r = radius * Math.Sqrt(u1), phi = 2 * Math.PI * u2;
        return (r * Math.Cos(phi), r * Math.Sin(phi));
    }

    private static void Add(double[] target, int offset, Tensor image)
    {
        var v = image.ToArray<double>();
        for (int i = 0; i < v.Length; i++) target[offset + i] += v[i];
    }

    private static Tensor Map(ApertureGrid grid, Func<double, double, double> f)
    {
        ArgumentNullException.ThrowIfNull(grid);
        int n = grid.Size;
        var data = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double x = grid.Coordinate(j), y = grid.Coordinate(i);
                if (x * x + y * y <= 1) data[i * n + j] = f(x, y);
            }
        return tensor(data, [n, n]);
    }

    private static void CheckWidth(double width)
    {
        if (!(width > 0) || double.IsInfinity(width)) throw new ArgumentOutOfRangeException(nameof(width), width, "The width must be positive and finite.");
    }
}
