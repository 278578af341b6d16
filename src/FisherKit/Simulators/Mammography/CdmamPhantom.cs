namespace FisherKit.Simulators.Mammography;

/// <summary>
/// The CDMAM 3.4 phantom's disc diameters and gold thicknesses (Artinis; lists as in the WAD-QC reader
/// MedPhysQC/MG_CDMAM), and the 12 diameters at which PTB's networks predict the contrast-detail curve.
/// </summary>
public static class CdmamPhantom
{
    /// <summary>The 16 disc diameters (mm), largest first.</summary>
    public static IReadOnlyList<double> Diameters { get; } = [2.00, 1.60, 1.25, 1.00, 0.80, 0.63, 0.50, 0.40, 0.31, 0.25, 0.20, 0.16, 0.13, 0.10, 0.08, 0.06];

    /// <summary>The 16 gold thicknesses (µm), thinnest first.</summary>
    public static IReadOnlyList<double> Thicknesses { get; } = [0.03, 0.04, 0.05, 0.06, 0.08, 0.10, 0.13, 0.16, 0.20, 0.25, 0.36, 0.50, 0.71, 1.00, 1.42, 2.00];

    /// <summary>The 12 diameters (mm) of the contrast-detail curve that PTB's networks predict, smallest first.</summary>
    public static IReadOnlyList<double> TargetDiameters { get; } = [0.08, 0.10, 0.13, 0.16, 0.20, 0.25, 0.31, 0.40, 0.50, 0.63, 0.80, 1.00];

    /// <summary>The threshold is the thickness where a 4-AFC reader is right with probability 0.625 (half-way between guessing, 0.25, and 1).</summary>
    public const double ThresholdProportionCorrect = 0.625;
}
