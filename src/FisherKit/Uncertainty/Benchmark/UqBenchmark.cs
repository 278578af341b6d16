using FisherKit.Data.Tabular;
using FisherKit.Uncertainty.Regression;
using static TorchSharp.torch;

namespace FisherKit.Uncertainty.Benchmark;

/// <summary>
/// One run of the benchmark: draw training and test data from a problem (or split a real data set), fit the
/// reference on the true basis, train the selected deep methods on the same data, predict at the test inputs and
/// score everything with <see cref="UqEvaluation.Score"/>. The Laplace approximations sit on ensemble member 0, so
/// they cost no training of their own. Networks are disposed before returning; predictions are kept.
/// </summary>
public static class UqBenchmark
{
    /// <summary>The predictions and scores of one run.</summary>
    /// <param name="Predictions">Per method (the reference first, for synthetic problems).</param>
    /// <param name="Scores">Per method, in the same order.</param>
    /// <param name="Test">The test data (synthetic problems), or null.</param>
    public sealed record Result(IReadOnlyList<RegressionPrediction> Predictions, IReadOnlyList<UqScore> Scores, BenchmarkData? Test);

    /// <summary>
    /// Runs the methods on <paramref name="trainSize"/> training and <paramref name="testSize"/> test points of
    /// <paramref name="problem"/>, drawn from <paramref name="dataSeed"/>; networks are seeded from
    /// <paramref name="options"/>' seed. <paramref name="setting"/> labels the scores (default the problem's label).
    /// </summary>
    public static Result Run(BenchmarkProblem problem, int trainSize, int testSize, long dataSeed, NetworkRegressionOptions options,
        UqMethods methods = UqMethods.All, int members = 5, string? setting = null, int replicate = 0)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(options);
        var train = problem.Sample(trainSize, BenchmarkProblem.Derive(dataSeed, 1));
        var test = problem.Sample(testSize, BenchmarkProblem.Derive(dataSeed, 2));
        var reference = ReferenceRegression.Fit(problem.Basis(train.Inputs), train.Targets).Predict(problem.Basis(test.Inputs));
        var (x, y) = train.ToTensors();
        using (x)
        using (y)
        using (var xt = BenchmarkData.ToTensor(test.Inputs))
        {
            var predictions = new List<RegressionPrediction> { reference };
            predictions.AddRange(Methods(x, y, xt, options, methods, members));
            var label = setting ?? problem.Settings.Label;
            var scores = predictions.Select(p => UqEvaluation.Score(p, test.Function, test.Targets, reference, label, replicate)).ToList();
            return new Result(predictions, scores, test);
        }
    }

    /// <summary>
    /// Runs the methods on a real data set split at random (seeded) into a training part and a held-out part of
    /// <paramref name="testFraction"/>: only the observations can be judged (RMSE against them, NLL, 95 % coverage
    /// of the predictive interval).
    /// </summary>
    public static Result Run(TabularDataset data, double testFraction, long splitSeed, NetworkRegressionOptions options,
        UqMethods methods = UqMethods.All, int members = 5, int replicate = 0)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!(testFraction > 0 && testFraction < 1)) throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "The test fraction must lie strictly between 0 and 1.");
        int n = data.Rows, nt = Math.Max(1, (int)Math.Round(testFraction * n));
        var order = Enumerable.Range(0, n).ToArray();
        new Random(checked((int)(BenchmarkProblem.Derive(splitSeed, 5) & 0x7fffffff))).Shuffle(order);
        int[] testRows = order[..nt], trainRows = order[nt..];
        using var scope = NewDisposeScope();
        var (features, targets) = data.ToTensors();
        var x = features.index_select(0, tensor(trainRows.Select(i => (long)i).ToArray()));
        var y = targets.index_select(0, tensor(trainRows.Select(i => (long)i).ToArray()));
        var xt = features.index_select(0, tensor(testRows.Select(i => (long)i).ToArray()));
        var yt = testRows.Select(i => data.Targets[i]).ToArray();
        var predictions = Methods(x, y, xt, options, methods, members);
        var scores = predictions.Select(p => UqEvaluation.Score(p, null, yt, null, data.Name, replicate)).ToList();
        return new Result(predictions, scores, null);
    }

    private static List<RegressionPrediction> Methods(Tensor x, Tensor y, Tensor xt, NetworkRegressionOptions options, UqMethods methods, int members)
    {
        var result = new List<RegressionPrediction>();
        if (methods.HasFlag(UqMethods.McDropout))
        {
            using var dropout = DropoutRegression.Train(x, y, options);
            result.Add(dropout.Predict(xt));
        }
        if ((methods & (UqMethods.Ensemble | UqMethods.CorrectedEnsemble | UqMethods.LastLayerLaplace | UqMethods.GgnLaplace)) == 0) return result;
        using var ensemble = EnsembleRegression.Train(x, y, options, members);
        if (methods.HasFlag(UqMethods.Ensemble)) result.Add(ensemble.Predict(xt));
        if (methods.HasFlag(UqMethods.CorrectedEnsemble))
        {
            using var corrected = ensemble.WithCorrection(EnsembleCorrection.FiniteEnsemble);
            result.Add(corrected.Predict(xt));
        }
        if (methods.HasFlag(UqMethods.LastLayerLaplace))
        {
            using var laplace = LaplaceRegression.AroundMember(ensemble, 0, x, y, LaplaceKind.LastLayer);
            result.Add(laplace.Predict(xt));
        }
        if (methods.HasFlag(UqMethods.GgnLaplace))
        {
            using var laplace = LaplaceRegression.AroundMember(ensemble, 0, x, y, LaplaceKind.GeneralizedGaussNewton);
            result.Add(laplace.Predict(xt));
        }
        return result;
    }
}
