namespace FisherKit.Training;

/// <summary>How the learning rate changes over the epochs of a <see cref="TrainingLoop"/> run (<see cref="TrainingOptions.Schedule"/>).</summary>
public enum LearningRateSchedule
{
    /// <summary>The same learning rate in every epoch.</summary>
    Constant,

    /// <summary>
    /// Cosine annealing towards 0, set at the start of every epoch: epoch e (1-based) of E trains with
    /// lr·½(1 + cos(π(e − 1)/E)), E the epochs of the run (PyTorch's <c>CosineAnnealingLR(T_max = E)</c>
    /// stepped once per epoch, in its closed form).
    /// </summary>
    Cosine,
}
