namespace FisherKit.Metrics.Detection;

/// <summary>One point of a precision–recall curve at threshold <paramref name="Threshold"/> (unusual = positive).</summary>
public sealed record PrPoint(double Threshold, double Recall, double Precision);
