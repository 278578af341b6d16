using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Data;

/// <summary>
/// Image corruptions with one strength parameter each, for the "modified input" scenario of unusual
/// input detection: inputs of growing strength are scored and compared with clean inputs. All act on
/// float images (N, C, H, W) with values in [0, 1] on any device, return a new tensor in the caller's
/// dispose scope, clamp the result to [0, 1], and give the input back unchanged at strength 0. Random
/// corruptions draw from a CPU <see cref="Generator"/> (then move to the images' device), so they are
/// reproducible from a seed on every device. The strength ranges in <see cref="StrengthGrid"/> are
/// FisherKit's choice, wide enough to go from invisible to destructive on 28×28 images.
/// </summary>
public static class Corruptions
{
    /// <summary>Applies the corruption <paramref name="kind"/> with the given strength (see <see cref="CorruptionKind"/>).</summary>
    public static Tensor Apply(Tensor images, CorruptionKind kind, double strength, Generator? generator = null) => kind switch
    {
        CorruptionKind.GaussianNoise => GaussianNoise(images, strength, generator),
        CorruptionKind.Blur => GaussianBlur(images, strength),
        CorruptionKind.Rotation => Rotate(images, strength),
        CorruptionKind.Contrast => Contrast(images, strength),
        CorruptionKind.Occlusion => Occlude(images, strength, generator),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown corruption."),
    };

    /// <summary>The largest strength of <see cref="StrengthGrid"/> for each kind.</summary>
    public static double MaximumStrength(CorruptionKind kind) => kind switch
    {
        CorruptionKind.GaussianNoise => 0.5,
        CorruptionKind.Blur => 2.5,
        CorruptionKind.Rotation => 180,
        CorruptionKind.Contrast => 0.95,
        CorruptionKind.Occlusion => 0.6,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown corruption."),
    };

    /// <summary><paramref name="steps"/> evenly spaced strengths from 0 to <see cref="MaximumStrength"/>.</summary>
    public static double[] StrengthGrid(CorruptionKind kind, int steps = 6)
    {
        if (steps < 2) throw new ArgumentOutOfRangeException(nameof(steps), steps, "A strength grid needs at least two steps.");
        var max = MaximumStrength(kind);
        return Enumerable.Range(0, steps).Select(i => max * i / (steps - 1)).ToArray();
    }

