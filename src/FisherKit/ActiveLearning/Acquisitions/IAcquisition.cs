namespace FisherKit.ActiveLearning.Acquisitions;

/// <summary>
/// Chooses which pool points to label next. Every acquisition and every initial-sample strategy
/// implements this one interface; with an empty labelled set it acts as an initial strategy.
/// </summary>
public interface IAcquisition
{
    /// <summary>A short name for tables and plots.</summary>
    string Name { get; }

    /// <summary>
    /// Up to <paramref name="count"/> distinct pool indices taken from <see cref="AcquisitionContext.Candidates"/>,
    /// in the order chosen (fewer only when there are fewer candidates).
    /// </summary>
    IReadOnlyList<long> Select(AcquisitionContext context, int count);
}
