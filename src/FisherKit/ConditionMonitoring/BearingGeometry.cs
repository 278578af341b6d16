namespace FisherKit.ConditionMonitoring;

/// <summary>
/// Geometry of a rolling-element bearing and its characteristic defect frequencies (kinematic formulas,
/// no slip). With n rolling elements of diameter d on a pitch circle of diameter D, contact angle φ and
/// shaft (inner-race) rotation frequency f_r against a fixed outer race, and ρ = (d/D)·cos φ:
/// <list type="bullet">
/// <item>ball pass frequency, outer race: BPFO = (n/2)·f_r·(1 − ρ);</item>
/// <item>ball pass frequency, inner race: BPFI = (n/2)·f_r·(1 + ρ);</item>
/// <item>fundamental train (cage) frequency: FTF = (f_r/2)·(1 − ρ);</item>
/// <item>ball spin frequency: BSF = (D/(2d))·f_r·(1 − ρ²) (a spall on a ball hits both races, so its impacts
/// come at 2·BSF).</item>
/// </list>
/// </summary>
/// <param name="Balls">Number of rolling elements n (at least 3).</param>
/// <param name="BallDiameter">Rolling-element diameter d (any length unit, the same as <paramref name="PitchDiameter"/>).</param>
/// <param name="PitchDiameter">Pitch diameter D (greater than d).</param>
/// <param name="ContactAngleDegrees">Contact angle φ in degrees (0 for a deep-groove ball bearing under radial load).</param>
public sealed record BearingGeometry(int Balls, double BallDiameter, double PitchDiameter, double ContactAngleDegrees = 0)
{
    /// <summary>The SKF 6205-2RS deep-groove ball bearing (9 balls, d = 7.94 mm, D = 39.04 mm), as in the Case Western Reserve bearing data.</summary>
    public static BearingGeometry Skf6205 { get; } = new(9, 7.94, 39.04);

    /// <summary>The SKF 6203 (8 balls, d = 6.75 mm, D = 28.5 mm).</summary>
    public static BearingGeometry Skf6203 { get; } = new(8, 6.75, 28.5);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first value that makes no bearing.</summary>
    public void Validate()
    {
        if (Balls < 3) throw new ArgumentException($"A bearing needs at least 3 rolling elements, got {Balls}.", nameof(Balls));
        if (!(BallDiameter > 0) || double.IsInfinity(BallDiameter)) throw new ArgumentException($"The ball diameter must be positive and finite, got {BallDiameter}.", nameof(BallDiameter));
        if (!(PitchDiameter > BallDiameter) || double.IsInfinity(PitchDiameter))
            throw new ArgumentException($"The pitch diameter ({PitchDiameter}) must be finite and larger than the ball diameter ({BallDiameter}).", nameof(PitchDiameter));
        if (!(ContactAngleDegrees >= 0 && ContactAngleDegrees < 90)) throw new ArgumentException($"The contact angle must lie in [0°, 90°), got {ContactAngleDegrees}°.", nameof(ContactAngleDegrees));
    }

    /// <summary>ρ = (d/D)·cos φ.</summary>
    public double Ratio => BallDiameter / PitchDiameter * Math.Cos(ContactAngleDegrees * Math.PI / 180);

    /// <summary>Outer-race ball pass frequency at shaft frequency <paramref name="shaftHz"/> (Hz).</summary>
    public double Bpfo(double shaftHz) => Checked(shaftHz) * Balls / 2.0 * (1 - Ratio);

    /// <summary>Inner-race ball pass frequency at shaft frequency <paramref name="shaftHz"/> (Hz).</summary>
    public double Bpfi(double shaftHz) => Checked(shaftHz) * Balls / 2.0 * (1 + Ratio);

    /// <summary>Cage (fundamental train) frequency at shaft frequency <paramref name="shaftHz"/> (Hz).</summary>
    public double Ftf(double shaftHz) => Checked(shaftHz) / 2.0 * (1 - Ratio);

    /// <summary>Ball spin frequency at shaft frequency <paramref name="shaftHz"/> (Hz).</summary>
    public double Bsf(double shaftHz) => Checked(shaftHz) * PitchDiameter / (2 * BallDiameter) * (1 - Ratio * Ratio);

    /// <summary>
    /// The rate of impacts of a defect at <paramref name="location"/>: BPFO, BPFI, or 2·BSF for a ball (it
    /// strikes both races once per spin turn).
    /// </summary>
    public double ImpactFrequency(DefectLocation location, double shaftHz) => location switch
    {
        DefectLocation.OuterRace => Bpfo(shaftHz),
        DefectLocation.InnerRace => Bpfi(shaftHz),
        DefectLocation.Ball => 2 * Bsf(shaftHz),
        _ => throw new ArgumentOutOfRangeException(nameof(location), location, "Unknown defect location."),
    };

    /// <summary>
    /// The frequency that modulates the impacts' amplitude: none for the fixed outer race (0), the shaft
    /// frequency for the inner race (the defect turns through the load zone), the cage frequency for a ball.
    /// </summary>
    public double ModulationFrequency(DefectLocation location, double shaftHz) => location switch
    {
        DefectLocation.OuterRace => 0,
        DefectLocation.InnerRace => Checked(shaftHz),
        DefectLocation.Ball => Ftf(shaftHz),
        _ => throw new ArgumentOutOfRangeException(nameof(location), location, "Unknown defect location."),
    };

    private double Checked(double shaftHz)
    {
        Validate();
        if (!(shaftHz > 0) || double.IsInfinity(shaftHz)) throw new ArgumentOutOfRangeException(nameof(shaftHz), shaftHz, "The shaft frequency must be positive and finite.");
        return shaftHz;
    }
}
