namespace FisherKit.Metrics.Detection;

/// <summary>
/// How well one score separates clean from unusual inputs: AUROC, AUPR (unusual = positive) and FPR at
/// 95 % TPR, each with a bootstrap confidence interval.
/// </summary>
/// <param name="Score">The score's name.</param>
/// <param name="Negatives">Number of clean inputs.</param>
/// <param name="Positives">Number of unusual inputs.</param>
/// <param name="Auroc">Area under the ROC curve (higher is better).</param>
/// <param name="Aupr">Average precision with unusual inputs as positives (higher is better).</param>
/// <param name="Fpr95">False-positive rate at 95 % true-positive rate (lower is better).</param>
public sealed record DetectionSummary(string Score, int Negatives, int Positives, ConfidenceInterval Auroc, ConfidenceInterval Aupr, ConfidenceInterval Fpr95);
