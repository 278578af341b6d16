namespace FisherKit.ActiveLearning.Acquisitions;

/// <summary>
/// The result of a greedy batch design: positions of the chosen candidates in choice order, the gain
/// of the criterion at each step (log-det increase, trace-of-inverse decrease, or smallest-eigenvalue
/// increase), and log det A before and after the batch, the latter accumulated from the rank-K updates
/// by the matrix determinant lemma.
/// </summary>
public sealed record GreedyDesign(int[] Selected, double[] Gains, double InitialLogDet, double FinalLogDet);
