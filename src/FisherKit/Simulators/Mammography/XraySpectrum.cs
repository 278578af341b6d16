using System.Globalization;

namespace FisherKit.Simulators.Mammography;

/// <summary>
/// A photon spectrum at the detector: energies E_k (keV) and relative photon fluences Φ_k, with the weights
/// w_k ∝ Φ_k·η(E_k) of the detected signal (photon counting, as the reference simulator: a detector layer
/// absorbs the fraction η(E) = 1 − exp(−μ_det(E)·thickness)). Polychromatic transmissions are weighted means
/// over the spectrum: T(t) = Σ_k w_k exp(−μ(E_k) t).
/// </summary>
/// <remarks>
/// <see cref="Tube"/> is a simplified tube model, not the tabulated MASMIP/RASMIP/TASMIP polynomials of the
/// reference simulator (Boone, Fewell &amp; Jennings 1997), which are not in this repository: Kramers'
/// bremsstrahlung Φ(E) ∝ (kVp − E)/E below kVp, plus the anode's K lines (energies and radiative rates from
/// xraylib) when kVp exceeds the K edge, with N_K = 0.6·(kVp/E_K − 1)^1.63 times the bremsstrahlung photons
/// (a rough Green–Cosslett-type law), then filtered by every layer: Φ_f = Φ·Π exp(−μ_m t_m). The
/// alternative <see cref="Monochromatic"/> is exact for a single energy.
/// </remarks>
public sealed class XraySpectrum
{
    private XraySpectrum(double[] energies, double[] fluence, XrayMaterial detector, double detectorMm, string description)
    {
        Energies = energies;
        Fluence = fluence;
        Description = description;
        var w = new double[energies.Length];
        for (int k = 0; k < w.Length; k++)
            w[k] = fluence[k] * (1 - Math.Exp(-XrayTables.Density(detector) * XrayTables.DetectorAbsorption(detector, energies[k]) * detectorMm / 10));
        double sum = w.Sum();
        if (!(sum > 0)) throw new ArgumentException($"No photons of the spectrum '{description}' reach the detector: the filters absorb everything.");
        DetectedWeights = w.Select(v => v / sum).ToArray();
    }

    /// <summary>The energies (keV).</summary>
    public IReadOnlyList<double> Energies { get; }

    /// <summary>Relative photon fluence per energy after filtration.</summary>
    public IReadOnlyList<double> Fluence { get; }

    /// <summary>w_k: the share of detected signal per energy (sums to 1).</summary>
    public IReadOnlyList<double> DetectedWeights { get; }

    /// <summary>What the spectrum is, e.g. "Mo/Mo 28 kVp".</summary>
    public string Description { get; }

    /// <summary>The mean energy of the detected photons (keV).</summary>
    public double MeanDetectedEnergy => Energies.Zip(DetectedWeights, (e, w) => e * w).Sum();

    /// <summary>A single energy <paramref name="energyKeV"/> (4–50 keV) seen by the detector layer.</summary>
    public static XraySpectrum Monochromatic(double energyKeV, XrayMaterial detector = XrayMaterial.CsI, double detectorMm = 0.25)
    {
        if (!(energyKeV >= 4 && energyKeV <= 50)) throw new ArgumentOutOfRangeException(nameof(energyKeV), energyKeV, "A monochromatic beam needs an energy in 4–50 keV (the tables' range).");
        CheckDetector(detectorMm);
        return new XraySpectrum([energyKeV], [1.0], detector, detectorMm, string.Create(CultureInfo.InvariantCulture, $"{energyKeV:0.##} keV"));
    }

