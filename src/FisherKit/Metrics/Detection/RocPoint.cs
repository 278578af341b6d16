namespace FisherKit.Metrics.Detection;

/// <summary>
/// One point of a ROC curve: flagging every input with score ≥ <paramref name="Threshold"/> as unusual
/// gives false-positive rate <paramref name="Fpr"/> (clean inputs flagged) and true-positive rate
/// <paramref name="Tpr"/> (unusual inputs flagged).
/// </summary>
public sealed record RocPoint(double Threshold, double Fpr, double Tpr);
