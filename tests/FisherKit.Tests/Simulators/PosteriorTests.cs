using FisherKit.Simulators;

namespace FisherKit.Tests.Simulators;

public class PosteriorTests
{
    [Fact]
    public void The_exact_posterior_equals_joint_gaussian_conditioning_in_data_space()
    {
        // Independent formula on a tiny case: (Δz, y) is jointly Gaussian with
        // C_zz = Z Λ Zᵀ, C_zy = Z Λ Aᵀ, C_yy = A Λ Aᵀ + σ² I, so E[Δz|y] = C_zy C_yy⁻¹ y and
        // Var[Δz|y] = diag(C_zz − C_zy C_yy⁻¹ C_yz). Only the rows of A inside the patches carry data.
        using var scope = NewDisposeScope();
        var options = new TwiOptions { GridSize = 8, MaxRadialOrder = 3, NoiseSigma = 3, Geometry = new TwiGeometry(PatchRadius: 0.6) };
        using var sim = new TwiSimulator(options);
        using var batch = sim.Sample(3, seed: 5);
        var est = sim.Posterior.Estimate(batch.Measurement);

        var a = sim.Forward.DesignMatrix(sim.Basis);                        // [S·64, K]
        var rows = sim.Forward.RegionMasks.reshape(-1);
        var aObs = a[rows];                                                  // observed rows only
        var y = batch.Measurement.reshape(3, -1).t()[rows];                 // [M, 3]
        var lam = sim.Prior.Covariance();
        var z = sim.Basis.reshape(sim.Modes.Count, 64).t();                 // [64, K]
        var czy = z.matmul(lam).matmul(aObs.t());
        var cyy = aObs.matmul(lam).matmul(aObs.t()) + eye(aObs.shape[0], dtype: float64) * 9.0;
        var gain = linalg.solve(cyy, czy.t()).t();                           // C_zy C_yy⁻¹
        var mean = gain.matmul(y).t().reshape(3, 1, 8, 8);
        var varMap = (z.matmul(lam).matmul(z.t()) - gain.matmul(czy.t())).diagonal().clamp_min(0).sqrt().reshape(8, 8);

        Assert.True(allclose(est.Mean, mean, rtol: 1e-9, atol: 1e-9), "posterior means differ");
        Assert.True(allclose(sim.Posterior.StdMap, varMap, rtol: 1e-8, atol: 1e-9), "posterior standard deviations differ");
        Assert.True(allclose(est.Std[2, 0], varMap, rtol: 1e-8, atol: 1e-9));
    }

    [Fact]
    public void Monte_carlo_draws_from_the_prior_are_covered_as_the_posterior_says()
    {
        // Draw c from the prior, simulate noisy measurements, and compare the empirical covariance of
        // the errors c − E[c|y] with the posterior covariance Σ (equal in expectation for the exact posterior).
        using var scope = NewDisposeScope();
        var options = new TwiOptions { GridSize = 16, MaxRadialOrder = 4, NoiseSigma = 40, RmsAmplitude = 50 };
        using var sim = new TwiSimulator(options);
        const int n = 4000;
        using var batch = sim.Sample(n, seed: 42);
        var est = sim.Posterior.Estimate(batch.Measurement);
        var err = batch.Coefficients - est.CoefficientMean;                // [n, K]
        var empirical = err.t().matmul(err) / n;
        var sigma = sim.Posterior.CoefficientCovariance;
        var ratio = empirical.diagonal() / sigma.diagonal();
        double meanRatio = ratio.mean().ToDouble(), minRatio = ratio.min().ToDouble(), maxRatio = ratio.max().ToDouble();
        Assert.InRange(meanRatio, 0.97, 1.03);
        Assert.True(minRatio > 0.88 && maxRatio < 1.12, $"per-coefficient variance ratios in [{minRatio}, {maxRatio}]");
        // Per pixel: standardised errors have unit variance; coverage at k = 2 is nominal.
        var zscore = (batch.Deviation - est.Mean) / (est.Std + 1e-300);
        var pixels = sim.Grid.Mask;
        var zvar = zscore.square().mean([0]).squeeze(0).masked_select(pixels);
        Assert.InRange(zvar.mean().ToDouble(), 0.97, 1.03);
        // A posterior that assumes half the noise is over-confident and fails the same check.
        using var wrong = sim.PosteriorFor(20);
        var estWrong = wrong.Estimate(batch.Measurement);
        var zWrong = ((batch.Deviation - estWrong.Mean) / (estWrong.Std + 1e-300)).square().mean([0]).squeeze(0).masked_select(pixels);
        Assert.True(zWrong.mean().ToDouble() > 1.3, $"wrong posterior gave {zWrong.mean().ToDouble()}");
    }

