namespace FisherKit.Simulators;

/// <summary>
/// The layout of the virtual tilted-wave interferometer (see <see cref="TwiForwardModel"/> and
/// Simulators/README.md): a design surface with slope <see cref="RimSlope"/> at the rim, and a square
/// array of <see cref="SourcesPerSide"/>² point sources whose tilted waves each reach the detector
/// through the stop only from a patch of the surface of normalised radius ≈ <see cref="PatchRadius"/>.
/// </summary>
/// <param name="SourcesPerSide">K: the sources form a K×K array (K² image channels).</param>
/// <param name="RimSlope">c: the design surface z₀ = R·c·ρ²/2 has slope c·ρ (radians, small), c·1 at the rim.</param>
/// <param name="PatchRadius">
/// Radius, in normalised aperture units, of the patch each source sees (paraxially); it sets the stop
/// radius 2c·PatchRadius in direction cosines. Patch centres are 2/(K−1) apart, so a radius below
/// √2/(K−1) leaves small gaps between four patches that no source sees.
/// </param>
/// <param name="ApertureRadiusMm">R: the aperture radius in mm (scales slopes in the non-linear model and tilt errors).</param>
public sealed record TwiGeometry(int SourcesPerSide = 3, double RimSlope = 0.05, double PatchRadius = 0.65, double ApertureRadiusMm = 10)
{
    /// <summary>Throws an <see cref="ArgumentException"/> for impossible settings.</summary>
    public void Validate()
    {
        if (SourcesPerSide < 1 || SourcesPerSide > 15) throw new ArgumentOutOfRangeException(nameof(SourcesPerSide), SourcesPerSide, "Use between 1 and 15 sources per side.");
        if (!(RimSlope > 0 && RimSlope < 0.5)) throw new ArgumentOutOfRangeException(nameof(RimSlope), RimSlope, "The rim slope must lie in (0, 0.5) radians (the model is meant for gentle aspheres).");
        if (!(PatchRadius > 0 && PatchRadius <= 4)) throw new ArgumentOutOfRangeException(nameof(PatchRadius), PatchRadius, "The patch radius must lie in (0, 4].");
        if (!(ApertureRadiusMm > 0) || double.IsInfinity(ApertureRadiusMm)) throw new ArgumentOutOfRangeException(nameof(ApertureRadiusMm), ApertureRadiusMm, "The aperture radius must be positive and finite.");
    }

    /// <summary>The stop radius A = 2c·PatchRadius on the transverse components of the reflected direction.</summary>
    public double StopRadius => 2 * RimSlope * PatchRadius;

    /// <summary>Height units (nm) per mm: converts R in mm to the nm of the simulated heights.</summary>
    public const double NanometresPerMillimetre = 1e6;

    /// <summary>The nominal sources: tilts (a, b) = 2c·(u_col, u_row) with u = −1 + 2k/(K−1), row by row.</summary>
    public TwiSource[] Sources()
    {
        Validate();
        int k = SourcesPerSide;
        var list = new List<TwiSource>();
        for (int r = 0; r < k; r++)
            for (int q = 0; q < k; q++)
            {
                double ux = k == 1 ? 0 : -1 + 2.0 * q / (k - 1);
                double uy = k == 1 ? 0 : -1 + 2.0 * r / (k - 1);
                list.Add(new TwiSource(r, q, 2 * RimSlope * ux, 2 * RimSlope * uy));
            }
        return [.. list];
    }
}
