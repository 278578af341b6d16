using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Simulators;

/// <summary>
/// The virtual tilted-wave interferometer: random Zernike form deviations on a circular aperture,
/// the linearised forward model to one optical-path-difference image per tilted source, Gaussian
/// measurement noise, out-of-distribution insertions, and the exact Gaussian posterior and
/// regularised least-squares reconstruction as references. Batches are reproducible from a seed.
/// Equations: <see cref="TwiForwardModel"/>, <see cref="ZernikePosterior"/> and Simulators/README.md.
/// </summary>
/// <example>
/// <code>
/// using var sim = new TwiSimulator(new TwiOptions { GridSize = 32, NoiseSigma = 5 });
/// using var train = sim.Sample(512, seed: 1);
/// using var exact = sim.Posterior.Estimate(train.Measurement);   // mean and std maps
/// var x = train.Inputs(sim.HeightScale); var y = train.Targets(sim.HeightScale);
/// </code>
/// </example>
public sealed class TwiSimulator : IDisposable
{
    private readonly Tensor _basis;
    private readonly Tensor _noiseMask; // [S, N, N] float64

    /// <summary>Builds grid, basis, prior, forward model and posterior from the options.</summary>
    public TwiSimulator(TwiOptions? options = null)
    {
        Options = options ?? new TwiOptions();
        if (!(Options.NoiseSigma > 0) || double.IsInfinity(Options.NoiseSigma))
            throw new ArgumentOutOfRangeException(nameof(options), Options.NoiseSigma, "NoiseSigma must be positive and finite.");
        Grid = new ApertureGrid(Options.GridSize);
        Modes = Zernike.Modes(Options.MaxRadialOrder, Options.FirstMode, Options.Indexing);
        Prior = new ZernikePrior(Modes, Options.RmsAmplitude, Options.Decay, Options.Distribution);
        _basis = Zernike.Basis(Grid, Modes).DetachFromDisposeScope();
        Forward = new TwiForwardModel(Grid, Options.Geometry);
        _noiseMask = Forward.RegionMasks.to(ScalarType.Float64).DetachFromDisposeScope();
        Posterior = new ZernikePosterior(Forward, _basis, Prior, Options.NoiseSigma);
    }

    /// <summary>The settings.</summary>
    public TwiOptions Options { get; }

    /// <summary>The pixel grid and aperture.</summary>
    public ApertureGrid Grid { get; }

    /// <summary>The Zernike modes of the expansion.</summary>
    public IReadOnlyList<ZernikeMode> Modes { get; }

    /// <summary>The prior on the coefficients.</summary>
    public ZernikePrior Prior { get; }

    /// <summary>The modes on the grid, float64 [K, N, N] (owned by the simulator).</summary>
    public Tensor Basis => _basis;

    /// <summary>The nominal forward model.</summary>
    public TwiForwardModel Forward { get; }

    /// <summary>The exact posterior for the nominal noise σ.</summary>
    public ZernikePosterior Posterior { get; }

    /// <summary>S, the number of image channels (sources).</summary>
    public int Channels => Forward.SourceCount;

    /// <summary>A natural unit for network data: the prior RMS of Δz (nm).</summary>
    public double HeightScale => Prior.RmsAmplitude;

    /// <summary>The surfaces Σ_k c_k Z_k for coefficients [B, K]: float64 [B, 1, N, N].</summary>
    public Tensor Surface(Tensor coefficients)
    {
        ArgumentNullException.ThrowIfNull(coefficients);
        if (coefficients.ndim != 2 || coefficients.shape[1] != Modes.Count)
            throw new ArgumentException($"coefficients must be [B, {Modes.Count}], got [{string.Join(", ", coefficients.shape)}].", nameof(coefficients));
        using var scope = NewDisposeScope();
        int n = Grid.Size;
        var s = coefficients.to(ScalarType.Float64).matmul(_basis.reshape(Modes.Count, n * n)).reshape(coefficients.shape[0], 1, n, n);
        return scope.MoveToOuter(s);
    }

    /// <summary>
    /// Draws <paramref name="count"/> measurements with ground truth from <paramref name="seed"/>,
    /// optionally with out-of-distribution insertions. The same seed and options give the same batch.
    /// </summary>
    public TwiBatch Sample(int count, long seed, OodOptions? ood = null)
    {
        if (count <= 0) throw new ArgumentOutOfRangeException(nameof(count), count, "The number of samples must be positive.");
        ood ??= OodOptions.None;
        ood.Validate();
        if (ood.MisalignedSource is int ms && (ms < 0 || ms >= Channels))
            throw new ArgumentOutOfRangeException(nameof(ood), ms, $"MisalignedSource must be a source index in 0 … {Channels - 1}.");
        using var gen = new Generator((ulong)seed);
        using var scope = NewDisposeScope();
        var c = Prior.Sample(count, gen);
        var dz = Surface(c);
        var defects = ood.Bumps + ood.Scratches > 0 ? FormDefects.Random(Grid, count, ood, gen) : zeros_like(dz);
        var deviation = dz.add(defects, One);
        Tensor clean;
        Tensor noiseMask = _noiseMask;
        if (ood.MisalignedSource is int src)
        {
            using var model = Forward.WithMisalignedSource(src, ood.TiltErrorX, ood.TiltErrorY);
            clean = model.Apply(deviation);
            noiseMask = model.RegionMasks.to(ScalarType.Float64);
        }
        else clean = Forward.Apply(deviation);
        double sigma = Options.NoiseSigma * ood.NoiseFactor;
        var noise = randn(clean.shape, ScalarType.Float64, generator: gen) * Hold(sigma) * noiseMask;
        var measured = clean.add(noise, One);
        scope.MoveToOuter(c, deviation, defects, clean, measured);
        return new TwiBatch(c, deviation, defects, clean, measured, sigma, seed, ood);
    }

    /// <summary>A posterior that assumes another noise σ (the caller disposes it).</summary>
    public ZernikePosterior PosteriorFor(double noiseSigma) => new(Forward, _basis, Prior, noiseSigma);

    /// <summary>Releases every tensor the simulator holds.</summary>
    public void Dispose()
    {
        Posterior.Dispose();
        Forward.Dispose();
        _noiseMask.Dispose();
        _basis.Dispose();
        Grid.Dispose();
    }
}
