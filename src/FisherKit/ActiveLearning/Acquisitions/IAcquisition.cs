namespace FisherKit.ActiveLearning.Acquisitions;

/// <summary>
/// Chooses which pool points to label next. Every acquisition and every initial-sample strategy
/// implements this one interface; with an empty labelled set it acts as an initial strategy. FisherKit's
/// acquisitions derive from <see cref="Acquisition"/>, which makes the argument checks for all of them.
/// </summary>
public interface IAcquisition
{
    /// <summary>The display name, for tables, plots and error messages (e.g. "BALD", "D-optimal (last layer)").</summary>
    string Name { get; }

    /// <summary>What kind of information the acquisition chooses by (see <see cref="AcquisitionFamily"/>).</summary>
    AcquisitionFamily Family { get; }

    /// <summary>
    /// Up to <paramref name="count"/> distinct pool indices taken from <see cref="AcquisitionContext.Candidates"/>,
    /// in the order chosen (fewer only when there are fewer candidates).
    /// </summary>
    IReadOnlyList<long> Select(AcquisitionContext context, int count);
}
