namespace FisherKit.ConditionMonitoring;

/// <summary>
/// How one detector did on one run-to-failure record (<c>MonitoringEvaluation.Evaluate</c>).
/// </summary>
/// <param name="Machine">Machine name.</param>
/// <param name="Detector">Detector name.</param>
/// <param name="DetectionWindow">First window at or after onset that starts an alarm (null: never detected).</param>
/// <param name="DelayWindows">Windows from onset to detection (null: never).</param>
/// <param name="DelayHours">Hours from onset to detection (null: never).</param>
/// <param name="FalseAlarms">Alarms among the monitored windows before onset.</param>
/// <param name="MonitoredNormalWindows">Windows before onset that were monitored (those after the training period).</param>
/// <param name="Auroc">Area under the ROC curve, monitored normal windows against defective ones.</param>
public sealed record MonitoringResult(string Machine, string Detector, int? DetectionWindow, int? DelayWindows, double? DelayHours,
    int FalseAlarms, int MonitoredNormalWindows, double Auroc)
{
    /// <summary>False alarms per monitored normal window.</summary>
    public double FalseAlarmRate => MonitoredNormalWindows > 0 ? FalseAlarms / (double)MonitoredNormalWindows : double.NaN;
}
