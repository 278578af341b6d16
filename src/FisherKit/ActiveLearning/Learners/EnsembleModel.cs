using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.ActiveLearning.Learners;

/// <summary>
/// A deep ensemble (Lakshminarayanan et al. 2017): M independently initialised networks trained on the
/// same labelled set. Predictions are the mean of the members' predictions; posterior samples are the
/// members' predictions (for ensemble variance, BALD on ensembles, ...). Owns its members.
/// </summary>
public sealed class EnsembleModel : IActiveModel, IPosteriorSampler
{
    private readonly IReadOnlyList<IActiveModel> _members;

    /// <summary>Wraps the members (at least two, all of the same task).</summary>
    public EnsembleModel(IReadOnlyList<IActiveModel> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count < 2) throw new ArgumentException("An ensemble needs at least two members.", nameof(members));
        if (members.Any(m => m.Task != members[0].Task)) throw new ArgumentException("All members must solve the same task.", nameof(members));
        _members = members.ToList();
    }

    /// <summary>Builds <paramref name="size"/> members with <paramref name="memberFactory"/>, member i from seed Derive(seed, i).</summary>
    public static EnsembleModel Create(int size, Func<long, IActiveModel> memberFactory, long seed)
    {
        ArgumentNullException.ThrowIfNull(memberFactory);
        if (size < 2) throw new ArgumentOutOfRangeException(nameof(size), size, "An ensemble needs at least two members.");
        return new EnsembleModel(Enumerable.Range(0, size).Select(i => memberFactory(SeedSequence.Derive(seed, i))).ToList());
    }

    /// <summary>The members.</summary>
    public IReadOnlyList<IActiveModel> Members => _members;

    /// <inheritdoc />
    public TaskKind Task => _members[0].Task;

    /// <inheritdoc />
    public void Fit(Tensor inputs, Tensor targets, long seed)
    {
        for (int i = 0; i < _members.Count; i++) _members[i].Fit(inputs, targets, SeedSequence.Derive(seed, i));
    }

    /// <inheritdoc />
    public Tensor Predict(Tensor inputs)
    {
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(SamplePredictions(inputs, _members.Count, 0).mean([0]));
    }

    /// <inheritdoc />
    public Tensor SamplePredictions(Tensor inputs, int samples, long seed)
    {
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(stack(_members.Select(m => m.Predict(inputs)).ToList(), 0));
    }

    /// <inheritdoc />
    public Dictionary<string, Tensor> StateDict()
    {
        var d = new Dictionary<string, Tensor>();
        for (int i = 0; i < _members.Count; i++)
            foreach (var (k, v) in _members[i].StateDict()) d[$"member{i}.{k}"] = v;
        return d;
    }

    /// <inheritdoc />
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        for (int i = 0; i < _members.Count; i++)
        {
            var prefix = $"member{i}.";
            _members[i].LoadStateDict(state.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value));
        }
    }

    /// <summary>Disposes every member.</summary>
    public void Dispose()
    {
        foreach (var m in _members) m.Dispose();
    }
}
