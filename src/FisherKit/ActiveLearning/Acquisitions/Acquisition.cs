namespace FisherKit.ActiveLearning.Acquisitions;

/// <summary>
/// The base of FisherKit's acquisitions. A subclass declares its display name (<see cref="Name"/>), its
/// <see cref="Family"/>, the tasks it is defined for (<see cref="UnsupportedReason"/>) and how it chooses
/// (<see cref="Choose"/>); the base makes the argument checks, in one place for all, so that they give the same
/// errors everywhere. <see cref="Select"/>, in this order:
/// <list type="number">
/// <item>a null context: <see cref="ArgumentNullException"/>;</item>
/// <item>a negative count: <see cref="ArgumentOutOfRangeException"/> naming the acquisition;</item>
/// <item>a task the rule is not defined for: <see cref="NotSupportedException"/> "NAME is not defined for TASK: why; what to use instead";</item>
/// <item>nothing to choose (a count of 0 or no candidates): an empty list, without touching the model;</item>
/// <item>otherwise <see cref="Choose"/> with a count between 1 and the number of candidates. A rule that needs a
/// model asks for it with <see cref="RequireModel{T}"/>: no model gives <see cref="InvalidOperationException"/>,
/// a model of the wrong kind <see cref="NotSupportedException"/>, both naming the acquisition and the interface it needs.</item>
/// </list>
/// What an acquisition returns is checked again by <see cref="Loop.ActiveLearningLoop"/> (distinct, among the
/// candidates, not more than asked for), which holds for any <see cref="IAcquisition"/>.
/// </summary>
public abstract class Acquisition : IAcquisition
{
    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public abstract AcquisitionFamily Family { get; }

    /// <summary>Whether the rule is defined for <paramref name="task"/>.</summary>
    public bool Supports(TaskKind task) => UnsupportedReason(task) is null;

    /// <inheritdoc />
    public IReadOnlyList<long> Select(AcquisitionContext context, int count)
    {
        CheckArguments(context, count);
        count = Math.Min(count, context.Candidates.Count);
        return count == 0 ? [] : Choose(context, count);
    }

    /// <summary>
    /// The choice: <paramref name="count"/> distinct pool indices from the candidates, 1 ≤ count ≤ the number of
    /// candidates; the arguments have been checked.
    /// </summary>
    protected abstract IReadOnlyList<long> Choose(AcquisitionContext context, int count);

    /// <summary>
    /// Null when the rule is defined for <paramref name="task"/> (the default: for both); otherwise why not and what
    /// to use instead, which ends the error message.
    /// </summary>
    protected virtual string? UnsupportedReason(TaskKind task) => null;

    /// <summary>The checks of <see cref="Select"/> (steps 1 to 3), for other public entries such as <see cref="ScoreAcquisition.Score"/>.</summary>
    protected void CheckArguments(AcquisitionContext context, int count = 0)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, $"{Name} was asked for a negative number of points.");
        if (UnsupportedReason(context.Task) is { } why)
            throw new NotSupportedException($"{Name} is not defined for {context.Task.ToString().ToLowerInvariant()}: {why}");
    }

    /// <summary>The context's model as <typeparamref name="T"/> (see <see cref="AcquisitionContext.RequireModel{T}"/>), with this acquisition named in the error.</summary>
    protected T RequireModel<T>(AcquisitionContext context) where T : class => context.RequireModel<T>(Name);
}
