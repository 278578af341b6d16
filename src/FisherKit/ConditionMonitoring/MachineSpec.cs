namespace FisherKit.ConditionMonitoring;

/// <summary>
/// One simulated machine of <see cref="VibrationSimulator"/>: a shaft turning at about
/// <see cref="ShaftHz"/> on a bearing of <see cref="Bearing"/> geometry that develops a defect at
/// <see cref="Location"/> from window <see cref="OnsetWindow"/> on. Amplitudes are in arbitrary
/// acceleration units; the sensor noise has standard deviation <see cref="NoiseStd"/>.
/// </summary>
public sealed record MachineSpec
{
    /// <summary>Name shown in tables.</summary>
    public string Name { get; init; } = "machine";

    /// <summary>Bearing geometry.</summary>
    public BearingGeometry Bearing { get; init; } = BearingGeometry.Skf6205;

    /// <summary>Where the defect develops.</summary>
    public DefectLocation Location { get; init; } = DefectLocation.OuterRace;

    /// <summary>Nominal shaft frequency f_r in Hz (29.95 Hz = 1797 rpm).</summary>
    public double ShaftHz { get; init; } = 29.95;

    /// <summary>Sampling rate f_s in Hz.</summary>
    public double SampleRate { get; init; } = 12_000;

    /// <summary>Samples per recorded window N (a power of two).</summary>
    public int WindowLength { get; init; } = 2048;

    /// <summary>Windows recorded over the machine's life, equally spaced in time.</summary>
    public int Windows { get; init; } = 200;

    /// <summary>Duration of the whole run in hours (window k is recorded at k/(K−1) of it).</summary>
    public double LifeHours { get; init; } = 100;

    /// <summary>First window with a defect, k_on (0 &lt; k_on &lt; K).</summary>
    public int OnsetWindow { get; init; } = 120;

    /// <summary>Defect impact amplitude at onset, d_0.</summary>
    public double InitialSeverity { get; init; } = 0.15;

    /// <summary>Defect impact amplitude in the last window, d_1 (≥ d_0); growth in between is exponential.</summary>
    public double FinalSeverity { get; init; } = 3;

    /// <summary>Structural resonance excited by the impacts, f_n in Hz.</summary>
    public double ResonanceHz { get; init; } = 3000;

    /// <summary>Damping ratio ζ of the resonance (0 &lt; ζ &lt; 1).</summary>
    public double Damping { get; init; } = 0.06;

    /// <summary>Amplitudes A_h of the shaft harmonics h = 1, 2, … (unbalance, misalignment).</summary>
    public IReadOnlyList<double> ShaftHarmonics { get; init; } = [1.0, 0.4, 0.15];

    /// <summary>Relative amplitude a_s of the slow speed variation over the life (and a third of it as window-to-window jitter).</summary>
    public double SpeedVariation { get; init; } = 0.03;

    /// <summary>Relative amplitude a_L of the slow load variation.</summary>
    public double LoadVariation { get; init; } = 0.2;

    /// <summary>Depth m of the amplitude modulation for inner-race and ball defects.</summary>
    public double ModulationDepth { get; init; } = 0.5;

    /// <summary>Relative standard deviation s of the spacing between impacts (rolling elements slip).</summary>
    public double Slip { get; init; } = 0.01;

    /// <summary>Standard deviation σ of the white sensor noise.</summary>
    public double NoiseStd { get; init; } = 0.3;

    /// <summary>Seed of the machine's random numbers (phases, jitter, noise).</summary>
    public int Seed { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that makes no machine.</summary>
    public void Validate()
    {
        Bearing.Validate();
        Fourier.CheckPowerOfTwo(WindowLength, nameof(WindowLength));
        if (!(ShaftHz > 0) || !(SampleRate > 0)) throw new ArgumentException($"Shaft frequency ({ShaftHz} Hz) and sampling rate ({SampleRate} Hz) must be positive.", nameof(ShaftHz));
        if (Windows < 2) throw new ArgumentException($"A run needs at least 2 windows, got {Windows}.", nameof(Windows));
        if (OnsetWindow < 1 || OnsetWindow >= Windows) throw new ArgumentException($"The onset window must lie in [1, {Windows - 1}], got {OnsetWindow}.", nameof(OnsetWindow));
        if (!(InitialSeverity > 0) || !(FinalSeverity >= InitialSeverity)) throw new ArgumentException($"Severities must satisfy 0 < d_0 ≤ d_1, got {InitialSeverity} and {FinalSeverity}.", nameof(FinalSeverity));
        if (!(ResonanceHz > 0 && ResonanceHz < SampleRate / 2)) throw new ArgumentException($"The resonance ({ResonanceHz} Hz) must lie below the Nyquist frequency ({SampleRate / 2} Hz).", nameof(ResonanceHz));
        if (!(Damping > 0 && Damping < 1)) throw new ArgumentException($"The damping ratio must lie in (0, 1), got {Damping}.", nameof(Damping));
        if (!(NoiseStd >= 0) || !(SpeedVariation >= 0 && SpeedVariation < 0.3) || !(LoadVariation >= 0 && LoadVariation < 0.9) || !(ModulationDepth >= 0 && ModulationDepth <= 1) || !(Slip >= 0 && Slip < 0.2))
            throw new ArgumentException("Noise must be ≥ 0, speed variation in [0, 0.3), load variation in [0, 0.9), modulation depth in [0, 1] and slip in [0, 0.2).", nameof(NoiseStd));
        if (!(LifeHours > 0)) throw new ArgumentException($"The life must be positive, got {LifeHours} h.", nameof(LifeHours));
    }
}
