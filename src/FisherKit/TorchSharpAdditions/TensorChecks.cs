using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.TorchSharpAdditions;

/// <summary>
/// Argument checks made before calling TorchSharp, so that bad input becomes an
/// <see cref="ArgumentException"/> naming the problem. Some libtorch errors abort the process in
/// TorchSharp 0.107 instead of throwing (<c>matmul</c> with mismatched shapes, every error inside
/// <c>autograd.grad</c>); FisherKit checks before those calls.
/// </summary>
public static class TensorChecks
{
    /// <summary>"[2, 3, 28, 28]".</summary>
    public static string Shape(long[] shape) => "[" + string.Join(", ", shape) + "]";

    /// <summary>"[2, 3, 28, 28]" for a tensor.</summary>
    public static string Shape(Tensor t) => Shape(t.shape);

    /// <summary>Throws <see cref="ObjectDisposedException"/> for a disposed tensor and <see cref="ArgumentNullException"/> for null.</summary>
    public static void Alive(Tensor? t, string name)
    {
        ArgumentNullException.ThrowIfNull(t, name);
        if (t.IsInvalid) throw new ObjectDisposedException(name, $"The tensor '{name}' has been disposed (or was never valid).");
    }

    /// <summary>
    /// Throws unless <c>a.matmul(b)</c> is defined: both of rank ≥ 1, inner dimensions equal and
    /// batch dimensions broadcastable, same dtype and device, not Bool. TorchSharp aborts the process
    /// on each of these instead of throwing.
    /// </summary>
    public static void MatMul(Tensor a, Tensor b, string nameA = "a", string nameB = "b")
    {
        Alive(a, nameA);
        Alive(b, nameB);
        var sa = a.shape;
        var sb = b.shape;
        if (sa.Length == 0 || sb.Length == 0)
            throw new ArgumentException($"matmul needs tensors of rank ≥ 1; got {nameA} {Shape(sa)} and {nameB} {Shape(sb)}.");
        long inner = sa[^1];
        long other = sb.Length == 1 ? sb[0] : sb[^2];
        if (inner != other)
            throw new ArgumentException($"matmul: {nameA} {Shape(sa)} and {nameB} {Shape(sb)} cannot be multiplied ({inner} ≠ {other}).");
        var batchA = sa.Length > 2 ? sa[..^2] : [];
        var batchB = sb.Length > 2 ? sb[..^2] : [];
        for (int i = 1; i <= Math.Min(batchA.Length, batchB.Length); i++)
        {
            long x = batchA[^i], y = batchB[^i];
            if (x != y && x != 1 && y != 1)
                throw new ArgumentException($"matmul: the batch dimensions of {nameA} {Shape(sa)} and {nameB} {Shape(sb)} do not broadcast.");
        }
        SameKind(a, b, nameA, nameB);
        if (a.dtype == ScalarType.Bool)
            throw new ArgumentException($"matmul is not implemented for Bool tensors ({nameA} and {nameB}); convert them first, e.g. to int64.");
    }

    /// <summary>Throws unless both tensors have the same dtype and device.</summary>
    public static void SameKind(Tensor a, Tensor b, string nameA = "a", string nameB = "b")
    {
        if (a.dtype != b.dtype)
            throw new ArgumentException($"{nameA} is {a.dtype} but {nameB} is {b.dtype}; convert one of them first.");
        if (a.device.ToString() != b.device.ToString())
            throw new ArgumentException($"{nameA} is on {a.device} but {nameB} is on {b.device}; move one of them first.");
    }

    /// <summary>Throws unless <paramref name="t"/> is a floating-point tensor.</summary>
    public static void FloatingPoint(Tensor t, string name)
    {
        Alive(t, name);
        if (!t.is_floating_point()) throw new ArgumentException($"{name} must be a floating-point tensor; got {t.dtype}.", name);
    }

    /// <summary>Throws unless every element of <paramref name="t"/> is finite (no NaN or ±∞).</summary>
    public static void Finite(Tensor t, string name)
    {
        Alive(t, name);
        if (!t.is_floating_point()) return;
        using var scope = NewDisposeScope();
        if (!t.isfinite().all().item<bool>())
            throw new ArgumentException($"{name} contains NaN or infinite values.", name);
    }

    /// <summary>The index of the first row (entry of dimension 0) holding a NaN or infinite value, or −1 when every row is finite.</summary>
    public static long FirstNonFiniteRow(Tensor t)
    {
        Alive(t, nameof(t));
        if (!t.is_floating_point() || t.numel() == 0) return -1;
        using var scope = NewDisposeScope();
        var finite = t.isfinite().reshape(t.shape[0], -1).all(1);
        return finite.all().item<bool>() ? -1 : finite.logical_not().nonzero()[0, 0].item<long>();
    }

    /// <summary>Throws unless <paramref name="logits"/> is a floating-point (N, C) tensor with C ≥ 2.</summary>
    public static void Logits(Tensor logits, string name)
    {
        Alive(logits, name);
        if (logits.ndim != 2 || logits.size(1) < 2)
            throw new ArgumentException($"Expected logits of shape (N, C) with C >= 2 classes; got {Shape(logits)}.", name);
        if (!logits.is_floating_point())
            throw new ArgumentException($"Expected floating-point logits; got {logits.dtype}.", name);
    }

    /// <summary>Throws unless inputs and labels form a batch: (N, ...) floating point and (N) int64.</summary>
    public static void Batch(Tensor inputs, Tensor labels)
    {
        Alive(inputs, nameof(inputs));
        Alive(labels, nameof(labels));
        if (inputs.ndim < 2) throw new ArgumentException($"Inputs must have a batch dimension, (N, ...); got {Shape(inputs)}.", nameof(inputs));
        if (!inputs.is_floating_point()) throw new ArgumentException($"Inputs must be floating point; got {inputs.dtype}.", nameof(inputs));
        if (labels.ndim != 1 || labels.dtype != ScalarType.Int64)
            throw new ArgumentException($"Labels must be a 1-D int64 tensor; got {Shape(labels)} of {labels.dtype}.", nameof(labels));
        if (labels.size(0) != inputs.size(0))
            throw new ArgumentException($"{inputs.size(0)} inputs but {labels.size(0)} labels.", nameof(labels));
    }
}
