using System.Globalization;

namespace FisherKit.Simulators.Mammography;

/// <summary>
/// A virtual mammography unit as a parameter set: beam (anode, kVp, filters, or one energy), geometry
/// (source–detector distance, phantom height, pixel pitch), scatter, detector (layer, blur), digitisation
/// and noise (quantum and electronic). The defaults are the reference simulator's runnable "Selenia"
/// configuration (Kretz et al., Physica Medica 2019; see Simulators/README.md), whose open-field primary
/// is 413.5 DN, background with scatter 488 DN, and electronic noise std 10.57 DN (its "SNR" 9.7 × 1.0899).
/// <see cref="Validate"/> throws <see cref="ArgumentOutOfRangeException"/> naming the first bad parameter.
/// </summary>
public sealed record MammographyDevice
{
    /// <summary>A name for tables and figures.</summary>
    public string Name { get; init; } = "Selenia-like Mo/Mo 25 kVp";

    /// <summary>The anode (ignored with <see cref="MonochromaticKeV"/>).</summary>
    public TubeAnode Anode { get; init; } = TubeAnode.Mo;

    /// <summary>Tube voltage in kV (18–49).</summary>
    public double KVp { get; init; } = 25;

    /// <summary>Beam filtration (tube window and filters), in beam order.</summary>
    public IReadOnlyList<FilterLayer> Filters { get; init; } =
        [new(XrayMaterial.Be, 0.3), new(XrayMaterial.Pmma, 2.35), new(XrayMaterial.Mo, 0.0275)];

    /// <summary>When set, a monochromatic beam of this energy (keV) replaces the tube spectrum (a documented simplification).</summary>
    public double? MonochromaticKeV { get; init; }

    /// <summary>PMMA (mm) between the phantom and the detector's entrance besides the filters, e.g. breast-equivalent slabs (default 0, as the reference).</summary>
    public double PhantomPmmaMm { get; init; }

    /// <summary>The detector's absorbing layer and its thickness (mm): default 0.25 mm CsI.</summary>
    public XrayMaterial DetectorMaterial { get; init; } = XrayMaterial.CsI;

    /// <inheritdoc cref="DetectorMaterial"/>
    public double DetectorMm { get; init; } = 0.25;

    /// <summary>Detector pixel pitch (mm).</summary>
    public double PixelPitchMm { get; init; } = 0.06;

    /// <summary>Source (focal spot) to detector distance (mm).</summary>
    public double SourceDetectorMm { get; init; } = 700;

    /// <summary>Height of the gold layer above the detector (mm); magnification M = SID/(SID − height).</summary>
    public double PhantomHeightMm { get; init; } = 71;

    /// <summary>Scatter-to-primary ratio (mean scatter over mean primary).</summary>
    public double ScatterToPrimary { get; init; } = 0.18;

    /// <summary>Width σ (mm, at the detector) of the Gaussian scatter kernel.</summary>
    public double ScatterSigmaMm { get; init; } = 15;

    /// <summary>σ (pixels) of the Gaussian detector blur (scipy's truncation at 4σ).</summary>
    public double BlurSigmaPx { get; init; } = 0.7;

    /// <summary>σ (pixels) of the Gaussian filter that correlates the electronic noise.</summary>
    public double NoiseCorrelationSigmaPx { get; init; } = 0.55;

    /// <summary>Standard deviation (DN) of the correlated electronic noise per pixel (the reference's "SNR" × 1.0899).</summary>
    public double ElectronicNoiseDn { get; init; } = 9.7 * 1.0899;

    /// <summary>Mean detected quanta per pixel in the open field (primary, before blur); null: no quantum noise (as the reference simulator).</summary>
    public double? QuantaPerPixel { get; init; }

    /// <summary>Open-field primary signal in DN (sets the calibration; the reference: 413.5).</summary>
    public double OpenFieldDn { get; init; } = 413.5;

    /// <summary>Bits of the analogue-to-digital converter; values are rounded and clipped to [0, 2^bits − 1] when <see cref="Digitise"/>.</summary>
    public int Bits { get; init; } = 14;

    /// <summary>Round and clip to integers (default true; the reference stores unrounded floats).</summary>
    public bool Digitise { get; init; } = true;

    /// <summary>Geometric magnification of the phantom plane, SID/(SID − height).</summary>
    public double Magnification => SourceDetectorMm / (SourceDetectorMm - PhantomHeightMm);

    /// <summary>The radius in detector pixels of a disc of <paramref name="diameterMm"/> mm in the phantom plane (magnified).</summary>
    public double DiscRadiusPx(double diameterMm) => diameterMm * Magnification / PixelPitchMm / 2;

    /// <summary>The reference simulator's noise parameter "SNR" as an electronic noise std in DN (× 1.0899, its discrete kernel's factor).</summary>
    public static double ElectronicNoiseFromReferenceSnr(double snr) => snr * 1.0899;

