namespace FisherKit.Simulators;

/// <summary>Settings of a <see cref="TwiSimulator"/>; every field has a sensible default.</summary>
public sealed record TwiOptions
{
    /// <summary>N: the simulation grid is N×N (e.g. 32 for quick runs, 64 in full).</summary>
    public int GridSize { get; init; } = 32;

    /// <summary>The interferometer layout (sources, design slope, patches, aperture radius).</summary>
    public TwiGeometry Geometry { get; init; } = new();

    /// <summary>Highest radial order n of the Zernike expansion.</summary>
    public int MaxRadialOrder { get; init; } = 6;

    /// <summary>First index of the expansion in <see cref="Indexing"/> (Noll 4: without piston and tilts).</summary>
    public int FirstMode { get; init; } = 4;

    /// <summary>Index convention of <see cref="FirstMode"/>.</summary>
    public ZernikeIndexing Indexing { get; init; } = ZernikeIndexing.Noll;

    /// <summary>Expected RMS of the form deviation over the aperture (nm).</summary>
    public double RmsAmplitude { get; init; } = 50;

    /// <summary>σ_k ∝ (n_k + 1)^(−Decay).</summary>
    public double Decay { get; init; } = 1;

    /// <summary>Law of the coefficients.</summary>
    public CoefficientDistribution Distribution { get; init; } = CoefficientDistribution.Gaussian;

    /// <summary>Standard deviation of the measurement noise per pixel and channel (nm).</summary>
    public double NoiseSigma { get; init; } = 5;
}
