using FisherKit.Simulators.Mammography;

namespace FisherKit.Tests.Simulators.Mammography;

public class CdmamSimulatorTests
{
    private static readonly MammographyDevice Selenia = new();

    [Fact]
    public void Gold_and_PMMA_transmission_of_a_monochromatic_beam_follow_the_attenuation_data()
    {
        // 20 keV, xraylib: μ/ρ(Au) = 78.81, μ/ρ(PMMA) = 0.5714 cm²/g; gold replaces PMMA in the cell.
        var device = Selenia with { MonochromaticKeV = 20, ScatterToPrimary = 0 };
        var sim = new CdmamSimulator(device, supersampling: 2);
        double expected = Math.Exp(-(19.32 * 78.81 - 1.19 * 0.5714) * 2.0e-4);
        Assert.Equal(expected, sim.GoldTransmission(2.0), 3);
        Assert.Equal(Math.Exp(-1.19 * 0.5714 * 4.5), device.Spectrum().Transmission(XrayMaterial.Pmma, 45_000), 3);
        // The plateau of a large disc in the rendered, noise-free image.
        var layout = new CdmamLayout(1, 1, [1.0], [2.0], cellMm: 3.0);
        using var batch = sim.Render(layout, 1, seed: 3, noise: false);
        var img = batch.Images[0, 0];
        long h = img.shape[0], w = img.shape[1];
        double centre = img[h / 2, w / 2].ToDouble();
        Assert.Equal(device.OpenFieldDn * sim.GoldTransmission(2.0), centre, 1);
        Assert.Equal(device.OpenFieldDn, img[0, 0].ToDouble(), 1);
    }

    [Fact]
    public void Polychromatic_transmission_is_the_detected_weighted_mean_over_the_spectrum()
    {
        var spectrum = Selenia.Spectrum();
        double t = 0, wsum = 0;
        for (int k = 0; k < spectrum.Energies.Count; k++)
        {
            double e = spectrum.Energies[k];
            double eta = 1 - Math.Exp(-4.51 * XrayTables.DetectorAbsorption(XrayMaterial.CsI, e) * 0.025);
            double w = spectrum.Fluence[k] * eta;
            wsum += w;
            t += w * Math.Exp(-19.32 * XrayTables.MassAttenuation(XrayMaterial.Au, e) * 1e-4);
        }
        Assert.Equal(t / wsum, spectrum.Transmission(XrayMaterial.Au, 1.0), 10);
        Assert.InRange(spectrum.MeanDetectedEnergy, 14, 20);   // Mo/Mo 25 kVp: the reference's detected mean is 16.6 keV
    }

    [Fact]
    public void Background_and_noise_levels_match_the_reference_configuration()
    {
        // Reference (research/mammography.md §1.9-1.10): primary 413.5 DN, with SPR 0.18 about 488 DN; noise std 1.0899 × 9.7 = 10.57 DN.
        var sim = new CdmamSimulator(Selenia, supersampling: 1);
        var layout = new CdmamLayout(1, 1, [1.0], [0.0], cellMm: 8.0);
        using var batch = sim.Render(layout, 4, seed: 11);
        var img = batch.Images.to(float64);
        Assert.Equal(413.5 * 1.18, img.mean().ToDouble(), 0);
        // Independent: the 5-tap kernel of σ = 0.55 px, and the output std σ_w Σk² with σ_w = 2·SNR·σc·√π.
        var k = Enumerable.Range(-2, 5).Select(i => Math.Exp(-0.5 * i * i / (0.55 * 0.55))).ToArray();
        double sum = k.Sum(), sq = k.Sum(v => v * v / (sum * sum));
        double expected = Math.Sqrt(Math.Pow(2 * 9.7 * 0.55 * Math.Sqrt(Math.PI) * sq, 2) + 1.0 / 12);
        double std = img[.., .., 8..^8, 8..^8].std().ToDouble();
        Assert.InRange(std, expected * 0.98, expected * 1.02);
        Assert.InRange(expected, 10.5, 10.65);
    }

    [Fact]
    public void Quantum_noise_has_the_variance_of_the_detected_quanta_before_blur()
    {
        var device = Selenia with { ElectronicNoiseDn = 0, Digitise = false, BlurSigmaPx = 0, ScatterToPrimary = 0, QuantaPerPixel = 400 };
        var sim = new CdmamSimulator(device, supersampling: 1);
        using var batch = sim.Render(new CdmamLayout(1, 1, [1.0], [0.0], cellMm: 8.0), 2, seed: 5);
        double std = batch.Images.to(float64).std().ToDouble();
        double expected = 413.5 / Math.Sqrt(400);   // Poisson: relative std 1/√N
        Assert.InRange(std, expected * 0.98, expected * 1.02);
    }

