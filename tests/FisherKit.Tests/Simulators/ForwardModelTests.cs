using FisherKit.Simulators;

namespace FisherKit.Tests.Simulators;

public class ForwardModelTests
{
    [Fact]
    public void The_linear_model_follows_its_stated_equation_at_a_hand_computed_pixel()
    {
        using var scope = NewDisposeScope();
        using var grid = new ApertureGrid(16);
        var geometry = new TwiGeometry(SourcesPerSide: 3, RimSlope: 0.05, PatchRadius: 0.65);
        using var model = new TwiForwardModel(grid, geometry);
        // Source 5 is row 1, column 2: tilt (a, b) = (0.1, 0) → patch centred near x = 1, y = 0.
        var src = model.Sources[5];
        Assert.Equal((1, 2, 0.1, 0.0), (src.Row, src.Column, src.TiltX, src.TiltY));
        int i = 7, j = 13;                            // x = −1 + 27/16 = 0.6875, y = −0.0625
        double x = -1 + (2.0 * j + 1) / 16, y = -1 + (2.0 * i + 1) / 16, c = 0.05;
        double nn = Math.Sqrt(c * c * (x * x + y * y) + 1);
        double nx = -c * x / nn, ny = -c * y / nn, nz = 1 / nn;
        double dn = Math.Sqrt(0.1 * 0.1 + 1);
        double dx = 0.1 / dn, dy = 0, dz = -1 / dn;
        double cos = -(dx * nx + dy * ny + dz * nz);
        double rx = dx + 2 * cos * nx, ry = dy + 2 * cos * ny;
        Assert.True(Math.Sqrt(rx * rx + ry * ry) <= geometry.StopRadius, "the pixel should lie in the patch of source 5");
        var dev = zeros([16, 16], float64);
        dev[i, j].fill_(7.0);
        var opd = model.Apply(dev);
        Assert.Equal(new long[] { 9, 16, 16 }, opd.shape);
        Assert.Equal(2 * nz * cos * 7.0, opd[5, i, j].ToDouble(), 14);
        Assert.Equal(2 * nz * cos, model.Obliquity[5, i, j].ToDouble(), 14);
        // Source 3 (row 1, column 0) looks at the opposite side: it does not see this pixel.
        Assert.Equal(0.0, opd[3, i, j].ToDouble());
    }

