using FisherKit.ActiveLearning.Acquisitions;
using FisherKit.ActiveLearning.Learners;

namespace FisherKit.ActiveLearning.Loop;

/// <summary>
/// A method of an experiment, declared once: its name in the records, its acquisition (which carries the display
/// name and the <see cref="Family"/>), its model factory and, optionally, its own initial strategy (null: the
/// experiment's shared <see cref="LoopOptions.Initial"/>). The protocols in <c>FisherKit.ActiveLearning.Experiments</c>
/// list their methods as these objects, and tables and figures take names, families and order from them.
/// </summary>
/// <param name="Name">The method's name in records, tables and checkpoints.</param>
/// <param name="Acquisition">The acquisition of every round after the initial set.</param>
/// <param name="ModelFactory">A fresh model for a seed.</param>
/// <param name="Initial">The method's own initial strategy, or null for the experiment's shared one.</param>
public sealed record MethodSpec(string Name, IAcquisition Acquisition, Func<long, IActiveModel> ModelFactory, IAcquisition? Initial = null)
{
    /// <summary>A method named after its acquisition's display name unless <paramref name="name"/> is given (e.g. the name a paper uses).</summary>
    public MethodSpec(IAcquisition acquisition, Func<long, IActiveModel> modelFactory, IAcquisition? initial = null, string? name = null)
        : this(name ?? (acquisition ?? throw new ArgumentNullException(nameof(acquisition))).Name, acquisition, modelFactory, initial)
    {
    }

    /// <summary>The family of the method's acquisition.</summary>
    public AcquisitionFamily Family => Acquisition.Family;
}
