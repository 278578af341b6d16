using FisherKit.Simulators;

namespace FisherKit.Tests.Simulators;

public class SimulatorTests
{
    [Fact]
    public void Batches_are_reproducible_from_their_seed()
    {
        using var scope = NewDisposeScope();
        using var sim = new TwiSimulator(new TwiOptions { GridSize = 16, MaxRadialOrder = 4 });
        using var a = sim.Sample(5, seed: 3);
        using var b = sim.Sample(5, seed: 3);
        using var c = sim.Sample(5, seed: 4);
        Assert.True(allclose(a.Measurement, b.Measurement, rtol: 0, atol: 0));
        Assert.True(allclose(a.Deviation, b.Deviation, rtol: 0, atol: 0));
        Assert.False(allclose(a.Measurement, c.Measurement, rtol: 0, atol: 0));
        Assert.Equal(new long[] { 5, 9, 16, 16 }, a.Measurement.shape);
        Assert.Equal(new long[] { 5, 1, 16, 16 }, a.Deviation.shape);
        var x = a.Inputs(sim.HeightScale);
        Assert.Equal(float32, x.dtype);
        Assert.True(allclose(x.to(float64) * sim.HeightScale, a.Measurement, rtol: 1e-6, atol: 1e-4));
    }

    [Fact]
    public void Prior_amplitudes_and_noise_have_the_requested_sizes()
    {
        using var scope = NewDisposeScope();
        using var sim = new TwiSimulator(new TwiOptions { GridSize = 16, MaxRadialOrder = 5, RmsAmplitude = 30, NoiseSigma = 4 });
        // E[Σ c_k²] = RMS² for the orthonormal basis.
        using var gen = new Generator(1);
        double ms = sim.Prior.Sample(20000, gen).square().sum(1).mean().ToDouble();
        Assert.InRange(Math.Sqrt(ms), 30 * 0.98, 30 * 1.02);
        // Noise has σ inside the patches and is absent outside.
        using var batch = sim.Sample(300, seed: 1);
        var noise = batch.Measurement - batch.CleanMeasurement;
        var inPatch = sim.Forward.RegionMasks.expand(noise.shape);
        Assert.InRange(noise.masked_select(inPatch).std().ToDouble(), 4 * 0.99, 4 * 1.01);
        Assert.Equal(0.0, noise.masked_select(inPatch.logical_not()).abs().sum().ToDouble());
        // Uniform coefficients have the same variance and are bounded by √3 σ_k.
        var uniform = new ZernikePrior(sim.Modes, 30, 1, CoefficientDistribution.Uniform);
        var cu = uniform.Sample(20000, gen);
        Assert.InRange(Math.Sqrt(cu.square().sum(1).mean().ToDouble()), 30 * 0.98, 30 * 1.02);
        Assert.True(cu.abs().max().ToDouble() <= Math.Sqrt(3) * uniform.StandardDeviations.Max() + 1e-12);
    }

    [Fact]
    public void Out_of_distribution_insertions_do_what_they_say()
    {
        using var scope = NewDisposeScope();
        using var sim = new TwiSimulator(new TwiOptions { GridSize = 32, MaxRadialOrder = 4, NoiseSigma = 2 });
        using var clean = sim.Sample(8, seed: 11);
        using var bumps = sim.Sample(8, seed: 11, new OodOptions { Bumps = 1, Scratches = 1 });
        // Same seed: the Zernike part is identical; the deviation differs exactly by the defects.
        Assert.True(allclose(clean.Coefficients, bumps.Coefficients, rtol: 0, atol: 0));
        Assert.True(allclose(bumps.Deviation - bumps.Defects, sim.Surface(bumps.Coefficients), atol: 1e-9));
        Assert.True(bumps.Defects.abs().amax([1, 2, 3]).min().ToDouble() > 5, "every sample carries a visible defect");
        Assert.Equal(0.0, (bumps.Defects * sim.Grid.Mask.logical_not()).abs().sum().ToDouble());
        // A single bump has its stated peak.
        var bump = FormDefects.Bump(sim.Grid, 0.0, 0.0, 40, 0.2);
        Assert.InRange(bump.max().ToDouble(), 38, 40);

        using var noisy = sim.Sample(8, seed: 11, new OodOptions { NoiseFactor = 3 });
        Assert.Equal(6.0, noisy.NoiseSigma);
        var nsd = (noisy.Measurement - noisy.CleanMeasurement).masked_select(sim.Forward.RegionMasks.expand(noisy.Measurement.shape)).std().ToDouble();
        Assert.InRange(nsd, 5.7, 6.3);

        using var tilted = sim.Sample(8, seed: 11, new OodOptions { MisalignedSource = 2, TiltErrorX = 3e-6 });
        var diff = tilted.CleanMeasurement - clean.CleanMeasurement;
        Assert.True(diff[.., 2].abs().max().ToDouble() > 1, "the misaligned channel changes");
        Assert.True(diff[.., 0].abs().max().ToDouble() < 1e-9, "other channels do not");
        Assert.Throws<ArgumentOutOfRangeException>(() => sim.Sample(2, 1, new OodOptions { MisalignedSource = 9 }));
    }
}