    [Theory]
    [InlineData(0.06)]
    [InlineData(0.08)]
    [InlineData(0.10)]
    [InlineData(0.25)]
    public void Disc_areas_follow_the_geometry_also_for_the_smallest_discs(double diameter)
    {
        // The reference voxelised 0.08 mm discs to half their area; area weighting keeps every disc's area: Σ (1 − P/P₀)/(1 − T) = 2 π (d M / 2 pitch)².
        var device = Selenia with { ScatterToPrimary = 0 };
        var sim = new CdmamSimulator(device, supersampling: 8);
        var layout = new CdmamLayout(3, 3, Enumerable.Repeat(diameter, 9).ToList(), Enumerable.Repeat(1.0, 9).ToList(), cellMm: 1.0);
        using var batch = sim.Render(layout, 3, seed: 2, noise: false);
        double contrast = 1 - sim.GoldTransmission(1.0);
        double pixels = (1 - batch.Images.to(float64) / device.OpenFieldDn).sum().ToDouble() / contrast / 3 / 9;
        double r = diameter * device.Magnification / device.PixelPitchMm / 2;
        Assert.InRange(pixels / (2 * Math.PI * r * r), 0.985, 1.015);
    }

    [Fact]
    public void Images_are_a_deterministic_function_of_the_seed()
    {
        var sim = new CdmamSimulator(Selenia, supersampling: 2);
        var layout = CdmamLayout.Grid([0.1, 0.5], [0.1, 0.5, 1.0]);
        using var a = sim.Render(layout, 2, seed: 7);
        using var b = sim.Render(layout, 2, seed: 7);
        using var c = sim.Render(layout, 2, seed: 8);
        Assert.True(a.Images.equal(b.Images).all().item<bool>());
        Assert.True(a.Corners.equal(b.Corners).all().item<bool>());
        Assert.False(a.Images.equal(c.Images).all().item<bool>());
        Assert.Equal(new long[] { 2, 1, sim.ImageSize(layout).Rows, sim.ImageSize(layout).Columns }, a.Images.shape);
    }

    [Fact]
    public void Bad_device_parameters_and_layouts_give_exceptions_that_name_them()
    {
        Assert.Equal("KVp", Assert.Throws<ArgumentOutOfRangeException>(() => new CdmamSimulator(Selenia with { KVp = 80 })).ParamName);
        Assert.Equal("PixelPitchMm", Assert.Throws<ArgumentOutOfRangeException>(() => new CdmamSimulator(Selenia with { PixelPitchMm = -0.06 })).ParamName);
        Assert.Equal("PhantomHeightMm", Assert.Throws<ArgumentOutOfRangeException>(() => new CdmamSimulator(Selenia with { PhantomHeightMm = 800 })).ParamName);
        Assert.Equal("ElectronicNoiseDn", Assert.Throws<ArgumentOutOfRangeException>(() => new CdmamSimulator(Selenia with { ElectronicNoiseDn = double.NaN })).ParamName);
        Assert.Equal("MonochromaticKeV", Assert.Throws<ArgumentOutOfRangeException>(() => new CdmamSimulator(Selenia with { MonochromaticKeV = 2 })).ParamName);
        Assert.Equal("OpenFieldDn", Assert.Throws<ArgumentOutOfRangeException>(() => new CdmamSimulator(Selenia with { OpenFieldDn = 20000 })).ParamName);
        Assert.Equal("Filters", Assert.Throws<ArgumentOutOfRangeException>(() => new CdmamSimulator(Selenia with { Filters = [new(XrayMaterial.Mo, -1)] })).ParamName);
        Assert.Throws<ArgumentException>(() => new CdmamLayout(1, 1, [2.0], [0.1], cellMm: 3.0));          // a 2 mm disc does not fit a 3 mm cell
        Assert.Throws<ArgumentException>(() => new CdmamLayout(1, 2, [0.1], [0.1]));                        // one diameter for two cells
        var sim = new CdmamSimulator(Selenia);
        Assert.Throws<ArgumentOutOfRangeException>(() => sim.Render(CdmamLayout.Grid([0.1], [0.1, 0.2]), 0, seed: 1));
    }

    [Fact]
    public void Gold_transmission_refuses_a_thickness_that_is_not_one()
    {
        // A negative thickness gave a transmission above 1 (a disc brighter than its background), NaN gave NaN.
        var sim = new CdmamSimulator(Selenia, supersampling: 1);
        foreach (var t in new[] { -0.1, double.NaN, double.PositiveInfinity })
            Assert.Throws<ArgumentOutOfRangeException>(() => sim.GoldTransmission(t));
        Assert.Equal(1.0, sim.GoldTransmission(0), 15);
        Assert.InRange(sim.GoldTransmission(1.0), 0.0, 1.0);
    }

    [Fact]
    public void The_blur_kernel_refuses_an_infinite_or_huge_sigma()
    {
        // σ = ∞ or 1e9 overflowed the kernel radius (an ArgumentOutOfRangeException about a count); σ = 1e8 asked for 6 GB.
        foreach (var sigma in new[] { double.PositiveInfinity, 1e9, double.NaN, -1 })
            Assert.Contains("σ must lie in", Assert.Throws<ArgumentOutOfRangeException>(() => CdmamSimulator.Kernel(sigma)).Message);
        Assert.Equal(80_001, CdmamSimulator.Kernel(CdmamSimulator.MaxKernelSigmaPx).Length);
        Assert.Equal([1.0], CdmamSimulator.Kernel(0));
    }
}
