using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Simulators;

/// <summary>
/// The random form deviation Δz(x) = Σ_k c_k Z_k(x) with independent zero-mean coefficients of
/// standard deviations σ_k ∝ (n_k + 1)^(−<see cref="Decay"/>), scaled so that the expected RMS of
/// Δz over the aperture is <see cref="RmsAmplitude"/> (E[RMS²] = Σ σ_k² for an orthonormal basis).
/// Higher radial orders are thus smaller, as in real polished surfaces; Decay = 0 gives equal
/// standard deviations. Amplitudes are in the height unit of the simulation (nm by convention).
/// </summary>
public sealed class ZernikePrior
{
    /// <summary>Creates the prior over the given modes.</summary>
    /// <param name="modes">The Zernike modes in the expansion.</param>
    /// <param name="rmsAmplitude">Expected RMS of the deviation over the aperture (e.g. 50 nm).</param>
    /// <param name="decay">Exponent of the fall-off of σ_k with radial order.</param>
    /// <param name="distribution">Law of each coefficient.</param>
    public ZernikePrior(IReadOnlyList<ZernikeMode> modes, double rmsAmplitude = 50, double decay = 1, CoefficientDistribution distribution = CoefficientDistribution.Gaussian)
    {
        ArgumentNullException.ThrowIfNull(modes);
        if (modes.Count == 0) throw new ArgumentException("The prior needs at least one mode.", nameof(modes));
        if (modes.Distinct().Count() != modes.Count) throw new ArgumentException("The modes of a prior must be distinct.", nameof(modes));
        if (!(rmsAmplitude > 0) || double.IsInfinity(rmsAmplitude)) throw new ArgumentOutOfRangeException(nameof(rmsAmplitude), rmsAmplitude, "The RMS amplitude must be positive and finite.");
        if (!double.IsFinite(decay)) throw new ArgumentOutOfRangeException(nameof(decay), decay, "The decay exponent must be finite.");
        Modes = modes.ToArray();
        RmsAmplitude = rmsAmplitude;
        Decay = decay;
        Distribution = distribution;
        var w = Modes.Select(m => Math.Pow(m.N + 1, -decay)).ToArray();
        double norm = Math.Sqrt(w.Sum(v => v * v));
        StandardDeviations = w.Select(v => rmsAmplitude * v / norm).ToArray();
    }

    /// <summary>Creates a prior from explicit per-mode standard deviations.</summary>
    public ZernikePrior(IReadOnlyList<ZernikeMode> modes, IReadOnlyList<double> standardDeviations, CoefficientDistribution distribution = CoefficientDistribution.Gaussian)
    {
        ArgumentNullException.ThrowIfNull(modes);
        ArgumentNullException.ThrowIfNull(standardDeviations);
        if (modes.Count == 0 || modes.Count != standardDeviations.Count)
            throw new ArgumentException($"Got {modes.Count} modes and {standardDeviations.Count} standard deviations; they must be equally many (and at least one).");
        if (standardDeviations.Any(s => !(s > 0) || double.IsInfinity(s))) throw new ArgumentException("Every standard deviation must be positive and finite.", nameof(standardDeviations));
        Modes = modes.ToArray();
        StandardDeviations = standardDeviations.ToArray();
        RmsAmplitude = Math.Sqrt(StandardDeviations.Sum(s => s * s));
        Decay = double.NaN;
        Distribution = distribution;
    }

    /// <summary>The modes, in coefficient order.</summary>
    public IReadOnlyList<ZernikeMode> Modes { get; }

    /// <summary>Standard deviation σ_k of each coefficient.</summary>
    public IReadOnlyList<double> StandardDeviations { get; }

    /// <summary>Expected RMS of the deviation over the aperture, √(Σ σ_k²).</summary>
    public double RmsAmplitude { get; }

    /// <summary>Fall-off exponent (NaN when the σ_k were given explicitly).</summary>
    public double Decay { get; }

    /// <summary>Law of each coefficient.</summary>
    public CoefficientDistribution Distribution { get; }

    /// <summary>Number of coefficients K.</summary>
    public int Count => Modes.Count;

    /// <summary>The prior covariance Λ = diag(σ_k²) as a float64 tensor [K, K].</summary>
    public Tensor Covariance()
    {
        using var s = tensor(StandardDeviations.Select(v => v * v).ToArray());
        return s.diag();
    }

    /// <summary>Draws <paramref name="count"/> coefficient vectors, float64 [count, K], from a seeded generator.</summary>
    public Tensor Sample(int count, Generator generator)
    {
        if (count <= 0) throw new ArgumentOutOfRangeException(nameof(count), count, "The number of samples must be positive.");
        ArgumentNullException.ThrowIfNull(generator);
        using var scope = NewDisposeScope();
        var sd = tensor(StandardDeviations.ToArray());
        var z = Distribution == CoefficientDistribution.Gaussian
            ? randn([count, Count], ScalarType.Float64, generator: generator)
            : (rand([count, Count], ScalarType.Float64, generator: generator) * Hold(2) - Hold(1)) * Hold(Math.Sqrt(3));
        return scope.MoveToOuter(z * sd);
    }
}
