namespace FisherKit.ConditionMonitoring;

/// <summary>Where a bearing's defect sits; sets its impact rate and modulation (<see cref="BearingGeometry"/>).</summary>
public enum DefectLocation
{
    /// <summary>A spall on the fixed outer race: impacts at BPFO, constant amplitude.</summary>
    OuterRace,

    /// <summary>A spall on the rotating inner race: impacts at BPFI, amplitude modulated at the shaft frequency.</summary>
    InnerRace,

    /// <summary>A spall on a rolling element: impacts at 2·BSF, amplitude modulated at the cage frequency.</summary>
    Ball,
}
