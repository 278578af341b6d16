using static TorchSharp.torch;

namespace FisherKit.Simulators.Mammography;

/// <summary>
/// Data for contrast-detail regression networks: the mini-phantom they read, the network input made from an
/// image (area-resampled to a fixed size and standardised), and training sets of many devices with the ideal
/// observer's contrast-detail curve at the 12 target diameters as labels (µm).
/// </summary>
public static class CdmamIqa
{
    /// <summary>The standardisation of the input: (DN − <see cref="InputCentreDn"/>) / <see cref="InputScaleDn"/>.</summary>
    public const double InputCentreDn = 480, InputScaleDn = 40;

    // Ground truths already computed, per device instance (devices are immutable records; compared by reference).
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<MammographyDevice, double[]> Curves = new();

    /// <summary>
    /// The default mini-phantom: rows of 0.10, 0.20, 0.40 and 0.80 mm discs, columns of 0.01–1.28 µm gold in factors
    /// of two (thinner than the CDMAM's 0.03 µm, so that the EUREF-style fit brackets the thresholds of good devices).
    /// </summary>
    public static CdmamLayout MiniPhantom { get; } = CdmamLayout.Grid([0.10, 0.20, 0.40, 0.80], [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28]);

    /// <summary>The network input of images in DN ([B, 1, H, W]): area-resampled to <paramref name="rows"/> × <paramref name="columns"/>, standardised.</summary>
    public static Tensor Input(Tensor images, int rows, int columns)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.ndim != 4 || images.shape[1] != 1) throw new ArgumentException($"Images must be [B, 1, H, W]; got {TensorChecks.Shape(images.shape)}.", nameof(images));
        if (rows < 1 || columns < 1 || rows > images.shape[2] || columns > images.shape[3])
            throw new ArgumentOutOfRangeException(nameof(rows), $"The input size {rows} × {columns} must lie between 1 and the image size {images.shape[2]} × {images.shape[3]}.");
        using var scope = NewDisposeScope();
        var resized = nn.functional.interpolate(images.to(ScalarType.Float32), [rows, columns], mode: InterpolationMode.Area);
        return scope.MoveToOuter((resized - Hold((float)InputCentreDn)) / Hold((float)InputScaleDn));
    }

    /// <summary>The ideal observer's thresholds (µm) of <paramref name="device"/> at the 12 target diameters; throws when one is not finite.</summary>
    public static double[] GroundTruth(MammographyDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        lock (Curves)
            if (Curves.TryGetValue(device, out var known)) return known.ToArray();
        var curve = new IdealObserver(device).Curve();
        if (curve.Any(t => !double.IsFinite(t))) throw new ArgumentException($"{device.Name}: a threshold is beyond 100 µm gold; the device is too noisy for a contrast-detail curve.", nameof(device));
        lock (Curves) Curves.TryAdd(device, curve);
        return curve.ToArray();
    }

    /// <summary>
    /// <paramref name="imagesPerDevice"/> images of <paramref name="layout"/> per device, as network inputs [N, 1, rows, columns]
    /// with targets [N, 12] (µm) and the device index per image; images of device i use seed <paramref name="seed"/> + i.
    /// </summary>
    public static (Tensor Inputs, Tensor Targets, long[] Device) TrainingSet(IReadOnlyList<MammographyDevice> devices, int imagesPerDevice, CdmamLayout layout,
        int rows, int columns, long seed, int supersampling = 2)
    {
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(layout);
        if (devices.Count == 0) throw new ArgumentException("At least one device is needed.", nameof(devices));
        if (imagesPerDevice < 1) throw new ArgumentOutOfRangeException(nameof(imagesPerDevice), imagesPerDevice, "At least one image per device is needed.");
        using var scope = NewDisposeScope();
        var inputs = new List<Tensor>();
        var targets = new List<Tensor>();
        var index = new List<long>();
        for (int i = 0; i < devices.Count; i++)
        {
            var sim = new CdmamSimulator(devices[i], supersampling);
            using var images = sim.Render(layout, imagesPerDevice, seed + i);
            inputs.Add(Input(images.Images, rows, columns));
            var gt = tensor(GroundTruth(devices[i]).Select(v => (float)v).ToArray());
            targets.Add(gt.unsqueeze(0).expand(imagesPerDevice, -1));
            index.AddRange(Enumerable.Repeat((long)i, imagesPerDevice));
        }
        return (scope.MoveToOuter(cat(inputs, 0)), scope.MoveToOuter(cat(targets, 0).contiguous()), index.ToArray());
    }
}
