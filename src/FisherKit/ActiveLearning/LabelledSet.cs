using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.ActiveLearning;

/// <summary>
/// The labelled part of the pool: indices in the order they were labelled, the round each joined,
/// and their targets. Refuses a point twice and indices outside the pool. Owns its target tensor.
/// </summary>
public sealed class LabelledSet : IDisposable
{
    private readonly List<long> _indices = [];
    private readonly List<int> _rounds = [];
    private readonly HashSet<long> _members = [];
    private Tensor? _targets;

    /// <summary>An empty labelled set over a pool of <paramref name="poolSize"/> points.</summary>
    public LabelledSet(long poolSize)
    {
        if (poolSize < 1) throw new ArgumentOutOfRangeException(nameof(poolSize), poolSize, "The pool must hold at least one point.");
        PoolSize = poolSize;
    }

    /// <summary>Size of the pool.</summary>
    public long PoolSize { get; }

    /// <summary>Labelled pool indices in labelling order.</summary>
    public IReadOnlyList<long> Indices => _indices;

    /// <summary>The round in which each labelled point joined (0 = initial set).</summary>
    public IReadOnlyList<int> Rounds => _rounds;

    /// <summary>Number of labelled points.</summary>
    public int Count => _indices.Count;

    /// <summary>Targets of the labelled points in labelling order (null while empty). Owned by this set.</summary>
    public Tensor? Targets => _targets;

    /// <summary>True when pool index <paramref name="index"/> is labelled.</summary>
    public bool Contains(long index) => _members.Contains(index);

    /// <summary>Unlabelled pool indices in increasing order.</summary>
    public long[] Unlabelled()
    {
        var r = new long[PoolSize - _members.Count];
        int k = 0;
        for (long i = 0; i < PoolSize; i++) if (!_members.Contains(i)) r[k++] = i;
        return r;
    }

    /// <summary>Adds points with their targets (first dimension = count); throws on a repeated or out-of-range index.</summary>
    public void Add(IReadOnlyList<long> indices, Tensor targets, int round)
    {
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(targets);
        if (targets.ndim < 1 || targets.shape[0] != indices.Count)
            throw new ArgumentException($"{indices.Count} indices need {indices.Count} targets, got shape {TensorChecks.Shape(targets.shape)}.", nameof(targets));
        var seen = new HashSet<long>();
        foreach (var i in indices)
        {
            if (i < 0 || i >= PoolSize) throw new ArgumentOutOfRangeException(nameof(indices), i, $"Pool index outside [0, {PoolSize}).");
            if (_members.Contains(i) || !seen.Add(i)) throw new InvalidOperationException($"Pool point {i} is already labelled; a point is never labelled twice.");
        }
        if (_targets is not null && !_targets.shape.Skip(1).SequenceEqual(targets.shape.Skip(1)))
            throw new ArgumentException($"Targets {TensorChecks.Shape(targets.shape)} do not match earlier targets {TensorChecks.Shape(_targets.shape)}.", nameof(targets));
        using (var scope = NewDisposeScope())
        {
            var t = targets.detach().cpu();
            var merged = _targets is null ? t.clone() : cat([_targets, t], 0);
            _targets?.Dispose();
            _targets = merged.DetachFromDisposeScope();
        }
        foreach (var i in indices)
        {
            _indices.Add(i);
            _rounds.Add(round);
            _members.Add(i);
        }
    }

    /// <summary>Releases the targets.</summary>
    public void Dispose() => _targets?.Dispose();
}
