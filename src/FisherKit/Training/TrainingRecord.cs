namespace FisherKit.Training;

/// <summary>
/// One point of a training run's learning curves. Training loss and accuracy are averages over the
/// mini-batches since the previous record (computed with the network in training mode, i.e. with
/// dropout active); validation values are present only at the end of an epoch, computed in
/// evaluation mode on the whole validation set.
/// </summary>
/// <param name="Epoch">The epoch (1-based) the record belongs to.</param>
/// <param name="Step">Optimiser steps taken so far (mini-batches, counted over all epochs).</param>
/// <param name="EpochProgress">Epochs completed so far as a fraction, e.g. 1.25 a quarter into the second epoch (the x axis of learning curves).</param>
/// <param name="TrainLoss">Mean cross-entropy (nats) of the training samples since the previous record.</param>
/// <param name="TrainAccuracy">Fraction of those samples classified correctly.</param>
/// <param name="ValidationLoss">Mean cross-entropy on the validation set (end of epoch only).</param>
/// <param name="ValidationAccuracy">Accuracy on the validation set (end of epoch only).</param>
/// <param name="LearningRate">The learning rate in use.</param>
/// <param name="ElapsedSeconds">Wall-clock seconds since the run started.</param>
public sealed record TrainingRecord(
    int Epoch,
    long Step,
    double EpochProgress,
    double TrainLoss,
    double TrainAccuracy,
    double? ValidationLoss,
    double? ValidationAccuracy,
    double LearningRate,
    double ElapsedSeconds);