    /// <summary>x + σ·ε with ε ~ N(0, 1) per pixel, clamped to [0, 1].</summary>
    public static Tensor GaussianNoise(Tensor images, double sigma, Generator? generator = null)
    {
        CheckImages(images);
        if (!(sigma >= 0) || double.IsInfinity(sigma)) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "The noise level must be a finite value >= 0.");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        if (sigma == 0) return scope.MoveToOuter(images.clone());
        var eps = randn(images.shape, images.dtype, CPU, generator: generator).to(images.device);
        return scope.MoveToOuter(images.add(eps * Hold(sigma), One).clamp(Hold(0), Hold(1)));
    }

    /// <summary>
    /// Separable Gaussian blur with standard deviation <paramref name="sigma"/> pixels: kernel
    /// g(k) ∝ exp(−k²/2σ²) for |k| ≤ max(1, ⌈3σ⌉), normalised to sum 1, applied to each channel along
    /// rows and columns (depthwise conv2d); borders are extended by replication.
    /// </summary>
    public static Tensor GaussianBlur(Tensor images, double sigma)
    {
        CheckImages(images);
        if (!(sigma >= 0) || double.IsInfinity(sigma)) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "The blur width must be a finite value >= 0.");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        if (sigma == 0) return scope.MoveToOuter(images.clone());
        var kernel = GaussianKernel(sigma);
        int r = kernel.Length / 2;
        long c = images.size(1);
        var k = tensor(kernel.Select(v => (float)v).ToArray(), device: images.device).to(images.dtype);
        var kx = k.view(1, 1, 1, kernel.Length).expand(c, 1, 1, kernel.Length).contiguous();
        var ky = k.view(1, 1, kernel.Length, 1).expand(c, 1, kernel.Length, 1).contiguous();
        var padded = nn.functional.pad(images, [r, r, r, r], PaddingModes.Replicate);
        var rows = nn.functional.conv2d(padded, kx, groups: c);
        var both = nn.functional.conv2d(rows, ky, groups: c);
        return scope.MoveToOuter(both.clamp(Hold(0), Hold(1)));
    }

    /// <summary>The normalised 1-D Gaussian kernel used by <see cref="GaussianBlur"/> (length 2r+1).</summary>
    public static double[] GaussianKernel(double sigma)
    {
        if (!(sigma > 0) || double.IsInfinity(sigma)) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "The kernel width must be a finite value > 0.");
        int r = Math.Max(1, (int)Math.Ceiling(3 * sigma));
        var g = new double[2 * r + 1];
        for (int i = -r; i <= r; i++) g[i + r] = Math.Exp(-i * (double)i / (2 * sigma * sigma));
        var sum = g.Sum();
        for (int i = 0; i < g.Length; i++) g[i] /= sum;
        return g;
    }

    /// <summary>
    /// Rotates each image about its centre by <paramref name="degrees"/>, counterclockwise as displayed
    /// (row 0 at the top), with bilinear interpolation; pixels that come from outside the image are 0
    /// (the black background of MNIST-like images). Uses affine_grid/grid_sample with the aspect ratio
    /// taken into account, so a 90° rotation of a square image permutes its pixels exactly.
    /// </summary>
    public static Tensor Rotate(Tensor images, double degrees)
    {
        CheckImages(images);
        if (!double.IsFinite(degrees)) throw new ArgumentOutOfRangeException(nameof(degrees), degrees, "The angle must be finite.");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        if (degrees == 0) return scope.MoveToOuter(images.clone());
        var a = degrees * Math.PI / 180;
        double cos = Math.Cos(a), sin = Math.Sin(a);
        double h = images.size(2), w = images.size(3);
        // Output pixel p samples the input at R⁻¹p; in normalised coordinates S⁻¹R⁻¹S with S = diag(W, H)/2.
        var theta1 = tensor(new[] { cos, -sin * h / w, 0, sin * w / h, cos, 0 }, [1, 2, 3], device: images.device).to(images.dtype);
        var theta = theta1.expand(images.size(0), 2, 3).contiguous();
        // align_corners given (false, libtorch's default): left unset, libtorch prints a warning on every call.
        var grid = nn.functional.affine_grid(theta, images.shape, align_corners: false);
        var rotated = nn.functional.grid_sample(images, grid, align_corners: false);
        return scope.MoveToOuter(rotated.clamp(Hold(0), Hold(1)));
    }

    /// <summary>
    /// Reduces contrast: x' = m + (1 − s)(x − m), with m the mean of each image and channel and
    /// s = <paramref name="reduction"/> ≤ 1 (s = 1 gives a flat image; s &lt; 0 raises the contrast,
    /// then the result is clamped to [0, 1]).
    /// </summary>
    public static Tensor Contrast(Tensor images, double reduction)
    {
        CheckImages(images);
        if (!(reduction <= 1) || !double.IsFinite(reduction)) throw new ArgumentOutOfRangeException(nameof(reduction), reduction, "The contrast reduction must be a finite value <= 1.");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        if (reduction == 0) return scope.MoveToOuter(images.clone());    // bit for bit, not m + (x − m) rounded
        var m = images.mean([2, 3], keepdim: true);
        return scope.MoveToOuter(m.add((images - m) * Hold(1 - reduction), One).clamp(Hold(0), Hold(1)));
    }

    /// <summary>
    /// Covers a square of side round(<paramref name="size"/>·min(H, W)) pixels in each image with the
    /// value <paramref name="fill"/> (mid-grey by default, visible on dark and light backgrounds). The
    /// square lies wholly inside the image, at a position drawn uniformly per image from the generator.
    /// </summary>
    public static Tensor Occlude(Tensor images, double size, Generator? generator = null, double fill = 0.5)
    {
        CheckImages(images);
        if (!(size >= 0 && size <= 1)) throw new ArgumentOutOfRangeException(nameof(size), size, "The occluded fraction of the image side must lie in [0, 1].");
        if (!(fill >= 0 && fill <= 1)) throw new ArgumentOutOfRangeException(nameof(fill), fill, "The fill value must lie in [0, 1].");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        long n = images.size(0), h = images.size(2), w = images.size(3);
        long k = (long)Math.Round(size * Math.Min(h, w), MidpointRounding.AwayFromZero);
        if (k == 0) return scope.MoveToOuter(images.clone());
        var top = randint(0, h - k + 1, [n, 1, 1], generator: generator).to(images.device);
        var left = randint(0, w - k + 1, [n, 1, 1], generator: generator).to(images.device);
        var rows = arange(Hold(0), Hold(h), Hold(1), dtype: ScalarType.Int64, device: images.device).view(1, h, 1);
        var cols = arange(Hold(0), Hold(w), Hold(1), dtype: ScalarType.Int64, device: images.device).view(1, 1, w);
        var inside = (rows >= top) & (rows < top.add(Hold(k), One)) & (cols >= left) & (cols < left.add(Hold(k), One));
        return scope.MoveToOuter(images.masked_fill(inside.unsqueeze(1), Hold(fill)));
    }

    private static void CheckImages(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.ndim != 4) throw new ArgumentException($"Corruptions act on images (N, C, H, W); got shape {TensorChecks.Shape(images.shape)}.", nameof(images));
        if (!images.is_floating_point()) throw new ArgumentException($"Corruptions need floating-point images in [0, 1]; got {images.dtype}.", nameof(images));
    }
}
