namespace FisherKit.ConditionMonitoring;

/// <summary>
/// Simulates run-to-failure vibration of rotating machines with a developing bearing defect, after the
/// standard signal model of bearing diagnostics (McFadden &amp; Smith 1984; Randall &amp; Antoni 2011).
/// Window k of K (life fraction u = k/(K−1), samples at t = i/f_s, i = 0 … N−1):
/// <code>
/// f_r,k = f_r · (1 + a_s sin(2π·3u + ψ_s) + (a_s/3)·ξ_k)              shaft speed, ξ_k ~ N(0, 1)
/// L_k   = max(0.1, 1 + a_L sin(2π·2u + ψ_L) + (a_L/4)·η_k)             load
/// d_k   = 0 (k &lt; k_on),  d_0 (d_1/d_0)^((k − k_on)/(K − 1 − k_on)) (k ≥ k_on)   defect severity
/// x(t)  = L_k Σ_h A_h cos(2π h f_r,k t + φ_h)                           shaft harmonics
///       + d_k L_k Σ_j M(t_j) h(t − t_j)                                 impacts ringing the structure
///       + σ ε(t),  ε ~ N(0, 1)                                          sensor noise
/// h(τ)  = e^(−ζ ω_n τ) sin(ω_n √(1−ζ²) τ) for τ ≥ 0, ω_n = 2π f_n          resonance's impulse response
/// M(t)  = 1 + m cos(2π f_m t + φ_m)                                     modulation (f_m: 0, f_r or FTF)
/// t_j   = t_0 + Σ_{i&lt;j} (1 + s ν_i)/f_d, t_0 ~ U(−1/f_d, 0), ν ~ N(0, 1)     impact times, f_d the defect frequency
/// </code>
/// with f_d and f_m from <see cref="BearingGeometry.ImpactFrequency"/> and
/// <see cref="BearingGeometry.ModulationFrequency"/> at the window's speed. Random phases are drawn per
/// window. Everything is drawn from the machine's <see cref="MachineSpec.Seed"/>, so a run is reproducible.
/// </summary>
public static class VibrationSimulator
{
    /// <summary>Simulates the whole life of <paramref name="machine"/>.</summary>
    public static RunToFailure Simulate(MachineSpec machine)
    {
        ArgumentNullException.ThrowIfNull(machine);
        machine.Validate();
        var rng = new Random(machine.Seed);
        int k = machine.Windows;
        double psiS = rng.NextDouble() * 2 * Math.PI, psiL = rng.NextDouble() * 2 * Math.PI;
        var signals = new double[k][];
        var speed = new double[k];
        var load = new double[k];
        var severity = new double[k];
        var hours = new double[k];
        for (int w = 0; w < k; w++)
        {
            double u = w / (double)(k - 1);
            hours[w] = u * machine.LifeHours;
            speed[w] = machine.ShaftHz * (1 + machine.SpeedVariation * Math.Sin(2 * Math.PI * 3 * u + psiS) + machine.SpeedVariation / 3 * Normal(rng));
            load[w] = Math.Max(0.1, 1 + machine.LoadVariation * Math.Sin(2 * Math.PI * 2 * u + psiL) + machine.LoadVariation / 4 * Normal(rng));
            severity[w] = SeverityAt(machine, w);
            signals[w] = Window(machine, speed[w], load[w], severity[w], rng);
        }
        return new RunToFailure(machine, signals, speed, load, severity, hours);
    }

    /// <summary>The defect severity d_k of window <paramref name="window"/> (0 before onset, exponential growth from d_0 to d_1).</summary>
    public static double SeverityAt(MachineSpec machine, int window)
    {
        ArgumentNullException.ThrowIfNull(machine);
        if (window < machine.OnsetWindow) return 0;
        int span = machine.Windows - 1 - machine.OnsetWindow;
        double v = span == 0 ? 1 : (window - machine.OnsetWindow) / (double)span;
        return machine.InitialSeverity * Math.Pow(machine.FinalSeverity / machine.InitialSeverity, v);
    }

