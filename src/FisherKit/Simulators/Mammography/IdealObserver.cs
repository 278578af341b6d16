namespace FisherKit.Simulators.Mammography;

/// <summary>
/// The analytic ground truth of a device's contrast-detail curve: a non-prewhitening (NPW) matched filter reads
/// each of the four corners of a cell with the expected disc profile as template, u_d = G_σb ∗ D_d (D_d the
/// area-weighted disc of diameter d·M/pitch pixels), and picks the corner with the largest attenuation signal.
/// With the expected disc signal s = P₀ (1 − T(t)) u_d (P₀ the open-field primary in DN) and the noise of the
/// simulator — electronic σ_w² G_σc G_σcᵀ, quantum g·B G_σb G_σbᵀ (g DN per quantum, B the background with
/// scatter), rounding 1/12 — the detectability is
/// d′(d, t) = P₀ (1 − T(t)) ‖u‖² / √(σ_w² ‖G_σc ∗ u‖² + g B ‖G_σb ∗ u‖² + ‖u‖²/12),
/// and the threshold t*(d) is where the proportion correct, averaged over the disc's sub-pixel position (3 × 3
/// positions), is 0.625 (for one position: d′ = <see cref="FourAfc.DPrimeFor"/>(0.625) = 1.2350), with the device's
/// polychromatic T(t). The statistics of the four corners are independent (the corners lie several pixels apart,
/// the noise is correlated over about a pixel), so the 4-AFC proportion correct is exactly
/// <see cref="FourAfc.ProportionCorrect"/>(d′) for this simulator, up to the sub-pixel position of the disc.
/// </summary>
public sealed class IdealObserver
{
    /// <summary>The observer for <paramref name="device"/>; <paramref name="efficiency"/> η scales d′ (1: ideal NPW; about 0.5–0.7 emulates automatic readers).</summary>
    public IdealObserver(MammographyDevice device, double efficiency = 1.0)
    {
        ArgumentNullException.ThrowIfNull(device);
        device.Validate();
        if (!(efficiency > 0 && efficiency <= 1)) throw new ArgumentOutOfRangeException(nameof(efficiency), efficiency, "The efficiency must lie in (0, 1].");
        Device = device;
        Efficiency = efficiency;
        Spectrum = device.Spectrum();
        ThresholdDPrime = FourAfc.DPrimeFor();
    }

    /// <summary>The device.</summary>
    public MammographyDevice Device { get; }

    /// <summary>The observer's efficiency η (d′ = η d′_NPW).</summary>
    public double Efficiency { get; }

    /// <summary>The device's detected spectrum.</summary>
    public XraySpectrum Spectrum { get; }

    /// <summary>The d′ at the threshold (1.2350).</summary>
    public double ThresholdDPrime { get; }

    /// <summary>
    /// k(d) = η ‖u‖² / √(noise variance of the NPW statistic), in 1/DN, for the disc centred at each of 3 × 3 sub-pixel
    /// positions (offsets −⅓, 0, ⅓ pixel along each axis): d′ = P₀ (1 − T(t)) k. Images put discs at random positions,
    /// and small discs are seen better on a pixel centre than between pixels.
    /// </summary>
    public double[] DetectabilityPerDnAtPositions(double diameterMm)
    {
        if (!(diameterMm > 0 && diameterMm <= 20)) throw new ArgumentOutOfRangeException(nameof(diameterMm), diameterMm, "The diameter must lie in (0, 20] mm.");
        var d = Device;
        double radiusPx = d.DiscRadiusPx(diameterMm);
        var kb = CdmamSimulator.Kernel(d.BlurSigmaPx);
        var kc = CdmamSimulator.Kernel(d.NoiseCorrelationSigmaPx);
        int n = 2 * (int)Math.Ceiling(radiusPx) + 2 * (kb.Length + kc.Length) + 5;
        double sw = d.ElectronicNoiseDn / kc.Sum(v => v * v);
        var result = new List<double>();
        foreach (var oy in new[] { -1.0 / 3, 0, 1.0 / 3 })
            foreach (var ox in new[] { -1.0 / 3, 0, 1.0 / 3 })
            {
                var u = Convolve(Disc(n, radiusPx, ox, oy), n, kb);
                double uu = u.Sum(v => v * v);
                var cu = Convolve(u, n, kc);
                double variance = sw * sw * cu.Sum(v => v * v);
                if (d.QuantaPerPixel is double q)
                {
                    var bu = Convolve(u, n, kb);
                    variance += d.OpenFieldDn / q * d.OpenFieldDn * (1 + d.ScatterToPrimary) * bu.Sum(v => v * v);
                }
                if (d.Digitise) variance += uu / 12;
                result.Add(Efficiency * uu / Math.Sqrt(variance));
            }
        return result.ToArray();
    }

    /// <summary>The mean of <see cref="DetectabilityPerDnAtPositions"/>.</summary>
    public double DetectabilityPerDn(double diameterMm) => DetectabilityPerDnAtPositions(diameterMm).Average();

