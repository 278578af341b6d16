namespace FisherKit.Metrics.Detection;

/// <summary>
/// The empirical-CDF ranks of one score on the inputs of one corruption strength (see
/// <see cref="RankCurve"/>): mean with standard error, median, quartiles, and the fraction of inputs
/// ranked above the alarm rank (e.g. above 0.95, i.e. more unusual than 95 % of clean inputs).
/// </summary>
public sealed record RankCurvePoint(double Strength, int Count, double MeanRank, double StandardError, double MedianRank,
    double LowerQuartile, double UpperQuartile, double FractionAboveAlarm);
