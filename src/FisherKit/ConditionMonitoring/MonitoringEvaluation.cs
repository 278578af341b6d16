using FisherKit.Metrics.Detection;

namespace FisherKit.ConditionMonitoring;

/// <summary>
/// Scores a detector on a run to failure. Windows 0 … T−1 train the detector (and set its threshold); windows
/// T … k_on − 1 are monitored normal windows, k_on … K − 1 defective ones. An alarm is raised at window k when
/// the scores of k and the <c>persistence − 1</c> windows before it all exceed the threshold. Detection delay:
/// from onset to the first alarm at or after onset; false alarms: alarms at monitored windows before onset;
/// AUROC: monitored normal against defective windows (<see cref="DetectionMetrics.Auroc"/>).
/// </summary>
public static class MonitoringEvaluation
{
    /// <summary>Evaluates <paramref name="scores"/> (one per window of <paramref name="run"/>).</summary>
    public static MonitoringResult Evaluate(RunToFailure run, string detector, IReadOnlyList<double> scores, AlarmThreshold threshold, int trainingWindows, int persistence = 1)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(threshold);
        return Evaluate(run.Machine.Name, detector, scores, run.OnsetWindow, run.Hours, threshold, trainingWindows, persistence);
    }

    /// <summary>Evaluates scores of a sequence with the true onset at <paramref name="onset"/> and window times <paramref name="hours"/>.</summary>
    public static MonitoringResult Evaluate(string machine, string detector, IReadOnlyList<double> scores, int onset, IReadOnlyList<double> hours, AlarmThreshold threshold, int trainingWindows, int persistence = 1)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(hours);
        ArgumentNullException.ThrowIfNull(threshold);
        if (hours.Count != scores.Count) throw new ArgumentException($"{scores.Count} scores but {hours.Count} window times.", nameof(hours));
        if (!(trainingWindows >= 1 && trainingWindows < onset && onset < scores.Count))
            throw new ArgumentException($"Need 1 ≤ training windows ({trainingWindows}) < onset ({onset}) < windows ({scores.Count}).", nameof(trainingWindows));
        if (persistence < 1) throw new ArgumentOutOfRangeException(nameof(persistence), persistence, "Persistence must be at least 1.");
        for (int k = trainingWindows; k < scores.Count; k++)   // the training windows' scores are not used here
            if (double.IsNaN(scores[k])) throw new ArgumentException($"The score of window {k} ({machine}, {detector}) is NaN.", nameof(scores));
        var alarm = new bool[scores.Count];
        int run = 0;
        for (int k = trainingWindows; k < scores.Count; k++)
        {
            run = threshold.Alarms(scores[k]) ? run + 1 : 0;
            alarm[k] = run >= persistence;
        }
        int falseAlarms = 0;
        for (int k = trainingWindows; k < onset; k++) if (alarm[k]) falseAlarms++;
        int? detected = null;
        for (int k = onset; k < scores.Count; k++) if (alarm[k]) { detected = k; break; }
        var normal = scores.Skip(trainingWindows).Take(onset - trainingWindows).ToArray();
        var defective = scores.Skip(onset).ToArray();
        return new MonitoringResult(machine, detector, detected, detected - onset, detected is int d ? hours[d] - hours[onset] : null,
            falseAlarms, normal.Length, DetectionMetrics.Auroc(normal, defective));
    }
}