    /// <summary>The spectrum behind the filters and <see cref="PhantomPmmaMm"/>, seen by the detector layer.</summary>
    public XraySpectrum Spectrum()
    {
        Validate();
        var s = MonochromaticKeV is double e
            ? XraySpectrum.Monochromatic(e, DetectorMaterial, DetectorMm)
            : XraySpectrum.Tube(Anode, KVp, Filters, DetectorMaterial, DetectorMm);
        return PhantomPmmaMm > 0 ? s.Through(XrayMaterial.Pmma, PhantomPmmaMm, DetectorMaterial, DetectorMm) : s;
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first parameter out of its range.</summary>
    public void Validate()
    {
        static void Positive(double v, string name, string what)
        {
            if (!(v > 0) || !double.IsFinite(v)) throw new ArgumentOutOfRangeException(name, v, $"{what} must be a positive finite number.");
        }
        static void NonNegative(double v, string name, string what)
        {
            if (!(v >= 0) || !double.IsFinite(v)) throw new ArgumentOutOfRangeException(name, v, $"{what} must be a finite number >= 0.");
        }
        if (!Enum.IsDefined(Anode)) throw new ArgumentOutOfRangeException(nameof(Anode), Anode, "Unknown anode.");
        if (MonochromaticKeV is double e)
        {
            if (!(e >= 4 && e <= 50)) throw new ArgumentOutOfRangeException(nameof(MonochromaticKeV), e, "A monochromatic beam needs an energy in 4–50 keV.");
        }
        else if (!(KVp >= 18 && KVp <= 49)) throw new ArgumentOutOfRangeException(nameof(KVp), KVp, "The tube voltage must lie in 18–49 kV.");
        if (Filters is null) throw new ArgumentOutOfRangeException(nameof(Filters), null, "Filters must be a list (empty for none).");
        foreach (var f in Filters)
            if (f is null || !(f.ThicknessMm >= 0) || !double.IsFinite(f.ThicknessMm))
                throw new ArgumentOutOfRangeException(nameof(Filters), f?.ThicknessMm, "Every filter layer needs a finite thickness >= 0 mm.");
        NonNegative(PhantomPmmaMm, nameof(PhantomPmmaMm), "The PMMA thickness");
        if (!Enum.IsDefined(DetectorMaterial)) throw new ArgumentOutOfRangeException(nameof(DetectorMaterial), DetectorMaterial, "Unknown detector material.");
        Positive(DetectorMm, nameof(DetectorMm), "The detector thickness");
        Positive(PixelPitchMm, nameof(PixelPitchMm), "The pixel pitch");
        Positive(SourceDetectorMm, nameof(SourceDetectorMm), "The source-detector distance");
        if (!(PhantomHeightMm >= 0 && PhantomHeightMm < SourceDetectorMm))
            throw new ArgumentOutOfRangeException(nameof(PhantomHeightMm), PhantomHeightMm, string.Create(CultureInfo.InvariantCulture, $"The phantom height must lie in [0, {SourceDetectorMm}) mm (below the source)."));
        NonNegative(ScatterToPrimary, nameof(ScatterToPrimary), "The scatter-to-primary ratio");
        Positive(ScatterSigmaMm, nameof(ScatterSigmaMm), "The scatter kernel width");
        NonNegative(BlurSigmaPx, nameof(BlurSigmaPx), "The detector blur σ");
        NonNegative(NoiseCorrelationSigmaPx, nameof(NoiseCorrelationSigmaPx), "The noise correlation σ");
        if (BlurSigmaPx > 8) throw new ArgumentOutOfRangeException(nameof(BlurSigmaPx), BlurSigmaPx, "The detector blur σ must be at most 8 px.");
        if (NoiseCorrelationSigmaPx > 8) throw new ArgumentOutOfRangeException(nameof(NoiseCorrelationSigmaPx), NoiseCorrelationSigmaPx, "The noise correlation σ must be at most 8 px.");
        NonNegative(ElectronicNoiseDn, nameof(ElectronicNoiseDn), "The electronic noise std");
        if (QuantaPerPixel is double q) Positive(q, nameof(QuantaPerPixel), "The quanta per pixel");
        Positive(OpenFieldDn, nameof(OpenFieldDn), "The open-field signal");
        if (Bits < 8 || Bits > 24) throw new ArgumentOutOfRangeException(nameof(Bits), Bits, "The converter needs 8–24 bits.");
        if (Digitise && OpenFieldDn * (1 + ScatterToPrimary) >= Math.Pow(2, Bits) - 1)
            throw new ArgumentOutOfRangeException(nameof(OpenFieldDn), OpenFieldDn, string.Create(CultureInfo.InvariantCulture, $"The open field with scatter ({OpenFieldDn * (1 + ScatterToPrimary):0.#} DN) saturates a {Bits}-bit converter."));
    }
}