    [Fact]
    public void Every_patch_pixel_passes_the_stop_and_gaps_open_when_patches_shrink()
    {
        using var scope = NewDisposeScope();
        using var grid = new ApertureGrid(32);
        using var narrow = new TwiForwardModel(grid, new TwiGeometry(PatchRadius: 0.6));
        using var wide = new TwiForwardModel(grid, new TwiGeometry(PatchRadius: 0.8));
        Assert.True(narrow.UnseenPixelCount > 0, "patches of radius 0.6 on a spacing of 1 leave gaps");
        Assert.Equal(0, wide.UnseenPixelCount);
        // Patches are roughly discs of the stated radius around (u_col, u_row).
        var masks = narrow.RegionMasks.ToArray<bool>();
        for (int s = 0; s < narrow.SourceCount; s++)
        {
            var src = narrow.Sources[s];
            double cx = src.TiltX / 0.1, cy = src.TiltY / 0.1;
            for (int i = 0; i < 32; i++)
                for (int j = 0; j < 32; j++)
                    if (masks[(s * 32 + i) * 32 + j])
                    {
                        double x = grid.Coordinate(j), y = grid.Coordinate(i);
                        Assert.True(Math.Sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy)) < 0.6 * 1.05, $"source {s} pixel ({x}, {y})");
                    }
        }
    }

    [Fact]
    public void The_linear_model_is_the_derivative_of_the_nonlinear_model()
    {
        using var scope = NewDisposeScope();
        using var grid = new ApertureGrid(24);
        // A tiny aperture radius makes the slopes of nm-sized deviations large, so the non-linearity is visible.
        var geometry = new TwiGeometry(RimSlope: 0.05, PatchRadius: 0.7, ApertureRadiusMm: 2e-5);
        using var model = new TwiForwardModel(grid, geometry);
        var modes = Zernike.Modes(4);
        var basis = Zernike.Basis(grid, modes);
        var h = (basis[0] * 1.0 + basis[3] * 0.7 - basis[8] * 0.4).unsqueeze(0).unsqueeze(0); // [1, 1, N, N]
        var lin = model.Apply(h);
        // Central differences converge to the linear model at second order in ε.
        var errors = new[] { 1e-2, 1e-3 }.Select(eps =>
        {
            var fd = (model.ApplyNonlinear(h * eps) - model.ApplyNonlinear(h * -eps)) / (2 * eps);
            return ((fd - lin).abs().max() / lin.abs().max()).ToDouble();
        }).ToArray();
        Assert.True(errors[1] < 1e-5, $"central difference at ε = 1e-3: relative error {errors[1]}");
        Assert.InRange(errors[0] / errors[1], 50, 200);
        // The remainder F(εh) − ε·Lh is of second order: halving ε quarters its L1 norm, and it is not zero.
        double r1 = (model.ApplyNonlinear(h * 0.01) - lin * 0.01).abs().sum().ToDouble();
        double r2 = (model.ApplyNonlinear(h * 0.005) - lin * 0.005).abs().sum().ToDouble();
        Assert.True(r1 > 1e-6 * (lin * 0.01).abs().sum().ToDouble(), $"remainder {r1} should be visible");
        Assert.InRange(r1 / r2, 3.5, 4.5);
    }

    [Fact]
    public void The_design_matrix_reproduces_the_forward_model_of_a_zernike_surface()
    {
        using var scope = NewDisposeScope();
        using var sim = new TwiSimulator(new TwiOptions { GridSize = 16, MaxRadialOrder = 4 });
        var a = sim.Forward.DesignMatrix(sim.Basis);
        var c = tensor(Enumerable.Range(0, sim.Modes.Count).Select(k => Math.Sin(k + 1.0) * 10).ToArray(), [1, sim.Modes.Count]);
        var direct = sim.Forward.Apply(sim.Surface(c)).reshape(-1);
        var viaA = a.matmul(c.t()).reshape(-1);
        Assert.True(allclose(direct, viaA, rtol: 1e-12, atol: 1e-10));
    }

    [Fact]
    public void A_misaligned_source_adds_its_wavefront_tilt_to_its_own_channel_only()
    {
        using var scope = NewDisposeScope();
        using var grid = new ApertureGrid(16);
        var geometry = new TwiGeometry(ApertureRadiusMm: 10);
        using var nominal = new TwiForwardModel(grid, geometry);
        using var tilted = nominal.WithMisalignedSource(4, 2e-6, 0);
        var opd = tilted.Apply(zeros([16, 16], float64));
        var mask = tilted.RegionMasks;
        for (int s = 0; s < 9; s++)
            if (s != 4) Assert.Equal(0.0, opd[s].abs().sum().ToDouble());
        // At a pixel of source 4's patch: 2e-6 · x · 10 mm · 1e6 nm/mm = 20·x nm.
        int i = 8, j = 10;
        Assert.True(mask[4, i, j].item<bool>());
        Assert.Equal(20 * grid.Coordinate(j), opd[4, i, j].ToDouble(), 10);
        Assert.Equal(2e-6 + nominal.Sources[4].TiltX, tilted.Sources[4].TiltX, 15);
    }

    [Fact]
    public void Wrong_grid_sizes_raise_clear_errors()
    {
        using var scope = NewDisposeScope();
        using var sim = new TwiSimulator(new TwiOptions { GridSize = 16, MaxRadialOrder = 3 });
        var e = Assert.Throws<ArgumentException>(() => sim.Forward.Apply(zeros([2, 1, 8, 8], float64)));
        Assert.Contains("[2, 1, 8, 8]", e.Message);
        Assert.Throws<ArgumentException>(() => sim.Forward.Apply(zeros([2, 3, 16, 16], float64)));
        Assert.Throws<ArgumentException>(() => sim.Posterior.Estimate(zeros([2, 4, 16, 16], float64)));
        var nan = full([1, 9, 16, 16], double.NaN, float64);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => sim.Posterior.Estimate(nan)).Message);
        Assert.Throws<ArgumentException>(() => sim.Surface(zeros([2, 3], float64)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ApertureGrid(2));
    }
}
