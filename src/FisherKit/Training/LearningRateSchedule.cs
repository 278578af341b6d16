namespace FisherKit.Training;

/// <summary>How the learning rate changes over the epochs of a <see cref="ClassifierTrainer"/> run.</summary>
public enum LearningRateSchedule
{
    /// <summary>The same learning rate in every epoch.</summary>
    Constant,

    /// <summary>Cosine annealing from the initial rate towards 0 over all epochs, stepped once per epoch.</summary>
    Cosine,
}