    [Fact]
    public void Least_squares_recovers_noise_free_coefficients_and_matches_the_posterior_for_an_equal_prior()
    {
        using var scope = NewDisposeScope();
        var options = new TwiOptions { GridSize = 24, MaxRadialOrder = 4, NoiseSigma = 2, Decay = 0, Geometry = new TwiGeometry(PatchRadius: 0.8) };
        using var sim = new TwiSimulator(options);
        using var batch = sim.Sample(4, seed: 9);
        var ls = sim.Posterior.LeastSquares(batch.CleanMeasurement, lambda: 0);
        Assert.True(allclose(ls.CoefficientMean, batch.Coefficients, rtol: 1e-8, atol: 1e-8));
        // With equal prior variances σ_c², the posterior mean is the ridge solution with λ = σ²/σ_c².
        var post = sim.Posterior.Estimate(batch.Measurement);
        var ridge = sim.Posterior.LeastSquares(batch.Measurement);
        Assert.Equal(4.0 / (sim.Prior.StandardDeviations[0] * sim.Prior.StandardDeviations[0]), sim.Posterior.DefaultLambda, 12);
        Assert.True(allclose(post.Mean, ridge.Mean, rtol: 1e-9, atol: 1e-9));
    }

    [Fact]
    public void The_posterior_is_less_certain_where_no_source_looks()
    {
        using var scope = NewDisposeScope();
        using var sim = new TwiSimulator(new TwiOptions { GridSize = 32, Geometry = new TwiGeometry(PatchRadius: 0.55), NoiseSigma = 5 });
        Assert.True(sim.Forward.UnseenPixelCount > 0);
        var seen = sim.Forward.SourcesPerPixel;
        var aperture = sim.Grid.Mask;
        var std = sim.Posterior.StdMap;
        double gap = std.masked_select(seen.eq(0) & aperture).mean().ToDouble();
        double covered = std.masked_select(seen.gt(0) & aperture).mean().ToDouble();
        Assert.True(gap > covered, $"std in gaps {gap} vs covered {covered}");
        var prior = sim.Posterior.PriorStdMap();
        Assert.True((std <= prior + 1e-12).all().item<bool>(), "the posterior cannot be wider than the prior");
    }

    [Fact]
    public void A_posterior_the_data_cannot_determine_is_a_clear_error()
    {
        // 136 modes seen through about 100 patch pixels with σ_k = 1e200 (Λ⁻¹ = 0): AᵀA is singular, and
        // libtorch's Cholesky error reached the caller as an ExternalException.
        using var scope = NewDisposeScope();
        using var grid = new ApertureGrid(4);
        using var forward = new TwiForwardModel(grid, new TwiGeometry());
        var modes = Zernike.Modes(15, first: 1);
        var prior = new ZernikePrior(modes, modes.Select(_ => 1e200).ToArray());
        var basis = Zernike.Basis(grid, modes);
        var e = Assert.Throws<ArgumentException>(() => new ZernikePosterior(forward, basis, prior, 1.0));
        Assert.Contains("not numerically positive definite", e.Message);
        Assert.Contains("136 modes", e.Message);
    }
}
