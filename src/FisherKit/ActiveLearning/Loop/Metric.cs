using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.ActiveLearning.Loop;

/// <summary>A number computed after each round (test error, RMSE, ...), with its direction.</summary>
public sealed class Metric
{
    /// <summary>Creates a metric from a function of the round's <see cref="MetricContext"/>.</summary>
    public Metric(string name, Func<MetricContext, double> evaluate, bool higherIsBetter)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Evaluate = evaluate ?? throw new ArgumentNullException(nameof(evaluate));
        HigherIsBetter = higherIsBetter;
    }

    /// <summary>The metric's name in records and tables.</summary>
    public string Name { get; }

    /// <summary>Computes the value.</summary>
    public Func<MetricContext, double> Evaluate { get; }

    /// <summary>True when larger values are better (accuracy, correlation).</summary>
    public bool HigherIsBetter { get; }

    /// <summary>Classification accuracy on the test set.</summary>
    public static Metric TestAccuracy { get; } = new("test accuracy", c => Accuracy(c.TestPredictions, c.Pool.TestTargets!), true);

    /// <summary>Classification error (1 − accuracy) on the test set.</summary>
    public static Metric TestError { get; } = new("test error", c => 1 - Accuracy(c.TestPredictions, c.Pool.TestTargets!), false);

    /// <summary>Mean negative log-likelihood of the test labels under the predicted class probabilities.</summary>
    public static Metric TestNll { get; } = new("test NLL", c =>
    {
        using var scope = NewDisposeScope();
        var p = c.TestPredictions.gather(1, c.Pool.TestTargets!.to(CPU).reshape(-1, 1));
        return p.clamp_min(Hold(1e-300)).log().mean().neg().ToDouble();
    }, false);

    /// <summary>Root-mean-square error of the predictions on the test set (all outputs).</summary>
    public static Metric TestRmse { get; } = new("test RMSE", c => Rmse(c.TestPredictions, c.Pool.TestTargets!), false);

    /// <summary>Pearson correlation of predictions and targets on the test set.</summary>
    public static Metric TestCorrelation { get; } = new("test CC", c => Correlation(c.TestPredictions, c.Pool.TestTargets!), true);

    /// <summary>
    /// Wu et al. (2019): RMSE over the whole pool, where labelled points keep their true targets and
    /// unlabelled points get the model's predictions (needs the pool's known targets).
    /// </summary>
    public static Metric PoolRmse { get; } = new("pool RMSE", c => { using var y = PoolFilled(c); return Rmse(y, c.Pool.Targets!); }, false);

    /// <summary>Wu et al. (2019): correlation coefficient over the whole pool, labelled points keeping their true targets.</summary>
    public static Metric PoolCorrelation { get; } = new("pool CC", c => { using var y = PoolFilled(c); return Correlation(y, c.Pool.Targets!); }, true);

    private static double Accuracy(Tensor probabilities, Tensor labels)
    {
        using var scope = NewDisposeScope();
        return probabilities.argmax(1).eq(labels.to(CPU)).to(ScalarType.Float64).mean().ToDouble();
    }

    private static double Rmse(Tensor predictions, Tensor targets)
    {
        using var scope = NewDisposeScope();
        var y = TensorUtil.AsMatrix(targets).to(ScalarType.Float64, CPU);
        return (predictions.reshape(y.shape) - y).pow(Hold(2)).mean().sqrt().ToDouble();
    }

    private static double Correlation(Tensor predictions, Tensor targets)
    {
        using var scope = NewDisposeScope();
        var a = predictions.reshape(-1).to(ScalarType.Float64);
        var b = targets.reshape(-1).to(ScalarType.Float64, CPU);
        var da = a - a.mean();
        var db = b - b.mean();
        var den = (da.pow(Hold(2)).sum() * db.pow(Hold(2)).sum()).sqrt().ToDouble();
        return den > 0 ? (da * db).sum().ToDouble() / den : double.NaN;
    }

    private static Tensor PoolFilled(MetricContext c)
    {
        var truth = c.Pool.Targets ?? throw new InvalidOperationException("Pool metrics need the pool's known targets.");
        using var scope = NewDisposeScope();
        var y = TensorUtil.AsMatrix(truth).to(ScalarType.Float64, CPU);
        var filled = c.PoolPredictions.reshape(y.shape).clone();
        if (c.Labelled.Count > 0)
        {
            var idx = tensor(c.Labelled.Indices.ToArray());
            var rows = idx.unsqueeze(1).expand(idx.shape[0], y.shape[1]).contiguous();
            filled = filled.scatter(0, rows, y.index_select(0, idx));
        }
        return scope.MoveToOuter(filled);
    }
}