    /// <summary>
    /// One window of N samples at shaft frequency <paramref name="shaftHz"/>, load <paramref name="load"/>
    /// and defect severity <paramref name="severity"/> (0: healthy), drawing from <paramref name="rng"/>.
    /// </summary>
    public static double[] Window(MachineSpec machine, double shaftHz, double load, double severity, Random rng)
    {
        ArgumentNullException.ThrowIfNull(machine);
        ArgumentNullException.ThrowIfNull(rng);
        int n = machine.WindowLength;
        double fs = machine.SampleRate;
        var x = new double[n];
        for (int h = 0; h < machine.ShaftHarmonics.Count; h++)
        {
            double a = load * machine.ShaftHarmonics[h], phase = rng.NextDouble() * 2 * Math.PI, w = 2 * Math.PI * (h + 1) * shaftHz / fs;
            for (int i = 0; i < n; i++) x[i] += a * Math.Cos(w * i + phase);
        }
        if (severity > 0) AddImpacts(machine, x, shaftHz, severity * load, rng);
        for (int i = 0; i < n; i++) x[i] += machine.NoiseStd * Normal(rng);
        return x;
    }

    private static void AddImpacts(MachineSpec machine, double[] x, double shaftHz, double amplitude, Random rng)
    {
        int n = x.Length;
        double fs = machine.SampleRate;
        double fd = machine.Bearing.ImpactFrequency(machine.Location, shaftHz);
        double fm = machine.Bearing.ModulationFrequency(machine.Location, shaftHz);
        double m = fm > 0 ? machine.ModulationDepth : 0, phiM = rng.NextDouble() * 2 * Math.PI;
        double wn = 2 * Math.PI * machine.ResonanceHz, zeta = machine.Damping, wd = wn * Math.Sqrt(1 - zeta * zeta);
        int ring = (int)Math.Ceiling(12 / (zeta * wn) * fs);   // e^(−12) of the first swing: negligible
        double t = -rng.NextDouble() / fd, end = n / fs;
        while (t < end)
        {
            double a = amplitude * (1 + m * Math.Cos(2 * Math.PI * fm * t + phiM));
            int first = Math.Max(0, (int)Math.Ceiling(t * fs));
            int last = Math.Min(n - 1, first + ring);
            for (int i = first; i <= last; i++)
            {
                double tau = i / fs - t;
                x[i] += a * Math.Exp(-zeta * wn * tau) * Math.Sin(wd * tau);
            }
            t += (1 + machine.Slip * Normal(rng)) / fd;
        }
    }

    /// <summary>
    /// A fleet of <paramref name="count"/> machines that differ in bearing, defect location, speed,
    /// resonance, noise and onset time (onset between 50% and 75% of the life), each with its own seed.
    /// </summary>
    public static MachineSpec[] Fleet(int count, int windows, int seed = 0, int windowLength = 2048)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "A fleet needs at least one machine.");
        if (windows < 8) throw new ArgumentOutOfRangeException(nameof(windows), windows, "A run needs at least 8 windows.");
        var rng = new Random(seed);
        var locations = new[] { DefectLocation.OuterRace, DefectLocation.InnerRace, DefectLocation.Ball };
        var machines = new MachineSpec[count];
        for (int i = 0; i < count; i++)
        {
            machines[i] = new MachineSpec
            {
                Name = $"M{i + 1}",
                Bearing = i % 2 == 0 ? BearingGeometry.Skf6205 : BearingGeometry.Skf6203,
                Location = locations[i % 3],
                ShaftHz = 20 + 20 * rng.NextDouble(),
                ResonanceHz = 2500 + 1500 * rng.NextDouble(),
                Damping = 0.04 + 0.04 * rng.NextDouble(),
                NoiseStd = 0.25 + 0.15 * rng.NextDouble(),
                Windows = windows,
                WindowLength = windowLength,
                OnsetWindow = (int)Math.Round(windows * (0.5 + 0.25 * rng.NextDouble())),
                Seed = seed * 1000 + i + 1,
            };
        }
        return machines;
    }

    /// <summary>A standard normal draw (Box–Muller).</summary>
    internal static double Normal(Random rng)
    {
        double u1 = 1 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