    /// <summary>The spectrum of a tube with <paramref name="anode"/> at <paramref name="kVp"/> (18–49 kV) behind <paramref name="filters"/>.</summary>
    public static XraySpectrum Tube(TubeAnode anode, double kVp, IEnumerable<FilterLayer> filters, XrayMaterial detector = XrayMaterial.CsI, double detectorMm = 0.25)
    {
        if (!Enum.IsDefined(anode)) throw new ArgumentOutOfRangeException(nameof(anode), anode, "Unknown anode.");
        if (!(kVp >= 18 && kVp <= 49)) throw new ArgumentOutOfRangeException(nameof(kVp), kVp, "The tube voltage must lie in 18–49 kV (mammography; the tables end at 50 keV).");
        ArgumentNullException.ThrowIfNull(filters);
        CheckDetector(detectorMm);
        var layers = filters.ToList();
        foreach (var f in layers)
        {
            if (f is null) throw new ArgumentNullException(nameof(filters), "A filter layer is null.");
            if (!Enum.IsDefined(f.Material)) throw new ArgumentOutOfRangeException(nameof(filters), f.Material, "Unknown filter material.");
            if (!(f.ThicknessMm >= 0) || !double.IsFinite(f.ThicknessMm)) throw new ArgumentOutOfRangeException(nameof(filters), f.ThicknessMm, $"The {f.Material} filter needs a finite thickness >= 0 mm.");
        }
        var grid = XrayTables.Energies;
        double de = grid[1] - grid[0];
        var phi = new double[grid.Count];
        for (int k = 0; k < phi.Length; k++) phi[k] = grid[k] < kVp ? (kVp - grid[k]) / grid[k] : 0;
        double brems = phi.Sum();
        var lines = XrayTables.Lines.Where(l => l.Anode == anode).ToList();
        if (lines.Count > 0 && kVp > lines[0].KEdgeKeV)
        {
            double nK = 0.6 * Math.Pow(kVp / lines[0].KEdgeKeV - 1, 1.63) * brems;
            double rates = lines.Sum(l => l.RadiativeRate);
            foreach (var l in lines) phi[(int)Math.Round((l.EnergyKeV - grid[0]) / de)] += nK * l.RadiativeRate / rates;
        }
        for (int k = 0; k < phi.Length; k++)
            foreach (var f in layers) phi[k] *= Math.Exp(-XrayTables.LinearAttenuationPerMm(f.Material, k) * f.ThicknessMm);
        var text = string.Create(CultureInfo.InvariantCulture, $"{anode} {kVp:0.#} kVp, ") + string.Join(" + ", layers.Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Material} {f.ThicknessMm:0.####} mm")));
        return new XraySpectrum(grid.ToArray(), phi, detector, detectorMm, text);
    }

    /// <summary>The spectrum after a further layer of <paramref name="material"/> (<paramref name="thicknessMm"/> mm).</summary>
    public XraySpectrum Through(XrayMaterial material, double thicknessMm, XrayMaterial detector = XrayMaterial.CsI, double detectorMm = 0.25)
    {
        var phi = Energies.Select((e, k) => Fluence[k] * Math.Exp(-XrayTables.Density(material) * XrayTables.MassAttenuation(material, e) * thicknessMm / 10)).ToArray();
        return new XraySpectrum(Energies.ToArray(), phi, detector, detectorMm, Description + string.Create(CultureInfo.InvariantCulture, $" + {material} {thicknessMm:0.##} mm"));
    }

    /// <summary>
    /// The detected-signal transmission of <paramref name="thicknessUm"/> µm of <paramref name="material"/> that
    /// replaces the same thickness of <paramref name="replaced"/> (gold discs sit in PMMA): Σ_k w_k exp(−(μ − μ_r)·t).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The thickness is negative or not finite (a transmission above 1, or NaN).</exception>
    public double Transmission(XrayMaterial material, double thicknessUm, XrayMaterial? replaced = null)
    {
        if (!(thicknessUm >= 0) || double.IsPositiveInfinity(thicknessUm))
            throw new ArgumentOutOfRangeException(nameof(thicknessUm), thicknessUm, "A thickness must be a finite number of µm, 0 or more.");
        double t = 0;
        for (int k = 0; k < Energies.Count; k++)
            t += DetectedWeights[k] * Math.Exp(-LinearPerUm(material, k, replaced) * thicknessUm);
        return t;
    }

    /// <summary>The effective attenuation Σ_k w_k μ(E_k) in 1/µm: the slope of −ln T at t → 0.</summary>
    public double EffectiveAttenuationPerUm(XrayMaterial material, XrayMaterial? replaced = null)
    {
        double m = 0;
        for (int k = 0; k < Energies.Count; k++) m += DetectedWeights[k] * LinearPerUm(material, k, replaced);
        return m;
    }

    private double LinearPerUm(XrayMaterial material, int k, XrayMaterial? replaced)
    {
        double mu = XrayTables.Density(material) * XrayTables.MassAttenuation(material, Energies[k]) * 1e-4;
        if (replaced is { } r) mu -= XrayTables.Density(r) * XrayTables.MassAttenuation(r, Energies[k]) * 1e-4;
        return mu;
    }

    private static void CheckDetector(double detectorMm)
    {
        if (!(detectorMm > 0) || !double.IsFinite(detectorMm)) throw new ArgumentOutOfRangeException(nameof(detectorMm), detectorMm, "The detector layer needs a positive finite thickness (mm).");
    }
}
