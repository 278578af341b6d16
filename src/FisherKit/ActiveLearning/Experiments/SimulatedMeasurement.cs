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
    /// <summary>
    /// The methods the comparison runs with <paramref name="settings"/>, in run order: all of them, or those named in
    /// <see cref="SimulatedMeasurementSettings.Methods"/> in that order. Each carries its acquisition (display name
    /// and family), its model (the MLP with MC dropout; for ensemble variance a deep ensemble of
    /// <see cref="SimulatedMeasurementSettings.EnsembleSize"/> of them) and, for the last three, its own initial
    /// strategy (the others share the random initial set). Names are the acquisitions' own where no other
    /// one is given: "Mean STD (MC dropout)", the D-optimal design by projection, and "D-optimal | init X" for the
    /// initial-set variants.
    /// </summary>
    public static IReadOnlyList<MethodSpec> Methods(SimulatedMeasurementSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        NetworkModel Net(long seed) => new(TaskKind.Regression, ActiveLearningNetworks.MeasurementMlp(PeakPositionTask.SignalLength, settings.Hidden), seed, settings.Training);
        IActiveModel Ensemble(long seed) => EnsembleModel.Create(settings.EnsembleSize, Net, seed);
        var (lambda, r) = (settings.PriorPrecision, settings.SubspaceDimension);
        OptimalDesignAcquisition Design(DesignCriterion criterion, FisherProjection? projection = null) => new(criterion, projection, lambda);
        MethodSpec[] all =
        [
            new(new RandomAcquisition(), Net),
            new(new MeanStd(settings.McSamples), Net, name: "Mean STD (MC dropout)"),
            new(new EnsembleVariance(settings.McSamples), Ensemble),
            new(new GreedySampling(GreedySamplingKind.GSx), Net),
            new(new GreedySampling(GreedySamplingKind.IGS), Net),
            new(Design(DesignCriterion.DOptimal), Net),
            new(Design(DesignCriterion.DOptimal, FisherProjection.RandomSubspace(r)), Net, name: "D-optimal (random subspace)"),
            new(Design(DesignCriterion.DOptimal, FisherProjection.TopEigenvectors(r)), Net, name: "D-optimal (Fisher eigenvectors)"),
            new(Design(DesignCriterion.AOptimal), Net),
            new(Design(DesignCriterion.EOptimal), Net),
            new(new BaitAcquisition(lambda: lambda), Net),
            new(Design(DesignCriterion.DOptimal), Net, InitialStrategies.GSx(), "D-optimal | init GSx"),
            new(Design(DesignCriterion.DOptimal), Net, InitialStrategies.KCenterGreedy(), "D-optimal | init k-centre"),
            new(Design(DesignCriterion.DOptimal), Net, InitialStrategies.FisherDOptimal(priorPrecision: lambda), "D-optimal | init Fisher D-optimal"),
        ];
        return ProtocolMethods.Choose(all, settings.Methods);
    }

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
        var exp = new ActiveLearningExperiment(pool, options).AddAll(Methods(settings));
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
