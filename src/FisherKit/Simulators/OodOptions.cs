namespace FisherKit.Simulators;

/// <summary>
/// Out-of-distribution insertions for a simulated batch (all off by default): localised bumps and
/// scratches outside the Zernike family, noise above the nominal level, and one misaligned source.
/// </summary>
public sealed record OodOptions
{
    /// <summary>No insertion: the in-distribution case.</summary>
    public static OodOptions None { get; } = new();

    /// <summary>Bumps (or pits, random sign) per sample.</summary>
    public int Bumps { get; init; }

    /// <summary>Peak height of each bump (nm).</summary>
    public double BumpHeight { get; init; } = 40;

    /// <summary>Gaussian width of a bump (normalised units; varied ±25 % at random).</summary>
    public double BumpWidth { get; init; } = 0.08;

    /// <summary>Scratches per sample.</summary>
    public int Scratches { get; init; }

    /// <summary>Depth of a scratch (nm).</summary>
    public double ScratchDepth { get; init; } = 30;

    /// <summary>Gaussian half-width of a scratch (normalised units).</summary>
    public double ScratchWidth { get; init; } = 0.03;

    /// <summary>Length of a scratch (normalised units; varied ±25 % at random).</summary>
    public double ScratchLength { get; init; } = 0.6;

    /// <summary>Multiplies the nominal noise σ (1 = nominal).</summary>
    public double NoiseFactor { get; init; } = 1;

    /// <summary>Index of a misaligned source, or null for none.</summary>
    public int? MisalignedSource { get; init; }

    /// <summary>Tilt error of the misaligned source in x (tangent; 5e-6 = 5 µrad).</summary>
    public double TiltErrorX { get; init; } = 5e-6;

    /// <summary>Tilt error of the misaligned source in y (tangent).</summary>
    public double TiltErrorY { get; init; }

    /// <summary>True when nothing is inserted.</summary>
    public bool IsNone => Bumps == 0 && Scratches == 0 && NoiseFactor == 1 && MisalignedSource is null;

    /// <summary>Throws an <see cref="ArgumentException"/> for impossible settings.</summary>
    public void Validate()
    {
        if (Bumps < 0 || Scratches < 0) throw new ArgumentOutOfRangeException(nameof(Bumps), "The numbers of bumps and scratches must be non-negative.");
        if (!double.IsFinite(BumpHeight) || !double.IsFinite(ScratchDepth)) throw new ArgumentException("Defect heights must be finite.");
        if (!(BumpWidth > 0) || !(ScratchWidth > 0) || !(ScratchLength >= 0)) throw new ArgumentOutOfRangeException(nameof(BumpWidth), "Defect widths must be positive and the scratch length non-negative.");
        if (!(NoiseFactor >= 0) || double.IsInfinity(NoiseFactor)) throw new ArgumentOutOfRangeException(nameof(NoiseFactor), NoiseFactor, "The noise factor must be finite and non-negative.");
        if (!double.IsFinite(TiltErrorX) || !double.IsFinite(TiltErrorY)) throw new ArgumentException("Tilt errors must be finite.");
    }
}
