namespace FisherKit.Training;

/// <summary>What a <see cref="TrainingProgress"/> report announces.</summary>
public enum TrainingEvent
{
    /// <summary>One optimiser step finished (<see cref="TrainingProgress.StepLoss"/> is its loss).</summary>
    Step,

    /// <summary>A learning-curve record within an epoch was added (every <see cref="TrainingOptions.RecordEvery"/> steps).</summary>
    Record,

    /// <summary>An epoch finished: its record, with the validation values, was added.</summary>
    EpochEnd,

    /// <summary>The run trained to the end.</summary>
    Finished,

    /// <summary>The model was loaded from the cache instead of trained; the history is the one recorded when it was trained.</summary>
    LoadedFromCache,
}

/// <summary>
/// A report from a training run (<see cref="TrainingLoop"/>) to any <see cref="IProgress{T}"/>: which
/// model (ensemble member), where in the run, the loss of the last step, and the learning curves so far,
/// enough to draw them while the run goes on (<see cref="TrainingCurves.Live"/>). Reports come
/// synchronously on the training thread when the sink is a <see cref="ProgressCallback{T}"/>.
/// </summary>
/// <param name="Event">What happened.</param>
/// <param name="Member">Ensemble member index (0 for a single model).</param>
/// <param name="Epoch">Current epoch, 1-based.</param>
/// <param name="Epochs">Epochs of the run.</param>
/// <param name="Step">Optimiser steps so far in this run.</param>
/// <param name="Steps">Optimiser steps of the whole run.</param>
/// <param name="StepLoss">Loss of the last step (NaN for the other events).</param>
/// <param name="History">The learning curves so far (the same object throughout the run; the final one when loaded).</param>
/// <param name="Elapsed">Wall time since this run started.</param>
public sealed record TrainingProgress(TrainingEvent Event, int Member, int Epoch, int Epochs, long Step, long Steps, double StepLoss, TrainingHistory History, TimeSpan Elapsed)
{
    /// <summary>The record this report announces (<see cref="TrainingEvent.Record"/>, <see cref="TrainingEvent.EpochEnd"/>), else the latest one (null before the first).</summary>
    public TrainingRecord? Record => History.Last;
}

/// <summary>
/// An <see cref="IProgress{T}"/> that calls its action synchronously on the reporting thread (unlike
/// <see cref="Progress{T}"/>, which posts to a synchronisation context): what a notebook needs to redraw a
/// learning curve after each record or round.
/// </summary>
/// <typeparam name="T">The report type.</typeparam>
public sealed class ProgressCallback<T>(Action<T> action) : IProgress<T>
{
    private readonly Action<T> _action = action ?? throw new ArgumentNullException(nameof(action));

    /// <inheritdoc />
    public void Report(T value) => _action(value);
}
