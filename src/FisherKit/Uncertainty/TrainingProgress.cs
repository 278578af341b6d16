namespace FisherKit.Uncertainty;

/// <summary>What a progress report announces.</summary>
public enum TrainingEvent
{
    /// <summary>One optimisation step finished.</summary>
    Step,

    /// <summary>An epoch finished (validation loss, if any, is set).</summary>
    EpochEnd,

    /// <summary>A model was trained to the end.</summary>
    Finished,

    /// <summary>A model was loaded from the cache instead of trained.</summary>
    LoadedFromCache,
}

/// <summary>
/// A progress report from training: which model (ensemble member), where in the run, the losses
/// so far and the elapsed time, enough to draw learning curves while training runs.
/// </summary>
/// <param name="Event">What happened.</param>
/// <param name="Member">Ensemble member index (0 for a single model).</param>
/// <param name="Epoch">Current epoch, 1-based.</param>
/// <param name="Epochs">Total epochs.</param>
/// <param name="Step">Optimisation steps so far in this run.</param>
/// <param name="StepsPerEpoch">Steps per epoch.</param>
/// <param name="StepLoss">Loss of the last step (NaN for epoch-level events without steps).</param>
/// <param name="TrainLoss">Mean training loss over the epoch so far.</param>
/// <param name="ValidationLoss">Validation loss at the end of the epoch, or null.</param>
/// <param name="Elapsed">Wall time since this model's training started.</param>
public sealed record TrainingProgress(TrainingEvent Event, int Member, int Epoch, int Epochs, long Step, int StepsPerEpoch, double StepLoss, double TrainLoss, double? ValidationLoss, TimeSpan Elapsed);

/// <summary>An <see cref="IProgress{T}"/> that calls its handler synchronously on the training thread (unlike <see cref="Progress{T}"/>).</summary>
/// <typeparam name="T">The report type.</typeparam>
public sealed class SyncProgress<T>(Action<T> handler) : IProgress<T>
{
    private readonly Action<T> _handler = handler ?? throw new ArgumentNullException(nameof(handler));

    /// <summary>Invokes the handler.</summary>
    public void Report(T value) => _handler(value);
}
