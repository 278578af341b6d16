namespace FisherKit.ActiveLearning.Loop;

/// <summary>One point of a mean learning curve: the metric over seeds at a number of labels (mean, sample standard deviation, extremes, seed count).</summary>
public sealed record CurvePoint(string Method, int Labels, double Mean, double StdDev, double Min, double Max, int Seeds);
