namespace FisherKit.ActiveLearning.Loop;

/// <summary>One tidy result row: after round <paramref name="Round"/> of <paramref name="Method"/> with <paramref name="Seed"/>, with <paramref name="Labels"/> labelled points, <paramref name="Metric"/> was <paramref name="Value"/>.</summary>
public sealed record ResultRecord(string Method, long Seed, int Round, int Labels, string Metric, double Value);
