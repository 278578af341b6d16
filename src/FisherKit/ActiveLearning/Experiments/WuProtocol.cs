using FisherKit.ActiveLearning.Acquisitions;
using FisherKit.ActiveLearning.Loop;
using FisherKit.Data.Tabular;
using TorchSharp;
using FisherKit.ActiveLearning.Learners;
using FisherKit.Training;
using static TorchSharp.torch;

namespace FisherKit.ActiveLearning.Experiments;

/// <summary>
/// The protocol of Wu, Lin &amp; Huang (2019), as in their code main_iGS.m: inputs z-scored over the whole
/// data set (n − 1 standard deviation); per repeat a random 80% of the rows forms the pool; ridge
/// regression with λ = 0.01 (<see cref="RidgeRegression"/>); initial set of m₀ = min(20, d + 1) points by GSx
/// (random for the random baseline); one point per round up to M = min(60, max(20, ⌈0.1 N⌉)) labels
/// (N = rows of the whole data set); after every round RMSE and correlation over the whole pool, labelled
/// points keeping their true targets (<see cref="Metric.PoolRmse"/>, <see cref="Metric.PoolCorrelation"/>).
/// Methods: random (BL), GSx, GSy, iGS, and the Fisher designs on the ridge model.
/// </summary>
public static class WuProtocol
{
    /// <summary>m₀ = min(20, d + 1).</summary>
    public static int InitialSize(int features) => Math.Min(20, features + 1);

    /// <summary>M = min(60, max(20, ⌈0.1 N⌉)).</summary>
    public static int Budget(int rows) => Math.Min(60, Math.Max(20, (int)Math.Ceiling(0.1 * rows)));

    /// <summary>Features z-scored per column (mean 0, n − 1 standard deviation 1; constant columns left at 0) and targets, float64.</summary>
    public static (Tensor features, Tensor targets) ZScore(TabularDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var (x, y) = data.ToTensors();
        using (x)
        {
            using var scope = NewDisposeScope();
            var sd = x.std(0, unbiased: true);
            sd = where(sd.gt(Hold(0)), sd, ones_like(sd));
            return (scope.MoveToOuter((x - x.mean([0])) / sd), y);
        }
    }

    /// <summary>
    /// The methods in the order they are run, for data with <paramref name="features"/> columns (the size of the
    /// ridge model; names and acquisitions do not depend on it): the random baseline "Random (BL)" with its own
    /// random initial set, GSx, GSy and iGS, and with <see cref="WuProtocolSettings.IncludeFisher"/> the D-, A- and
    /// E-optimal designs and BAIT on the ridge model's Fisher, named "... (Fisher)". All but the baseline start
    /// from the protocol's shared GSx initial set.
    /// </summary>
    public static IReadOnlyList<MethodSpec> Methods(WuProtocolSettings settings, int features)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (features < 1) throw new ArgumentOutOfRangeException(nameof(features), features, "The data need at least one feature.");
        IActiveModel Ridge(long seed) => new RidgeRegression(features, settings.Lambda);
        OptimalDesignAcquisition Design(DesignCriterion criterion) => new(criterion, priorPrecision: settings.PriorPrecision);
        var list = new List<MethodSpec>
        {
            new(new RandomAcquisition(), Ridge, InitialStrategies.Random(), "Random (BL)"),
            new(new GreedySampling(GreedySamplingKind.GSx, settings.Start), Ridge),
            new(new GreedySampling(GreedySamplingKind.GSy, settings.Start), Ridge),
            new(new GreedySampling(GreedySamplingKind.IGS, settings.Start), Ridge),
        };
        if (settings.IncludeFisher)
        {
            list.Add(new(Design(DesignCriterion.DOptimal), Ridge, name: "D-optimal (Fisher)"));
            list.Add(new(Design(DesignCriterion.AOptimal), Ridge, name: "A-optimal (Fisher)"));
            list.Add(new(Design(DesignCriterion.EOptimal), Ridge, name: "E-optimal (Fisher)"));
            list.Add(new(new BaitAcquisition(lambda: settings.PriorPrecision), Ridge, name: "BAIT (Fisher)"));
        }
        return list;
    }

    /// <summary>
    /// Runs every method for every repeat on <paramref name="data"/>. With <paramref name="checkpoints"/>, every
    /// (method, repeat) run is checkpointed there after each round and resumed (entries
    /// "active-learning/wu/&lt;data set&gt;/&lt;method&gt;.seed&lt;seed&gt;", keyed by the settings, the repeat's pool,
    /// the method, the seed and the engine).
    /// </summary>
    public static ExperimentResults Run(TabularDataset data, WuProtocolSettings settings, ResultCache? checkpoints = null,
        IProgress<RoundResult>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Repeats < 1) throw new ArgumentOutOfRangeException(nameof(settings), settings.Repeats, "At least one repeat is needed.");
        var (x, y) = ZScore(data);
        try
        {
            int d = data.Columns;
            int poolSize = (int)Math.Round(data.Rows * settings.SubsetFraction);
            var options = new LoopOptions
            {
                Initial = InitialStrategies.GSx(settings.Start),
                InitialSize = InitialSize(d),
                BatchSize = 1,
                Budget = Budget(data.Rows),
                Metrics = [Metric.PoolRmse, Metric.PoolCorrelation],
            };
            PoolData PoolFor(long seed)
            {
                using var gen = new Generator((ulong)SeedSequence.Derive(seed, 99));
                using var perm = randperm(data.Rows, generator: gen);
                using var idx = perm.narrow(0, 0, poolSize);
                return PoolData.Regression(x.index_select(0, idx), y.index_select(0, idx));
            }
            var exp = new ActiveLearningExperiment(PoolFor, options).AddAll(Methods(settings, d));
            var seeds = Enumerable.Range(0, settings.Repeats).Select(i => settings.FirstSeed + i).ToList();
            var key = checkpoints is null ? null : CacheKey.For("active-learning/wu/" + CacheKey.SafeName(data.Name))
                .WithSettings("settings", settings with { Repeats = 1, FirstSeed = 0, IncludeFisher = true });   // each run's key has its own seed and method
            return exp.Run(seeds, checkpoints, key, progress, cancellationToken);
        }
        finally
        {
            x.Dispose();
            y.Dispose();
        }
    }
}
