using FisherKit.Data;
using static TorchSharp.torch;

namespace FisherKit.Training;

/// <summary>A mini-batch for <see cref="TrainingLoop"/>: inputs and targets with the same first dimension.</summary>
/// <param name="Inputs">Inputs (B, ...).</param>
/// <param name="Targets">Targets (B, ...): labels, values or images.</param>
/// <param name="Mask">Which target elements count, the same for every sample (e.g. the pixels of an aperture, [H, W]); null: all. Owned by the data set, not the batch.</param>
public sealed record TrainingBatch(Tensor Inputs, Tensor Targets, Tensor? Mask = null)
{
    /// <summary>Samples in the batch.</summary>
    public long Count => Inputs.shape[0];
}

/// <summary>
/// Where a <see cref="TrainingLoop"/> run takes its mini-batches from: the samples, in which order in each
/// epoch, cut into batches of which sizes. FisherKit's sources: <see cref="ImageBatches"/> (an image data
/// set, shuffled per epoch from a seed) and <see cref="TensorBatches"/> (input and target tensors, ordered
/// by permutations drawn from a generator, optionally in equal batches). A source also serves as the
/// validation set, in order.
/// </summary>
public abstract class BatchSource
{
    /// <summary>Samples per epoch.</summary>
    public abstract long Count { get; }

    /// <summary>Mini-batches per epoch.</summary>
    public abstract long BatchesPerEpoch { get; }

    /// <summary>
    /// The mini-batches of epoch <paramref name="epoch"/> (1-based) in order; the epoch's order is drawn
    /// when the enumeration starts. Each batch is disposed when the enumeration moves on (clone what must
    /// outlive it).
    /// </summary>
    public abstract IEnumerable<TrainingBatch> Epoch(int epoch);

    /// <summary>The mini-batches in the samples' own order (for evaluation); disposed like <see cref="Epoch"/>'s.</summary>
    public abstract IEnumerable<TrainingBatch> InOrder();

    /// <summary>
    /// The sizes of an epoch's batches over <paramref name="count"/> samples: full batches and a
    /// remainder, or, with <paramref name="equal"/>, the same number of batches with sizes differing by at
    /// most one (e.g. 130 in batches of 128: 128 + 2, or 65 + 65).
    /// </summary>
    public static long[] Sizes(long count, long batchSize, bool equal)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        long batches = (count + batchSize - 1) / batchSize;
        var sizes = new long[batches];
        for (long k = 0; k < batches; k++)
            sizes[k] = equal ? count / batches + (k < count % batches ? 1 : 0) : Math.Min(batchSize, count - k * batchSize);
        return sizes;
    }
}

/// <summary>
/// Mini-batches of an <see cref="ImageDataset"/> (images and int64 labels): in order, or shuffled with a
/// new permutation per epoch seeded by (seed, epoch), so a run is reproducible and every epoch differs.
/// </summary>
public sealed class ImageBatches : BatchSource
{
    private readonly ImageDataset _data;
    private readonly int _batchSize;
    private readonly long? _seed;
    private readonly Device? _device;

    /// <summary>Batches of <paramref name="batchSize"/>; shuffled per epoch when <paramref name="shuffleSeed"/> is set; moved to <paramref name="device"/>.</summary>
    public ImageBatches(ImageDataset data, int batchSize, long? shuffleSeed = null, Device? device = null)
    {
        _data = data ?? throw new ArgumentNullException(nameof(data));
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be positive.");
        _batchSize = batchSize;
        _seed = shuffleSeed;
        _device = device;
    }

    /// <inheritdoc />
    public override long Count => _data.Count;

    /// <inheritdoc />
    public override long BatchesPerEpoch => (_data.Count + _batchSize - 1) / _batchSize;

    /// <summary>The shuffle seed of epoch <paramref name="epoch"/>: distinct per (seed, epoch) pair.</summary>
    public static long ShuffleSeed(long seed, int epoch) => unchecked(seed * 1_000_003L + epoch);

    /// <inheritdoc />
    public override IEnumerable<TrainingBatch> Epoch(int epoch)
    {
        var batches = _seed is long s
            ? _data.Batches(_batchSize, shuffle: true, seed: ShuffleSeed(s, epoch), device: _device)
            : _data.Batches(_batchSize, device: _device);
        foreach (var b in batches) yield return new TrainingBatch(b.Images, b.Labels);
    }

