namespace FisherKit.ActiveLearning.Learners;

/// <summary>How a <see cref="NetworkModel"/> is trained on the labelled set (Adam, mini-batches, a fixed number of epochs).</summary>
public sealed record NetworkTrainingOptions
{
    /// <summary>Passes over the labelled set.</summary>
    public int Epochs { get; init; } = 50;

    /// <summary>Mini-batch size.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>At least this many optimiser steps, whatever the labelled set's size (small sets would otherwise get very few).</summary>
    public int MinSteps { get; init; }

    /// <summary>Adam learning rate.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Adam's L2 coefficient (added to the gradient as weight_decay·θ), or a function of the labelled-set size n (e.g. Gal et al.'s 3.5/n).</summary>
    public double WeightDecay { get; init; }

    /// <summary>When set, the weight decay is this constant divided by the number of labelled points (overrides <see cref="WeightDecay"/>).</summary>
    public double? WeightDecayPerPoint { get; init; }

    /// <summary>
    /// Split each epoch into mini-batches of equal size (at most <see cref="BatchSize"/>) instead of full
    /// batches and a remainder. Off by default, as in Keras and PyTorch's DataLoader (and so in the
    /// published protocols). With it off, 130 points in batches of 128 make every epoch, and so the
    /// training, end with an Adam step on 2 points, which can cost a small network several points of
    /// accuracy (notebook 04 measures it).
    /// </summary>
    public bool EqualBatches { get; init; }

    /// <summary>Inputs per forward pass when predicting.</summary>
    public int PredictBatchSize { get; init; } = 1024;

    /// <summary>Checks the values; throws ArgumentOutOfRangeException naming the first bad one.</summary>
    public void Validate()
    {
        if (Epochs < 0) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "must be ≥ 0");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "must be ≥ 1");
        if (MinSteps < 0) throw new ArgumentOutOfRangeException(nameof(MinSteps), MinSteps, "must be ≥ 0");
        if (!(LearningRate > 0)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "must be > 0");
        if (WeightDecay < 0) throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, "must be ≥ 0");
        if (WeightDecayPerPoint < 0) throw new ArgumentOutOfRangeException(nameof(WeightDecayPerPoint), WeightDecayPerPoint, "must be ≥ 0");
        if (PredictBatchSize < 1) throw new ArgumentOutOfRangeException(nameof(PredictBatchSize), PredictBatchSize, "must be ≥ 1");
    }
}