    /// <summary>d′ of a disc of <paramref name="diameterMm"/> mm and <paramref name="thicknessUm"/> µm with the position-mean k(d).</summary>
    public double DPrime(double diameterMm, double thicknessUm) => Contrast(thicknessUm) * DetectabilityPerDn(diameterMm);

    /// <summary>The 4-AFC proportion correct, averaged over the sub-pixel positions of the disc.</summary>
    public double ProportionCorrect(double diameterMm, double thicknessUm) =>
        ProportionCorrect(DetectabilityPerDnAtPositions(diameterMm), thicknessUm);

    // The position-mean proportion correct from the detectabilities of the disc's sub-pixel positions, which cost
    // convolutions: Threshold and FittedThreshold compute them once per diameter, not once per thickness.
    private double ProportionCorrect(double[] detectabilityPerDn, double thicknessUm)
    {
        double c = Contrast(thicknessUm);
        return detectabilityPerDn.Average(k => FourAfc.ProportionCorrect(c * k));
    }

    /// <summary>
    /// The threshold gold thickness t*(d) in µm: the proportion correct averaged over sub-pixel positions is 0.625
    /// (for a disc at one position, d′ = 1.2350); +∞ when even 100 µm stays below it.
    /// </summary>
    public double Threshold(double diameterMm)
    {
        var k = DetectabilityPerDnAtPositions(diameterMm);
        double Pc(double t) => ProportionCorrect(k, t);
        if (Pc(100) < CdmamPhantom.ThresholdProportionCorrect) return double.PositiveInfinity;
        double lo = Math.Log(1e-6), hi = Math.Log(100);
        for (int i = 0; i < 50; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (Pc(Math.Exp(mid)) < CdmamPhantom.ThresholdProportionCorrect) lo = mid; else hi = mid;
        }
        return Math.Exp(0.5 * (lo + hi));
    }

    /// <summary>
    /// The threshold the EUREF-style fit (<see cref="PsychometricFit"/>) reports for this observer when it reads
    /// <paramref name="thicknessesUm"/> infinitely often, each equally often: the fit of the exact proportions correct
    /// (with a misfitting model the limit depends on the weights, so readings with unequal trials per thickness differ). The fit's logistic in
    /// ln t does not have the shape of the 4-AFC curve of d′ ∝ 1 − T(t), so this is not <see cref="Threshold"/>: for a ladder
    /// of factors √2 around t* it lies about 10 % lower. Monte-Carlo readings fitted the same way scatter around this
    /// value, not around <see cref="Threshold"/>.
    /// </summary>
    public double FittedThreshold(double diameterMm, IReadOnlyList<double> thicknessesUm)
    {
        ArgumentNullException.ThrowIfNull(thicknessesUm);
        // Counts of 10⁹ trials per thickness: the proportions to nine digits, far below the fit's grid resolution.
        const long trials = 1_000_000_000;
        var k = DetectabilityPerDnAtPositions(diameterMm);
        var hits = thicknessesUm.Select(t => (long)Math.Round(ProportionCorrect(k, t) * trials)).ToArray();
        return PsychometricFit.Fit(diameterMm, thicknessesUm, hits, thicknessesUm.Select(_ => trials).ToArray()).ThresholdUm;
    }

    /// <summary>t*(d) at every diameter of <paramref name="diametersMm"/> (default: the 12 target diameters).</summary>
    public double[] Curve(IEnumerable<double>? diametersMm = null) => (diametersMm ?? CdmamPhantom.TargetDiameters).Select(Threshold).ToArray();

    private double Contrast(double thicknessUm) => Device.OpenFieldDn * (1 - Spectrum.Transmission(XrayMaterial.Au, thicknessUm, XrayMaterial.Pmma));

    /// <summary>The area-weighted disc of radius <paramref name="radiusPx"/> centred on the middle pixel of an n × n patch plus an offset in pixels (8 × 8 sub-samples per pixel).</summary>
    internal static double[] Disc(int n, double radiusPx, double offsetX = 0, double offsetY = 0)
    {
        const int s = 8;
        var a = new double[n * n];
        double c = n / 2, r2 = radiusPx * radiusPx;   // the middle pixel's centre sits at n/2 (integer division) + 0.5 in edge coordinates
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                int inside = 0;
                for (int u = 0; u < s; u++)
                {
                    double y = i + (u + 0.5) / s - c - 0.5 - offsetY;
                    for (int v = 0; v < s; v++)
                    {
                        double x = j + (v + 0.5) / s - c - 0.5 - offsetX;
                        if (x * x + y * y <= r2) inside++;
                    }
                }
                a[i * n + j] = inside / (double)(s * s);
            }
        return a;
    }

    /// <summary>Separable convolution of an n × n patch with a symmetric 1-D kernel, zero outside.</summary>
    internal static double[] Convolve(double[] x, int n, double[] k)
    {
        int r = k.Length / 2;
        var t = new double[n * n];
        var y = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int q = -r; q <= r; q++) if (j + q >= 0 && j + q < n) s += k[q + r] * x[i * n + j + q];
                t[i * n + j] = s;
            }
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int q = -r; q <= r; q++) if (i + q >= 0 && i + q < n) s += k[q + r] * t[(i + q) * n + j];
                y[i * n + j] = s;
            }
        return y;
    }
}
