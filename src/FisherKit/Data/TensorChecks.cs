using FisherKit.Torch;
using static FisherKit.Torch.torch;

namespace FisherKit.Data;

/// <summary>Argument checks and shape text shared by the data, attack, detection and evaluation code.</summary>
internal static class TensorChecks
{
    /// <summary>"[2, 3, 28, 28]".</summary>
    internal static string Shape(long[] shape) => "[" + string.Join(", ", shape) + "]";

    /// <summary>"[2, 3, 28, 28]" for a tensor.</summary>
    internal static string Shape(Tensor t) => Shape(t.shape);

    /// <summary>Throws unless <paramref name="logits"/> is a floating-point (N, C) tensor with C ≥ 2.</summary>
    internal static void Logits(Tensor logits, string name)
    {
        ArgumentNullException.ThrowIfNull(logits, name);
        if (logits.ndim != 2 || logits.size(1) < 2)
            throw new ArgumentException($"Expected logits of shape (N, C) with C >= 2 classes; got {Shape(logits)}.", name);
        if (!logits.dtype.IsFloatingPoint())
            throw new ArgumentException($"Expected floating-point logits; got {logits.dtype.Name()}.", name);
    }

    /// <summary>Throws unless images and labels form a batch: (N, ...) floating point and (N) int64.</summary>
    internal static void Batch(Tensor inputs, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(labels);
        if (inputs.ndim < 2) throw new ArgumentException($"Inputs must have a batch dimension, (N, ...); got {Shape(inputs)}.", nameof(inputs));
        if (!inputs.dtype.IsFloatingPoint()) throw new ArgumentException($"Inputs must be floating point; got {inputs.dtype.Name()}.", nameof(inputs));
        if (labels.ndim != 1 || labels.dtype != ScalarType.Int64)
            throw new ArgumentException($"Labels must be a 1-D int64 tensor; got {Shape(labels)} of {labels.dtype.Name()}.", nameof(labels));
        if (labels.size(0) != inputs.size(0))
            throw new ArgumentException($"{inputs.size(0)} inputs but {labels.size(0)} labels.", nameof(labels));
    }
}
