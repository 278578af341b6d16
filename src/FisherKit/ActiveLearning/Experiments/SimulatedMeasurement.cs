using FisherKit.ActiveLearning.Acquisitions;
using FisherKit.ActiveLearning.Loop;
using TorchSharp;
using TorchSharp.Modules;
using FisherKit.ActiveLearning.Learners;
using FisherKit.Models;
using FisherKit.Training;
using static TorchSharp.torch;

namespace FisherKit.ActiveLearning.Experiments;

/// <summary>
/// Active learning where the network is the model: an MLP (with MC dropout) learns the line position of
/// <see cref="PeakPositionTask"/> signals. Compares the Fisher designs with each projection (last layer,
/// random subspace, top Fisher eigenvectors), BAIT, MC-dropout mean STD, ensemble variance, GSx, iGS and
/// random selection (all from a random initial set), and the initial-sample strategies (random, GSx,
/// k-centre greedy, Fisher D-optimal start) followed by D-optimal last-layer acquisition. Metric: test RMSE
/// of the position over the uniformly covered measuring range.
/// </summary>
public static class SimulatedMeasurement
{
    /// <summary>Names of the methods in run order.</summary>
    public static IReadOnlyList<string> MethodNames { get; } =
    [
        "Random", "Mean STD (MC dropout)", "Ensemble variance", "GSx", "iGS",
        "D-optimal (last layer)", "D-optimal (random subspace)", "D-optimal (Fisher eigenvectors)",
        "A-optimal (last layer)", "E-optimal (last layer)", "BAIT (last layer)",
        "D-optimal | init GSx", "D-optimal | init k-centre", "D-optimal | init Fisher D-optimal",
    ];

    /// <summary>
    /// Runs the comparison. With <paramref name="checkpoints"/>, every (method, seed) run is checkpointed there
    /// after each round and resumed (entries "active-learning/simulated-measurement/&lt;method&gt;.seed&lt;seed&gt;").
    /// </summary>
    public static ExperimentResults Run(SimulatedMeasurementSettings settings, ResultCache? checkpoints = null,
        IProgress<RoundResult>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var scope = NewDisposeScope();
        var (x, y) = PeakPositionTask.Generate(settings.PoolSize, settings.DataSeed, skewedPositions: true);
        var (xt, yt) = PeakPositionTask.Generate(settings.TestSize, settings.DataSeed + 1, skewedPositions: false);
        var pool = PoolData.Regression(x, y, xt, yt);
        var options = new LoopOptions
        {
            InitialSize = settings.InitialSize,
            BatchSize = settings.BatchSize,
            Budget = settings.Budget,
            Metrics = [Metric.TestRmse],
        };
        NetworkModel Net(long seed) => new(TaskKind.Regression, ActiveLearningNetworks.MeasurementMlp(PeakPositionTask.SignalLength, settings.Hidden), seed, settings.Training);
        var lambda = settings.PriorPrecision;
        var r = settings.SubspaceDimension;
        IAcquisition D(FisherProjection? p = null) => new OptimalDesignAcquisition(DesignCriterion.DOptimal, p, lambda);
        var all = new Dictionary<string, (IAcquisition acq, Func<long, IActiveModel> model, IAcquisition? initial)>
        {
            ["Random"] = (new RandomAcquisition(), Net, null),
            ["Mean STD (MC dropout)"] = (new MeanStd(settings.McSamples), Net, null),
            ["Ensemble variance"] = (new EnsembleVariance(settings.McSamples), s => EnsembleModel.Create(settings.EnsembleSize, Net, s), null),
            ["GSx"] = (new GreedySampling(GreedySamplingKind.GSx), Net, null),
            ["iGS"] = (new GreedySampling(GreedySamplingKind.IGS), Net, null),
            ["D-optimal (last layer)"] = (D(), Net, null),
            ["D-optimal (random subspace)"] = (D(FisherProjection.RandomSubspace(r)), Net, null),
            ["D-optimal (Fisher eigenvectors)"] = (D(FisherProjection.TopEigenvectors(r)), Net, null),
            ["A-optimal (last layer)"] = (new OptimalDesignAcquisition(DesignCriterion.AOptimal, priorPrecision: lambda), Net, null),
            ["E-optimal (last layer)"] = (new OptimalDesignAcquisition(DesignCriterion.EOptimal, priorPrecision: lambda), Net, null),
            ["BAIT (last layer)"] = (new BaitAcquisition(lambda: lambda), Net, null),
            ["D-optimal | init GSx"] = (D(), Net, InitialStrategies.GSx()),
            ["D-optimal | init k-centre"] = (D(), Net, InitialStrategies.KCenterGreedy()),
            ["D-optimal | init Fisher D-optimal"] = (D(), Net, InitialStrategies.FisherDOptimal(priorPrecision: lambda)),
        };
        var exp = new ActiveLearningExperiment(pool, options);
        foreach (var name in settings.Methods ?? MethodNames)
        {
            if (!all.TryGetValue(name, out var m)) throw new ArgumentException($"Unknown method \"{name}\"; known: {string.Join(", ", MethodNames)}.", nameof(settings));
            exp.Add(name, m.acq, m.model, m.initial);
        }
        CacheKey? key = null;
        if (checkpoints is not null)
        {
            key = CacheKey.For("active-learning/simulated-measurement")
                .WithSettings("settings", settings with { Seeds = 0, Methods = null })   // each run's key has its own seed and method
                .WithArchitecture("network", () => ActiveLearningNetworks.MeasurementMlp(PeakPositionTask.SignalLength, settings.Hidden));
        }
        return exp.Run(Enumerable.Range(0, settings.Seeds).Select(i => (long)i).ToList(), checkpoints, key, progress, cancellationToken);
    }
}
