using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Simulators.Mammography;

/// <summary>
/// The virtual CDMAM mammography chain, batched on TorchSharp tensors (equations in Simulators/README.md):
/// projection of the phantom plane with magnification M and a random sub-pixel detector shift per image;
/// gold discs sampled at s × s points per pixel and averaged (point sampling: a disc of less than about a pixel's radius
/// gains or loses visibility with s; notebook 09 leaves such discs out of its Monte-Carlo check);
/// energy-resolved attenuation through the device's spectrum (gold replacing PMMA: per-cell transmission
/// T(t) = Σ_k w_k exp(−(μ_Au − μ_PMMA)(E_k) t)); scatter as SPR times a Gaussian low-pass of the primary (a
/// kernel of fixed width in mm, periodic boundary); quantum noise (Gaussian with variance g·signal, g = DN per
/// quantum) before the Gaussian detector blur; correlated electronic noise; rounding and clipping to the
/// converter's range. Images of one call are a deterministic function of the seed.
/// </summary>
/// <example>
/// <code>
/// var device = new MammographyDevice();                       // the reference's Selenia-like configuration
/// var sim = new CdmamSimulator(device);
/// var layout = CdmamLayout.Grid([0.1, 0.25, 0.5, 1.0], CdmamPhantom.Thicknesses.Take(8).ToList());
/// using var batch = sim.Render(layout, count: 16, seed: 1);  // batch.Images: [16, 1, H, W] in DN
/// </code>
/// </example>
public sealed class CdmamSimulator
{
    private const long ChunkElements = 1L << 23;

    /// <summary>A simulator for <paramref name="device"/> (validated); each pixel is supersampled <paramref name="supersampling"/>² times.</summary>
    public CdmamSimulator(MammographyDevice device, int supersampling = 4)
    {
        ArgumentNullException.ThrowIfNull(device);
        device.Validate();
        if (supersampling < 1 || supersampling > 16) throw new ArgumentOutOfRangeException(nameof(supersampling), supersampling, "Supersampling must lie in 1–16.");
        Device = device;
        Supersampling = supersampling;
        Spectrum = device.Spectrum();
    }

    /// <summary>The device.</summary>
    public MammographyDevice Device { get; }

    /// <summary>Sub-samples per pixel along each axis.</summary>
    public int Supersampling { get; }

    /// <summary>The detected spectrum.</summary>
    public XraySpectrum Spectrum { get; }

    /// <summary>Detected-signal transmission of a gold disc of <paramref name="thicknessUm"/> µm in PMMA.</summary>
    public double GoldTransmission(double thicknessUm) => Spectrum.Transmission(XrayMaterial.Au, thicknessUm, XrayMaterial.Pmma);

    /// <summary>The image size (rows, columns) in pixels for <paramref name="layout"/>.</summary>
    public (int Rows, int Columns) ImageSize(CdmamLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        double m = Device.Magnification / Device.PixelPitchMm;
        return ((int)Math.Ceiling(layout.Rows * layout.CellMm * m), (int)Math.Ceiling(layout.Columns * layout.CellMm * m));
    }

