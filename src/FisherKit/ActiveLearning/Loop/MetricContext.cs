using TorchSharp;
using FisherKit.ActiveLearning.Learners;

namespace FisherKit.ActiveLearning.Loop;

/// <summary>What a metric sees after a round: the trained model, the pool and the labelled set. Predictions are computed once and shared by all metrics of the round.</summary>
public sealed class MetricContext : IDisposable
{
    private torch.Tensor? _test;
    private torch.Tensor? _pool;

    /// <summary>Creates the context.</summary>
    public MetricContext(IActiveModel model, PoolData pool, LabelledSet labelled)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        Pool = pool ?? throw new ArgumentNullException(nameof(pool));
        Labelled = labelled ?? throw new ArgumentNullException(nameof(labelled));
    }

    /// <summary>The trained model.</summary>
    public IActiveModel Model { get; }

    /// <summary>The pool (with its test set).</summary>
    public PoolData Pool { get; }

    /// <summary>The labelled set.</summary>
    public LabelledSet Labelled { get; }

    /// <summary>Predictions on the test set (cached; owned by the context).</summary>
    public torch.Tensor TestPredictions => _test ??= Model.Predict(Pool.TestInputs ?? throw new InvalidOperationException("This metric needs a test set, and the pool has none.")).DetachFromDisposeScope();

    /// <summary>Predictions on the whole pool (cached; owned by the context).</summary>
    public torch.Tensor PoolPredictions => _pool ??= Model.Predict(Pool.Inputs).DetachFromDisposeScope();

    /// <summary>Releases the cached predictions.</summary>
    public void Dispose()
    {
        _test?.Dispose();
        _pool?.Dispose();
    }
}
