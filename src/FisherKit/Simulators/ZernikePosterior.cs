using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Simulators;

/// <summary>
/// The exact Bayesian reference for the linearised virtual interferometer: with Δz = Z c, a Gaussian
/// prior c ~ N(0, Λ), Λ = diag(σ_k²), and measurements y = A c + ε, ε ~ N(0, σ² I) on the pixels of
/// the source patches, the posterior of c is Gaussian with
/// <c>Σ = (AᵀA/σ² + Λ⁻¹)⁻¹</c> and <c>μ = Σ Aᵀ y/σ²</c>, and the per-pixel deviation has mean
/// (Zμ)(x) and standard deviation √(diag(Z Σ Zᵀ))(x). Also gives the classical regularised
/// least-squares (Tikhonov) reconstruction ĉ = (AᵀA + λI)⁻¹ Aᵀ y. All in float64.
/// </summary>
/// <remarks>
/// The posterior is exact only for the linear model (<see cref="TwiForwardModel.Apply"/>) with
/// Gaussian coefficients and the stated noise σ; for uniform coefficients it is the Gaussian
/// approximation with the same prior moments. Measurements from a misaligned instrument or with
/// inserted defects are analysed with the nominal model, as an analyst would.
/// </remarks>
public sealed class ZernikePosterior : IDisposable
{
    private readonly Tensor _a;      // [S·N·N, K]
    private readonly Tensor _basis;  // [N·N, K]
    private readonly Tensor _cov;    // Σ [K, K]
    private readonly Tensor _std;    // [N, N]
    private readonly Tensor _ata;    // AᵀA [K, K]