    /// <summary>
    /// <paramref name="count"/> images of <paramref name="layout"/> with random corners, shifts and noise drawn from
    /// <paramref name="seed"/>; <paramref name="noise"/> false gives the expected image (no quantum or electronic
    /// noise, no rounding) for the same corners and shifts.
    /// </summary>
    public CdmamImages Render(CdmamLayout layout, int count, long seed, bool noise = true)
    {
        ArgumentNullException.ThrowIfNull(layout);
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "At least one image is needed.");
        CheckSize(layout);
        using var scope = NewDisposeScope();
        using var gen = new Generator(unchecked((ulong)seed));
        var corners = randint(4, [count, layout.Cells], dtype: ScalarType.Int64, generator: gen);
        var shifts = (rand([count, 2], dtype: ScalarType.Float64, generator: gen) - Hold(0.5)) * Hold(Device.PixelPitchMm);
        var mask = nn.functional.one_hot(corners, 4).to(ScalarType.Float32);
        var primary = Primary(layout, mask, true, shifts);
        var image = Detect(primary, noise ? gen : null).unsqueeze(1);
        scope.MoveToOuter(image, corners, shifts);
        return new CdmamImages(image, corners, shifts, layout, Device);
    }

    /// <summary>
    /// The relative primary fluence (1 = open field), float32 [B, H, W], with the centre discs when <paramref name="centre"/>
    /// and corner disc k of cell c weighted by <paramref name="cornerMask"/>[b, c, k] (one-hot for a phantom).
    /// </summary>
    internal Tensor Primary(CdmamLayout layout, Tensor cornerMask, bool centre, Tensor shifts)
    {
        using var scope = NewDisposeScope();
        var (h, w) = ImageSize(layout);
        int s = Supersampling;
        long b = shifts.shape[0];
        int cells = layout.Cells;
        var contrast = tensor(layout.Thicknesses.Select(t => (float)(1 - GoldTransmission(t))).Append(0f).ToArray());
        var r2 = tensor(layout.Diameters.Select(d => (float)(d * d / 4)).Append(0f).ToArray());
        float o = (float)layout.CornerOffsetMm;
        var maskPadded = cat([cornerMask.to(ScalarType.Float32), zeros([b, 1, 4])], 1);   // [B, cells + 1, 4]; the extra cell is "outside"
        long perImage = (long)h * w * s * s;
        int chunk = (int)Math.Max(1, Math.Min(b, ChunkElements / perImage));
        var parts = new List<Tensor>();
        for (long start = 0; start < b; start += chunk)
        {
            using var inner = NewDisposeScope();
            long n = Math.Min(chunk, b - start);
            var sh = shifts.narrow(0, start, n);
            var (lx, col) = Axis(w, s, sh.select(1, 0), layout.Columns, layout.CellMm);   // [n, W·s]
            var (ly, row) = Axis(h, s, sh.select(1, 1), layout.Rows, layout.CellMm);      // [n, H·s]
            var valid = (col >= Hold(0)).unsqueeze(1) & (row >= Hold(0)).unsqueeze(2);
            var cell = where(valid, (row.unsqueeze(2) * Hold(layout.Columns)).add(col.unsqueeze(1), One), tensor((long)cells));   // [n, Hs, Ws]
            var flat = cell.view(n, -1);
            var c = contrast.index_select(0, flat.view(-1)).view(n, h * s, w * s);
            var rr = r2.index_select(0, flat.view(-1)).view(n, h * s, w * s);
            var x = lx.unsqueeze(1);
            var y = ly.unsqueeze(2);
            var covered = centre ? (x.pow(Hold(2)).add(y.pow(Hold(2)), One) <= rr).to(ScalarType.Float32) : zeros([n, h * s, w * s]);
            // A corner disc lies inside its own quadrant of the cell (radius < offset), so only the quadrant's corner can cover a sub-sample.
            var right = x > Hold(0);
            var below = y > Hold(0);
            var quadrant = right.to(ScalarType.Int64).add(Hold(2) * below.to(ScalarType.Int64), One);
            var weight = maskPadded.narrow(0, start, n).view(n, -1).gather(1, (cell * Hold(4)).add(quadrant, One).view(n, -1)).view(n, h * s, w * s);
            var dx = x - (right.to(ScalarType.Float32) * Hold(2 * o) - Hold(o));
            var dy = y - (below.to(ScalarType.Float32) * Hold(2 * o) - Hold(o));
            covered = covered.add(weight * (dx.pow(Hold(2)).add(dy.pow(Hold(2)), One) <= rr).to(ScalarType.Float32), One);
            var value = (c * covered - Hold(1)).neg();
            parts.Add(inner.MoveToOuter(nn.functional.avg_pool2d(value.unsqueeze(1), s).squeeze(1)));
        }
        return scope.MoveToOuter(cat(parts, 0));
    }

    /// <summary>Phantom-plane coordinate of every sub-sample along one axis, relative to its cell's centre, and the cell index (−1 outside the mosaic).</summary>
    private (Tensor Local, Tensor Cell) Axis(int pixels, int s, Tensor shift, int cells, double cellMm)
    {
        double pitch = Device.PixelPitchMm, m = Device.Magnification;
        var u = arange(Hold(0), Hold(pixels * s), Hold(1), dtype: ScalarType.Float64).add(Hold(0.5), One) / Hold(s) - Hold(pixels / 2.0);   // pixel units from the detector centre
        var phantom = (u.unsqueeze(0) * Hold(pitch)).add(shift.unsqueeze(1), One) / Hold(m);                      // [n, pixels·s] mm in the phantom plane
        var index = (phantom / Hold(cellMm)).add(Hold(cells / 2.0), One).floor();
        var local = phantom - (index.add(Hold(0.5), One) - Hold(cells / 2.0)) * Hold(cellMm);
        var inside = (index >= Hold(0)) & (index < Hold(cells));
        return (local.to(ScalarType.Float32), where(inside, index.to(ScalarType.Int64), tensor(-1L)));
    }

    /// <summary>The detector: scatter, quantum noise, blur, electronic noise, digitisation; DN, float32 [B, H, W].</summary>
    internal Tensor Detect(Tensor primary, Generator? noise)
    {
        using var scope = NewDisposeScope();
        var d = Device;
        var signal = primary;
        if (d.ScatterToPrimary > 0) signal = signal.add(LowPass(primary, d.ScatterSigmaMm / d.PixelPitchMm) * Hold(d.ScatterToPrimary), One);
        signal = signal * Hold((float)d.OpenFieldDn);
        if (noise is not null && d.QuantaPerPixel is double q)
        {
            double gain = d.OpenFieldDn / q;
            signal = signal.add((signal.clamp_min(Hold(0)) * Hold((float)gain)).sqrt() * randn(signal.shape, dtype: ScalarType.Float32, generator: noise), One);
        }
        signal = Blur(signal, d.BlurSigmaPx);
        if (noise is not null && d.ElectronicNoiseDn > 0)
        {
            var k = Kernel(d.NoiseCorrelationSigmaPx);
            double sumSquares = k.Sum(v => v * v);
            var white = randn(signal.shape, dtype: ScalarType.Float32, generator: noise) * Hold((float)(d.ElectronicNoiseDn / sumSquares));
            signal = signal.add(Blur(white, d.NoiseCorrelationSigmaPx), One);
        }
        if (noise is not null && d.Digitise) signal = signal.round().clamp(Hold(0), Hold(Math.Pow(2, d.Bits) - 1));
        return scope.MoveToOuter(signal);
    }

    /// <summary>The largest σ (px) of <see cref="Kernel"/>: its 8σ + 1 taps are then 80 001 (an infinite σ overflowed the radius, σ = 1e8 asked for 6 GB).</summary>
    public const double MaxKernelSigmaPx = 10_000;

    /// <summary>The normalised 1-D Gaussian of σ <paramref name="sigmaPx"/> truncated at radius ⌊4σ + ½⌋ (scipy's convention); [1] for σ = 0.</summary>
    public static double[] Kernel(double sigmaPx)
    {
        if (!(sigmaPx >= 0) || sigmaPx > MaxKernelSigmaPx) throw new ArgumentOutOfRangeException(nameof(sigmaPx), sigmaPx, $"σ must lie in [0, {MaxKernelSigmaPx}] px.");
        if (sigmaPx == 0) return [1.0];
        int r = (int)(4 * sigmaPx + 0.5);
        var k = Enumerable.Range(-r, 2 * r + 1).Select(i => Math.Exp(-0.5 * i * i / (sigmaPx * sigmaPx))).ToArray();
        double sum = k.Sum();
        return k.Select(v => v / sum).ToArray();
    }

    /// <summary>Separable Gaussian blur of [B, H, W] with reflecting boundaries (σ in pixels).</summary>
    internal static Tensor Blur(Tensor x, double sigmaPx)
    {
        if (sigmaPx == 0) return x.alias();
        using var scope = NewDisposeScope();
        var k = Kernel(sigmaPx);
        int r = k.Length / 2;
        if (x.shape[1] <= r || x.shape[2] <= r)
            throw new ArgumentException($"An image of {x.shape[1]} × {x.shape[2]} px is too small for a blur of radius {r} px.", nameof(x));
        var kt = tensor(k.Select(v => (float)v).ToArray(), dtype: x.dtype);
        var y = nn.functional.pad(x.unsqueeze(1), [r, r, r, r], PaddingModes.Reflect);
        y = nn.functional.conv2d(y, kt.view(1, 1, 1, -1));
        y = nn.functional.conv2d(y, kt.view(1, 1, -1, 1));
        return scope.MoveToOuter(y.squeeze(1));
    }

    /// <summary>Gaussian low-pass of [B, H, W] through the FFT (periodic boundary), σ in pixels; keeps the mean.</summary>
    private static Tensor LowPass(Tensor x, double sigmaPx)
    {
        using var scope = NewDisposeScope();
        long h = x.shape[1], w = x.shape[2];
        var fy = fft.fftfreq(h, dtype: ScalarType.Float32).unsqueeze(1);
        var fx = fft.rfftfreq(w, dtype: ScalarType.Float32).unsqueeze(0);
        var transfer = (Hold(-2 * Math.PI * Math.PI * sigmaPx * sigmaPx) * fx.pow(Hold(2)).add(fy.pow(Hold(2)), One)).exp();
        var y = fft.irfft2(fft.rfft2(x) * transfer, s: [h, w]);
        return scope.MoveToOuter(y);
    }

    /// <summary>The cell index of every pixel centre, int64 [B, H·W] (cells for pixels outside the mosaic).</summary>
    internal Tensor PixelCells(CdmamLayout layout, Tensor shifts)
    {
        using var scope = NewDisposeScope();
        var (h, w) = ImageSize(layout);
        long n = shifts.shape[0];
        var (_, col) = Axis(w, 1, shifts.select(1, 0), layout.Columns, layout.CellMm);
        var (_, row) = Axis(h, 1, shifts.select(1, 1), layout.Rows, layout.CellMm);
        var valid = (col >= Hold(0)).unsqueeze(1) & (row >= Hold(0)).unsqueeze(2);
        return scope.MoveToOuter(where(valid, (row.unsqueeze(2) * Hold(layout.Columns)).add(col.unsqueeze(1), One), tensor((long)layout.Cells)).view(n, -1));
    }

    /// <summary>The position (row, column, in pixel units, fractional) of corner disc k's centre in cell c of each image: float64 [B, cells, 4, 2].</summary>
    internal Tensor CornerCentres(CdmamLayout layout, Tensor shifts)
    {
        using var scope = NewDisposeScope();
        var (h, w) = ImageSize(layout);
        double pitch = Device.PixelPitchMm, m = Device.Magnification, a = layout.CellMm, o = layout.CornerOffsetMm;
        var cx = new double[layout.Cells * 4];
        var cy = new double[layout.Cells * 4];
        for (int c = 0; c < layout.Cells; c++)
            for (int k = 0; k < 4; k++)
            {
                cx[c * 4 + k] = ((c % layout.Columns) + 0.5 - layout.Columns / 2.0) * a + ((k & 1) == 0 ? -o : o);
                cy[c * 4 + k] = ((c / layout.Columns) + 0.5 - layout.Rows / 2.0) * a + ((k & 2) == 0 ? -o : o);
            }
        // pixel centre j sits at ((j + 0.5) − W/2)·pitch + shift at the detector
        var col = ((tensor(cx).view(1, -1) * Hold(m) - shifts.select(1, 0).unsqueeze(1)) / Hold(pitch)).add(Hold(w / 2.0), One) - Hold(0.5);
        var row = ((tensor(cy).view(1, -1) * Hold(m) - shifts.select(1, 1).unsqueeze(1)) / Hold(pitch)).add(Hold(h / 2.0), One) - Hold(0.5);
        return scope.MoveToOuter(stack([row, col], -1).view(shifts.shape[0], layout.Cells, 4, 2));
    }

    private void CheckSize(CdmamLayout layout)
    {
        var (h, w) = ImageSize(layout);
        int r = Math.Max(Kernel(Device.BlurSigmaPx).Length, Kernel(Device.NoiseCorrelationSigmaPx).Length) / 2;
        if (h <= r || w <= r || h < 4 || w < 4)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The layout gives a {h} × {w} px image, too small for this device's blur."), nameof(layout));
        if ((long)h * w > 50_000_000) throw new ArgumentException($"The layout gives a {h} × {w} px image; more than 50 Mpx per image is not supported.", nameof(layout));
    }
}
