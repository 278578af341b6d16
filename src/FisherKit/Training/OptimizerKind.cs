namespace FisherKit.Training;

/// <summary>The optimiser a <see cref="TrainingLoop"/> run uses (<see cref="TrainingOptions.Optimizer"/>).</summary>
public enum OptimizerKind
{
    /// <summary>
    /// Adam (Kingma &amp; Ba 2015) with β = (0.9, 0.999): TorchSharp's update, operation for operation and bit for bit, with
    /// held Scalars (<see cref="TorchSharpAdditions.FusedAdam"/> with <c>OnePass = false</c>; README, "Implicit Scalars and other threads").
    /// </summary>
    Adam,

    /// <summary>Stochastic gradient descent with <see cref="TrainingOptions.Momentum"/>.</summary>
    Sgd,

    /// <summary>
    /// Adam as <see cref="Adam"/>, each contiguous float32/float64 CPU tensor updated in one pass in C#
    /// (<see cref="TorchSharpAdditions.FusedAdam"/>) instead of TorchSharp's eight libtorch passes. It pays where the
    /// update is a large part of a step: small batches (`bench/README.md`, the Adam and batch-1 rows of `kernels`).
    /// Not the default: it rounds the square root correctly where libtorch's float32 <c>sqrt</c> does not, so the
    /// weights differ from <see cref="Adam"/>'s in their last bits.
    /// </summary>
    FusedAdam,
}
