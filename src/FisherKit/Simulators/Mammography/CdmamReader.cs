using static TorchSharp.torch;

namespace FisherKit.Simulators.Mammography;

/// <summary>
/// Reads simulated CDMAM images as the EUREF procedure does: a hit or miss per cell and image (which corner holds the
/// second disc), then, over many cells or images, the proportion correct per diameter and thickness and the
/// psychometric fit of <see cref="PsychometricFit"/>, whose 0.625 point is the threshold thickness.
/// </summary>
public static class CdmamReader
{
    /// <summary>Hits (bool [B, cells]) of <paramref name="reader"/> on <paramref name="images"/> made by <paramref name="simulator"/>.</summary>
    public static Tensor Read(CdmamSimulator simulator, CdmamImages images, CdmamReaderKind reader, double searchRadiusPx = 2)
    {
        ArgumentNullException.ThrowIfNull(simulator);
        ArgumentNullException.ThrowIfNull(images);
        if (!ReferenceEquals(simulator.Device, images.Device) && simulator.Device != images.Device)
            throw new ArgumentException("The images were made by another device than the simulator's.", nameof(images));
        if (!(searchRadiusPx >= 0 && searchRadiusPx <= 20)) throw new ArgumentOutOfRangeException(nameof(searchRadiusPx), searchRadiusPx, "The search radius must lie in [0, 20] px.");
        using var scope = NewDisposeScope();
        var statistic = reader switch
        {
            CdmamReaderKind.MatchedFilter => MatchedFilter(simulator, images),
            CdmamReaderKind.Search => Search(simulator, images, searchRadiusPx),
            _ => throw new ArgumentOutOfRangeException(nameof(reader), reader, "Unknown reader."),
        };
        return scope.MoveToOuter(statistic.argmax(2).eq(images.Corners));
    }

    /// <summary>Attenuation statistic per cell and corner, [B, cells, 4]: the matched filter's correlation with (background − image).</summary>
    private static Tensor MatchedFilter(CdmamSimulator sim, CdmamImages images)
    {
        using var scope = NewDisposeScope();
        var layout = images.Layout;
        long b = images.Count;
        var img = images.Images.squeeze(1);
        float background = (float)(sim.Device.OpenFieldDn * (1 + sim.Device.ScatterToPrimary));
        var cells = sim.PixelCells(layout, images.ShiftsMm);
        var stats = new List<Tensor>();
        for (int k = 0; k < 4; k++)
        {
            var mask = zeros([b, layout.Cells, 4]);
            mask.select(2, k).fill_(Hold(1));
            var template = CdmamSimulator.Blur((sim.Primary(layout, mask, false, images.ShiftsMm) - Hold(1)).neg(), sim.Device.BlurSigmaPx);
            var product = (template * (img - Hold(background)).neg()).view(b, -1);
            stats.Add(zeros([b, layout.Cells + 1]).scatter_add_(1, cells, product).narrow(1, 0, layout.Cells));
        }
        return scope.MoveToOuter(stack(stats, 2));
    }

    /// <summary>Attenuation statistic per cell and corner, [B, cells, 4]: minus the minimum of the smoothed image near each corner.</summary>
    private static Tensor Search(CdmamSimulator sim, CdmamImages images, double radius)
    {
        using var scope = NewDisposeScope();
        var layout = images.Layout;
        var (h, w) = sim.ImageSize(layout);
        long b = images.Count;
        var img = images.Images.squeeze(1);
        var centres = sim.CornerCentres(layout, images.ShiftsMm).round().to(ScalarType.Int64);   // [B, cells, 4, 2]
        int r = (int)Math.Floor(radius);
        var offsets = new List<(int, int)>();
        for (int di = -r; di <= r; di++)
            for (int dj = -r; dj <= r; dj++)
                if (di * di + dj * dj <= radius * radius) offsets.Add((di, dj));
        var di_ = tensor(offsets.Select(o => (long)o.Item1).ToArray()).view(1, 1, 1, -1);
        var dj_ = tensor(offsets.Select(o => (long)o.Item2).ToArray()).view(1, 1, 1, -1);
        var rows = centres.select(3, 0).unsqueeze(3).add(di_, One).clamp(Hold(0), Hold(h - 1));
        var cols = centres.select(3, 1).unsqueeze(3).add(dj_, One).clamp(Hold(0), Hold(w - 1));
        var index = (rows * Hold(w)).add(cols, One).view(b, -1);                                                  // [B, cells·4·window]
        var result = zeros([b, layout.Cells, 4]);
        foreach (var d in layout.Diameters.Distinct())
        {
            double radiusPx = sim.Device.DiscRadiusPx(d);
            var smooth = CdmamSimulator.Blur(img, Math.Max(1.5, radiusPx / 2)).view(b, -1);
            var minimum = smooth.gather(1, index).view(b, layout.Cells, 4, offsets.Count).amin(3);
            var select = tensor(layout.Diameters.Select(x => x == d).ToArray()).view(1, -1, 1);
            result = where(select, -minimum, result);
        }
        return scope.MoveToOuter(result);
    }

    /// <summary>
    /// The EUREF-style contrast-detail curve from hits (bool [B, cells]) on <paramref name="layout"/>: per diameter, the hits
    /// over all images and cells of each thickness (empty cells left out), fitted by <see cref="PsychometricFit"/>.
    /// </summary>
    public static IReadOnlyList<PsychometricFit> Thresholds(Tensor hits, CdmamLayout layout)
    {
        ArgumentNullException.ThrowIfNull(hits);
        ArgumentNullException.ThrowIfNull(layout);
        if (hits.ndim != 2 || hits.shape[1] != layout.Cells)
            throw new ArgumentException($"Hits must be [images, {layout.Cells}]; got {TensorChecks.Shape(hits.shape)}.", nameof(hits));
        using var scope = NewDisposeScope();
        var perCell = hits.to(ScalarType.Int64).sum(dim: 0).data<long>().ToArray();
        long images = hits.shape[0];
        var fits = new List<PsychometricFit>();
        foreach (var d in layout.Diameters.Distinct().OrderBy(x => x))
        {
            var levels = Enumerable.Range(0, layout.Cells).Where(c => layout.Diameters[c] == d && layout.Thicknesses[c] > 0)
                .GroupBy(c => layout.Thicknesses[c]).OrderBy(g => g.Key).ToList();
            if (levels.Count < 2) continue;
            fits.Add(PsychometricFit.Fit(d, levels.Select(g => g.Key).ToArray(), levels.Select(g => g.Sum(c => perCell[c])).ToArray(),
                levels.Select(g => g.Count() * images).ToArray()));
        }
        return fits;
    }
}