    /// <summary>Builds the posterior for a forward model, a basis [K, N, N] matching the prior's modes, a prior and the noise σ.</summary>
    public ZernikePosterior(TwiForwardModel forward, Tensor basis, ZernikePrior prior, double noiseSigma)
    {
        ArgumentNullException.ThrowIfNull(forward);
        ArgumentNullException.ThrowIfNull(basis);
        ArgumentNullException.ThrowIfNull(prior);
        if (!(noiseSigma > 0) || double.IsInfinity(noiseSigma)) throw new ArgumentOutOfRangeException(nameof(noiseSigma), noiseSigma, "The noise standard deviation must be positive and finite.");
        forward.Grid.CheckImage(basis, nameof(basis));
        if (basis.ndim != 3 || basis.shape[0] != prior.Count)
            throw new ArgumentException($"basis has shape [{string.Join(", ", basis.shape)}] but the prior has {prior.Count} modes; expected [{prior.Count}, N, N].", nameof(basis));
        Forward = forward;
        Prior = prior;
        NoiseSigma = noiseSigma;
        int n = forward.Grid.Size;
        using var scope = NewDisposeScope();
        var a = forward.DesignMatrix(basis);
        var z = basis.to(ScalarType.Float64).reshape(prior.Count, n * n).t().contiguous();
        var ata = a.t().matmul(a);
        var lambdaInv = tensor(prior.StandardDeviations.Select(s => 1 / (s * s)).ToArray()).diag();
        var precision = (ata / Hold(noiseSigma * noiseSigma)).add(lambdaInv, One);
        Tensor l;
        try { l = linalg.cholesky(precision); }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.Runtime.InteropServices.ExternalException)
        {
            throw new ArgumentException($"The posterior precision AᵀA/σ² + Λ⁻¹ of {prior.Count} modes on the {n}×{n} grid is not numerically positive definite " +
                "(more modes than the patches' pixels determine, with prior standard deviations too wide to make up for it); use fewer modes, a finer grid or a narrower prior.", nameof(prior), e);
        }
        var cov = cholesky_solve(eye(prior.Count, dtype: ScalarType.Float64), l);
        cov = cov.add(cov.t(), One) * Hold(0.5);
        var variance = (z.matmul(cov) * z).sum(1).clamp_min(Hold(0));
        var std = variance.sqrt().reshape(n, n);
        _a = scope.MoveToOuter(a).DetachFromDisposeScope();
        _basis = scope.MoveToOuter(z).DetachFromDisposeScope();
        _cov = scope.MoveToOuter(cov).DetachFromDisposeScope();
        _std = scope.MoveToOuter(std).DetachFromDisposeScope();
        _ata = scope.MoveToOuter(ata).DetachFromDisposeScope();
    }

    /// <summary>The forward model whose nominal linearisation defines A.</summary>
    public TwiForwardModel Forward { get; }

    /// <summary>The prior on the coefficients.</summary>
    public ZernikePrior Prior { get; }

    /// <summary>The noise σ assumed by the posterior.</summary>
    public double NoiseSigma { get; }

    /// <summary>The design matrix A [S·N·N, K] (owned by this object).</summary>
    public Tensor DesignMatrix => _a;

    /// <summary>The posterior covariance Σ of the coefficients [K, K] (owned by this object).</summary>
    public Tensor CoefficientCovariance => _cov;

    /// <summary>The posterior standard deviation of Δz per pixel [N, N], zero outside the aperture (owned by this object).</summary>
    public Tensor StdMap => _std;

    /// <summary>The prior standard deviation of Δz per pixel, √(diag(Z Λ Zᵀ)), [N, N] (a new tensor).</summary>
    public Tensor PriorStdMap()
    {
        using var scope = NewDisposeScope();
        var lam = tensor(Prior.StandardDeviations.Select(s => s * s).ToArray());
        var v = (_basis.pow(Hold(2)) * lam).sum(1).sqrt().reshape(Forward.Grid.Size, Forward.Grid.Size);
        return scope.MoveToOuter(v);
    }

    /// <summary>The posterior for a batch of measurements [B, S, N, N] (or [S, N, N]).</summary>
    public PosteriorEstimate Estimate(Tensor measurement)
    {
        using var scope = NewDisposeScope();
        var y = Flatten(measurement, out long b);
        var aty = y.matmul(_a);                                         // [B, K] = (Aᵀ y)ᵀ
        var mu = aty.matmul(_cov) / Hold(NoiseSigma * NoiseSigma);          // Σ symmetric
        var est = ToEstimate(mu, b, withStd: true);
        scope.MoveToOuter(est.CoefficientMean, est.Mean, est.Std);
        return est;
    }

    /// <summary>
    /// The regularised least-squares reconstruction ĉ = (AᵀA + λI)⁻¹Aᵀy for a batch of measurements.
    /// <paramref name="lambda"/> defaults to σ²·K/Σσ_k² (the average prior precision times σ²). The
    /// returned Std is the estimator's standard deviation from noise alone,
    /// √diag(Z (AᵀA+λI)⁻¹ σ²AᵀA (AᵀA+λI)⁻¹ Zᵀ), which ignores its regularisation bias.
    /// </summary>
    public PosteriorEstimate LeastSquares(Tensor measurement, double? lambda = null)
    {
        double lam = lambda ?? DefaultLambda;
        if (!(lam >= 0) || double.IsInfinity(lam)) throw new ArgumentOutOfRangeException(nameof(lambda), lam, "The regularisation parameter must be finite and non-negative.");
        using var scope = NewDisposeScope();
        var y = Flatten(measurement, out long b);
        int k = Prior.Count;
        var m = _ata.add(eye(k, dtype: ScalarType.Float64) * Hold(lam), One);
        var minv = linalg.inv(m);
        var c = y.matmul(_a).matmul(minv);                               // [B, K]
        var covEst = minv.matmul(_ata).matmul(minv) * Hold(NoiseSigma * NoiseSigma);
        var est = ToEstimate(c, b, withStd: false);
        var std = (_basis.matmul(covEst) * _basis).sum(1).clamp_min(Hold(0)).sqrt().reshape(1, 1, Forward.Grid.Size, Forward.Grid.Size).expand(b, 1, Forward.Grid.Size, Forward.Grid.Size).contiguous();
        est.Std.Dispose();
        scope.MoveToOuter(est.CoefficientMean, est.Mean, std);
        return new PosteriorEstimate(est.CoefficientMean, est.Mean, std);
    }

    /// <summary>σ²·K/Σσ_k²: the Tikhonov parameter matching the average prior precision.</summary>
    public double DefaultLambda => NoiseSigma * NoiseSigma * Prior.Count / Prior.StandardDeviations.Sum(s => s * s);

    private PosteriorEstimate ToEstimate(Tensor coefficients, long b, bool withStd)
    {
        int n = Forward.Grid.Size;
        var mean = coefficients.matmul(_basis.t()).reshape(b, 1, n, n);
        var std = withStd ? _std.reshape(1, 1, n, n).expand(b, 1, n, n).contiguous() : zeros([b, 1, n, n], ScalarType.Float64);
        return new PosteriorEstimate(coefficients, mean, std);
    }

    /// <summary>Scope-free helper: returns [B, S·N·N] float64 (owned by the caller's scope).</summary>
    private Tensor Flatten(Tensor measurement, out long b)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        Forward.Grid.CheckImage(measurement, nameof(measurement));
        int s = Forward.SourceCount, n = Forward.Grid.Size;
        bool ok = (measurement.ndim == 4 && measurement.shape[1] == s) || (measurement.ndim == 3 && measurement.shape[0] == s);
        if (!ok) throw new ArgumentException($"measurement must be [B, {s}, {n}, {n}] or [{s}, {n}, {n}] (one channel per source), got [{string.Join(", ", measurement.shape)}].", nameof(measurement));
        b = measurement.ndim == 4 ? measurement.shape[0] : 1;
        using var scope = NewDisposeScope();
        var y = measurement.to(ScalarType.Float64);
        if (FisherKit.Metrics.Regression.MetricInput.AnyNonFinite(y)) throw new ArgumentException("measurement contains NaN or infinite values.", nameof(measurement));
        return scope.MoveToOuter(y.reshape(b, s * n * n));
    }

    /// <summary>Releases the matrices.</summary>
    public void Dispose()
    {
        _a.Dispose();
        _basis.Dispose();
        _cov.Dispose();
        _std.Dispose();
        _ata.Dispose();
    }
}
