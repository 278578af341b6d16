namespace FisherKit.Training;

/// <summary>
/// One point of a run's learning curves. A record is made every <see cref="TrainingOptions.RecordEvery"/>
/// mini-batches within an epoch and at the end of every epoch. Training loss and accuracy are averages over
/// the mini-batches since the previous record (computed with the network in training mode, i.e. with
/// dropout active); the record at an epoch's end also carries the averages over the whole epoch and the
/// validation values, computed in evaluation mode on the whole validation set.
/// </summary>
/// <param name="Epoch">The epoch (1-based) the record belongs to.</param>
/// <param name="Step">Optimiser steps taken so far (mini-batches, counted over all epochs).</param>
/// <param name="EpochProgress">Epochs completed so far as a fraction, e.g. 1.25 a quarter into the second epoch (the x axis of learning curves).</param>
/// <param name="TrainLoss">Mean training loss of the samples since the previous record (the loss in <see cref="TrainingHistory.Loss"/>, or its warm-up loss).</param>
/// <param name="TrainAccuracy">Fraction of those samples classified correctly (classification losses only).</param>
/// <param name="ValidationLoss">Mean loss on the validation set (end of epoch only).</param>
/// <param name="ValidationAccuracy">Accuracy on the validation set (end of epoch, classification only).</param>
/// <param name="LearningRate">The learning rate in use.</param>
/// <param name="ElapsedSeconds">Wall-clock seconds since the run started.</param>
public sealed record TrainingRecord(
    int Epoch,
    long Step,
    double EpochProgress,
    double TrainLoss,
    double? TrainAccuracy,
    double? ValidationLoss,
    double? ValidationAccuracy,
    double LearningRate,
    double ElapsedSeconds)
{
    /// <summary>True for the record made at the end of an epoch.</summary>
    public bool EndOfEpoch { get; init; }

    /// <summary>Mean training loss over the whole epoch (end-of-epoch records only).</summary>
    public double? EpochTrainLoss { get; init; }

    /// <summary>Training accuracy over the whole epoch (end-of-epoch records of classification losses only).</summary>
    public double? EpochTrainAccuracy { get; init; }

    /// <summary>True when the epoch trained with the loss's warm-up (<see cref="TrainingOptions.WarmupEpochs"/>): losses are then the warm-up's.</summary>
    public bool WarmUp { get; init; }
}
