using TorchSharp;
using FisherKit.ActiveLearning.Learners;
using static TorchSharp.torch;

namespace FisherKit.ActiveLearning.Acquisitions;

/// <summary>
/// What an acquisition may look at in one round: the pool, the labelled set with its targets, the
/// candidate pool indices to choose from (all unlabelled points, or a random subset of them), the
/// model trained on the labelled set (an untrained one when choosing the initial set), and a seed for
/// the acquisition's own randomness.
/// </summary>
public sealed class AcquisitionContext
{
    /// <summary>Creates the context; candidates must be unlabelled pool indices without repeats.</summary>
    public AcquisitionContext(PoolData pool, LabelledSet labelled, IReadOnlyList<long> candidates, IActiveModel? model, long seed, int round = 0)
    {
        Pool = pool ?? throw new ArgumentNullException(nameof(pool));
        Labelled = labelled ?? throw new ArgumentNullException(nameof(labelled));
        Candidates = candidates ?? throw new ArgumentNullException(nameof(candidates));
        if (labelled.PoolSize != pool.Count) throw new ArgumentException($"The labelled set is over {labelled.PoolSize} points, the pool has {pool.Count}.", nameof(labelled));
        var seen = new HashSet<long>();
        foreach (var c in candidates)
        {
            if (c < 0 || c >= pool.Count) throw new ArgumentOutOfRangeException(nameof(candidates), c, $"Candidate outside the pool [0, {pool.Count}).");
            if (labelled.Contains(c)) throw new ArgumentException($"Candidate {c} is already labelled.", nameof(candidates));
            if (!seen.Add(c)) throw new ArgumentException($"Candidate {c} appears twice.", nameof(candidates));
        }
        Model = model;
        Seed = seed;
        Round = round;
    }

    /// <summary>The pool.</summary>
    public PoolData Pool { get; }

    /// <summary>The labelled points and their targets.</summary>
    public LabelledSet Labelled { get; }

    /// <summary>Pool indices the acquisition may choose from.</summary>
    public IReadOnlyList<long> Candidates { get; }

    /// <summary>The current model, or null when none is available.</summary>
    public IActiveModel? Model { get; }

    /// <summary>Seed for the acquisition's randomness in this round.</summary>
    public long Seed { get; }

    /// <summary>The round being chosen for (0 = initial set).</summary>
    public int Round { get; }

    /// <summary>Classification or regression.</summary>
    public TaskKind Task => Pool.Task;

    /// <summary>Inputs of the candidates (a new tensor).</summary>
    public Tensor CandidateInputs() => Pool.InputsAt(Candidates);

    /// <summary>Inputs of the labelled points in labelling order (a new tensor; (0, ...) when empty).</summary>
    public Tensor LabelledInputs()
    {
        if (Labelled.Count > 0) return Pool.InputsAt(Labelled.Indices);
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(Pool.Inputs.narrow(0, 0, 0).clone());
    }

    /// <summary>The model as <typeparamref name="T"/>, or an exception saying which acquisition needs what.</summary>
    public T RequireModel<T>(string acquisition) where T : class
    {
        if (Model is null) throw new InvalidOperationException($"{acquisition} needs a model, and none was given.");
        return Model as T ?? throw new NotSupportedException($"{acquisition} needs a model that implements {typeof(T).Name}; {Model.GetType().Name} does not.");
    }
}
