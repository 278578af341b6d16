using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.ActiveLearning;

/// <summary>
/// The data of a pool-based active-learning problem: the pool inputs (N, ...), their targets when the
/// ground truth is known (simulation, benchmark data; the default oracle reads them), and an optional
/// test set. PoolData references the tensors it is given; it does not dispose them.
/// </summary>
public sealed class PoolData
{
    /// <summary>Checks shapes, dtypes and labels, and keeps references to the tensors.</summary>
    /// <param name="inputs">Pool inputs, first dimension = pool size.</param>
    /// <param name="targets">Pool targets (int64 labels for classification; (N) or (N, D) floats for regression), or null when only an oracle knows them.</param>
    /// <param name="task">Classification or regression.</param>
    /// <param name="classes">Number of classes (classification only).</param>
    /// <param name="testInputs">Held-out test inputs, or null.</param>
    /// <param name="testTargets">Held-out test targets, or null.</param>
    public PoolData(Tensor inputs, Tensor? targets, TaskKind task, int classes = 0, Tensor? testInputs = null, Tensor? testTargets = null)
    {
        TensorChecks.Alive(inputs, nameof(inputs));
        if (inputs.ndim < 2) throw new ArgumentException($"Pool inputs need shape (N, features...), got {TensorChecks.Shape(inputs.shape)}.", nameof(inputs));
        if (inputs.shape[0] < 1) throw new ArgumentException("The pool is empty.", nameof(inputs));
        if (!inputs.is_floating_point()) throw new ArgumentException($"Pool inputs must be floating point, got {inputs.dtype}.", nameof(inputs));
        if (task == TaskKind.Classification && classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), classes, "A classification pool needs at least 2 classes.");
        if ((testInputs is null) != (testTargets is null)) throw new ArgumentException("Give both test inputs and test targets, or neither.", nameof(testTargets));
        CheckFinite(inputs, "Pool inputs", nameof(inputs));
        Inputs = inputs;
        Targets = targets;
        Task = task;
        Classes = task == TaskKind.Classification ? classes : 0;
        TestInputs = testInputs;
        TestTargets = testTargets;
        if (targets is not null) CheckTargets(targets, inputs.shape[0], nameof(targets));
        if (testInputs is not null)
        {
            TensorChecks.Alive(testInputs, nameof(testInputs));
            if (!testInputs.shape.Skip(1).SequenceEqual(inputs.shape.Skip(1)))
                throw new ArgumentException($"Test inputs {TensorChecks.Shape(testInputs.shape)} do not match the pool inputs' feature shape {TensorChecks.Shape(inputs.shape)}.", nameof(testInputs));
            CheckFinite(testInputs, "Test inputs", nameof(testInputs));
            CheckTargets(testTargets!, testInputs.shape[0], nameof(testTargets));
        }
    }

    /// <summary>A classification pool with labels (N) in [0, classes).</summary>
    public static PoolData Classification(Tensor inputs, Tensor labels, int classes, Tensor? testInputs = null, Tensor? testLabels = null) =>
        new(inputs, labels, TaskKind.Classification, classes, testInputs, testLabels);

    /// <summary>A regression pool with targets (N) or (N, D).</summary>
    public static PoolData Regression(Tensor inputs, Tensor targets, Tensor? testInputs = null, Tensor? testTargets = null) =>
        new(inputs, targets, TaskKind.Regression, 0, testInputs, testTargets);

    /// <summary>Pool inputs (N, ...).</summary>
    public Tensor Inputs { get; }

    /// <summary>Pool targets when known, else null.</summary>
    public Tensor? Targets { get; }

    /// <summary>Classification or regression.</summary>
    public TaskKind Task { get; }

    /// <summary>Number of classes (0 for regression).</summary>
    public int Classes { get; }

    /// <summary>Test inputs, or null.</summary>
    public Tensor? TestInputs { get; }

    /// <summary>Test targets, or null.</summary>
    public Tensor? TestTargets { get; }

    /// <summary>Pool size N.</summary>
    public long Count => Inputs.shape[0];

    private string? _fingerprint;

    /// <summary>The content hash of the pool and test tensors (<see cref="Training.DataFingerprint"/>), computed once: part of checkpoint keys.</summary>
    public string Fingerprint => _fingerprint ??= Training.DataFingerprint.Of(Inputs, Targets, TestInputs, TestTargets);

    /// <summary>The pool inputs at the given indices (a new tensor).</summary>
    public Tensor InputsAt(IReadOnlyList<long> indices)
    {
        if (Inputs.IsInvalid) throw new ObjectDisposedException(nameof(Inputs), "The pool's input tensor has been disposed; PoolData references the tensors it is given, so keep them alive while the pool is used.");
        using var scope = NewDisposeScope();
        using var idx = tensor(indices.ToArray());
        return scope.MoveToOuter(Inputs.index_select(0, idx.to(Inputs.device)));
    }

    /// <summary>
    /// Throws unless <paramref name="y"/> holds valid targets of this pool's task for <paramref name="count"/> points:
    /// int64 labels (N) in [0, <see cref="Classes"/>), or finite floating-point (N) or (N, D) regression targets.
    /// The loop checks what an oracle returns with it, before the labels reach the labelled set.
    /// </summary>
    public void CheckTargets(Tensor y, long count, string name)
    {
        TensorChecks.Alive(y, name);
        if (y.ndim < 1 || y.shape[0] != count)
            throw new ArgumentException($"Targets {TensorChecks.Shape(y.shape)} do not match {count} inputs.", name);
        if (Task == TaskKind.Classification)
        {
            if (y.ndim != 1 || y.dtype != ScalarType.Int64) throw new ArgumentException($"Class labels must be int64 of shape (N), got {y.dtype} {TensorChecks.Shape(y.shape)}.", name);
            if (count == 0) return;
            using var lo = y.min();
            using var hi = y.max();
            if (lo.item<long>() < 0 || hi.item<long>() >= Classes)
                throw new ArgumentException($"Class labels must lie in [0, {Classes}), found [{lo.item<long>()}, {hi.item<long>()}].", name);
        }
        else
        {
            if (!y.is_floating_point()) throw new ArgumentException($"Regression targets must be floating point, got {y.dtype}.", name);
            if (y.ndim > 2) throw new ArgumentException($"Regression targets must be (N) or (N, D), got {TensorChecks.Shape(y.shape)}.", name);
            TensorChecks.Finite(y, name);
        }
    }

    private static void CheckFinite(Tensor x, string what, string name)
    {
        if (TensorChecks.FirstNonFiniteRow(x) is var first and >= 0)
            throw new ArgumentException($"{what} contain NaN or infinite values (first at point {first}); every acquisition would rank or embed such a point wrongly.", name);
    }
}