    /// <inheritdoc />
    public override IEnumerable<TrainingBatch> InOrder()
    {
        foreach (var b in _data.Batches(_batchSize, device: _device)) yield return new TrainingBatch(b.Images, b.Labels);
    }
}

/// <summary>
/// Mini-batches of input and target tensors (first dimension = samples): in order, or, with a generator,
/// in the order of a permutation drawn from it at the start of every epoch; cut into full batches and a
/// remainder, or into equal batches. Batches are index selections moved to the device.
/// </summary>
public sealed class TensorBatches : BatchSource
{
    private readonly Tensor _inputs;
    private readonly Tensor _targets;
    private readonly int _batchSize;
    private readonly Generator? _order;
    private readonly bool _equal;
    private readonly Device? _device;
    private readonly Tensor? _mask;

    /// <summary>
    /// Batches of <paramref name="inputs"/> and <paramref name="targets"/> (kept by reference, not copied);
    /// permuted per epoch by <paramref name="order"/> when given (the caller owns the generator);
    /// <paramref name="equalBatches"/> splits each epoch into batches of equal size; <paramref name="mask"/>
    /// (which target elements count, the same for every sample) is handed on with every batch.
    /// </summary>
    public TensorBatches(Tensor inputs, Tensor targets, int batchSize, Generator? order = null, bool equalBatches = false, Device? device = null, Tensor? mask = null)
    {
        _inputs = inputs ?? throw new ArgumentNullException(nameof(inputs));
        _targets = targets ?? throw new ArgumentNullException(nameof(targets));
        if (inputs.ndim < 1 || targets.ndim < 1 || inputs.shape[0] != targets.shape[0])
            throw new ArgumentException($"Inputs {TensorChecks.Shape(inputs.shape)} and targets {TensorChecks.Shape(targets.shape)} must have the same number of samples.", nameof(targets));
        if (inputs.shape[0] < 1) throw new ArgumentException("There are no samples to train on.", nameof(inputs));
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be positive.");
        _batchSize = batchSize;
        _order = order;
        _equal = equalBatches;
        _device = device;
        _mask = mask;
    }

    /// <inheritdoc />
    public override long Count => _inputs.shape[0];

    /// <inheritdoc />
    public override long BatchesPerEpoch => (Count + _batchSize - 1) / _batchSize;

    /// <inheritdoc />
    public override IEnumerable<TrainingBatch> Epoch(int epoch)
    {
        using var perm = _order is null ? null : randperm(Count, generator: _order);
        foreach (var b in Batches(perm, _equal)) yield return b;
    }

    /// <inheritdoc />
    public override IEnumerable<TrainingBatch> InOrder() => Batches(null, false);

    private IEnumerable<TrainingBatch> Batches(Tensor? perm, bool equal)
    {
        var n = Count;
        long start = 0;
        TrainingBatch? current = null;
        try
        {
            foreach (var size in Sizes(n, _batchSize, equal))
            {
                Dispose(current);
                current = Make(perm, start, size);
                start += size;
                yield return current;
            }
        }
        finally
        {
            Dispose(current);
        }
    }

    private TrainingBatch Make(Tensor? perm, long start, long size)
    {
        using var scope = NewDisposeScope();
        var x = Rows(_inputs, perm, start, size);
        var y = Rows(_targets, perm, start, size);
        if (_device is not null)
        {
            x = x.to(_device);
            y = y.to(_device);
        }
        return new TrainingBatch(scope.Detach(x), scope.Detach(y), _mask);
    }

    /// <summary>Rows start … start + size − 1 of <paramref name="t"/>, or of its permutation <paramref name="perm"/>.</summary>
    private static Tensor Rows(Tensor t, Tensor? perm, long start, long size) =>
        perm is null ? t.narrow(0, start, size) : t.index_select(0, perm.narrow(0, start, size).to(t.device));

    private static void Dispose(TrainingBatch? batch)
    {
        batch?.Inputs.Dispose();
        batch?.Targets.Dispose();
    }
}
