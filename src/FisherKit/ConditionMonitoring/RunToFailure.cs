namespace FisherKit.ConditionMonitoring;

/// <summary>
/// The record of one simulated machine: its windows of vibration samples and, per window, the shaft
/// frequency a tachometer would report, the load, the true defect severity (0 before onset) and the time.
/// </summary>
/// <param name="Machine">The machine that was simulated.</param>
/// <param name="Signals">K windows of N samples each.</param>
/// <param name="ShaftHz">Shaft frequency per window (Hz).</param>
/// <param name="Load">Load factor per window (1 = nominal).</param>
/// <param name="Severity">Defect impact amplitude per window (0 before <see cref="OnsetWindow"/>).</param>
/// <param name="Hours">Time of each window in hours.</param>
public sealed record RunToFailure(MachineSpec Machine, double[][] Signals, double[] ShaftHz, double[] Load, double[] Severity, double[] Hours)
{
    /// <summary>First defective window.</summary>
    public int OnsetWindow => Machine.OnsetWindow;

    /// <summary>Number of windows.</summary>
    public int Count => Signals.Length;

    /// <summary>Whether window <paramref name="k"/> has a defect (the ground-truth label).</summary>
    public bool IsDefective(int k) => k >= OnsetWindow;

    /// <summary>The defect's impact frequency in window <paramref name="k"/> (Hz).</summary>
    public double ImpactHz(int k) => Machine.Bearing.ImpactFrequency(Machine.Location, ShaftHz[k]);
}
