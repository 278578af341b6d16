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
/// Gal, Islam &amp; Ghahramani's (2017) image protocol, run on whatever image tensors it is given (Fashion-MNIST
/// in the notebook): 2 balanced random images per class to start, 10 images per round up to the budget,
/// each round scoring a random subset of 2,000 pool images, the network of their code (conv 32@3×3 – ReLU –
/// conv 32@3×3 – ReLU – max-pool 2 – dropout 0.25 – dense 128 – ReLU – dropout 0.5 – dense C) retrained from
/// scratch every round with Adam and L2 3.5/n, T MC-dropout passes, test error after every round. Every
/// classification acquisition is compared: random, max entropy, BALD, variation ratios, mean STD, ensemble
/// variance (a deep ensemble of the same network), core-set k-centre greedy on penultimate features, and
/// the Fisher designs (D, A, E) and BAIT on last-layer Fisher embeddings.
/// </summary>
public static class GalProtocol
{
    /// <summary>
    /// The methods the protocol runs with <paramref name="settings"/>, in run order: all of them, or those named in
    /// <see cref="GalProtocolSettings.Methods"/> in that order. Each carries its acquisition (display name and
    /// family) and its model: the protocol's network for images of <paramref name="channels"/> ×
    /// <paramref name="height"/> × <paramref name="width"/> and <paramref name="classes"/> classes (the defaults are
    /// MNIST's and Fashion-MNIST's), for ensemble variance a deep ensemble of
    /// <see cref="GalProtocolSettings.EnsembleSize"/> of them. The names are the acquisitions' own but for
    /// "Core-set (k-centre)", k-centre greedy on the penultimate features (Sener &amp; Savarese 2018).
    /// </summary>
    public static IReadOnlyList<MethodSpec> Methods(GalProtocolSettings settings, int channels = 1, int height = 28, int width = 28, int classes = 10)
    {
        ArgumentNullException.ThrowIfNull(settings);
        NetworkModel Net(long seed) => new(TaskKind.Classification, ActiveLearningNetworks.GalCnn(channels, height, width, classes), seed, settings.Training);
        IActiveModel Ensemble(long seed) => EnsembleModel.Create(settings.EnsembleSize, Net, seed);
        var (t, lambda) = (settings.McSamples, settings.PriorPrecision);
        MethodSpec[] all =
        [
            new(new RandomAcquisition(), Net),
            new(new MaxEntropy(t), Net),
            new(new Bald(t), Net),
            new(new VariationRatios(t), Net),
            new(new MeanStd(t), Net),
            new(new EnsembleVariance(t), Ensemble),
            new(new KCenterGreedy(FeatureSpace.Penultimate), Net, name: "Core-set (k-centre)"),
            new(new OptimalDesignAcquisition(DesignCriterion.DOptimal, priorPrecision: lambda), Net),
            new(new OptimalDesignAcquisition(DesignCriterion.AOptimal, priorPrecision: lambda), Net),
            new(new OptimalDesignAcquisition(DesignCriterion.EOptimal, priorPrecision: lambda), Net),
            new(new BaitAcquisition(lambda: lambda), Net),
        ];
        return ProtocolMethods.Choose(all, settings.Methods);
    }

    /// <summary>
    /// The training images that form the pool, in pool order (int64): a fixed, seed-independent random
    /// permutation of the <paramref name="trainCount"/> training images without the first
    /// <see cref="GalProtocolSettings.ValidationSize"/> (held out), cut to <see cref="GalProtocolSettings.PoolSize"/>.
    /// Pool index i of a run's <see cref="LoopRun.Labelled"/> is training image <c>PoolIndices(...)[i]</c>.
    /// </summary>
    public static Tensor PoolIndices(long trainCount, GalProtocolSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (trainCount <= settings.ValidationSize)
            throw new ArgumentException($"{trainCount} training images leave no pool after {settings.ValidationSize} validation images.", nameof(trainCount));
        using var scope = NewDisposeScope();
        using var gen = new Generator(20170306);
        var perm = randperm(trainCount, generator: gen);
        var rest = perm.narrow(0, settings.ValidationSize, trainCount - settings.ValidationSize);
        if (settings.PoolSize is int p) rest = rest.narrow(0, 0, Math.Min(p, rest.shape[0]));
        return scope.MoveToOuter(rest.clone());
    }

    /// <summary>
    /// Runs the protocol. Images are (N, C, H, W) floating point (scaled to [0, 1] by the caller), labels
    /// int64 in [0, classes). With <paramref name="checkpoints"/>, every (method, seed) run is checkpointed
    /// there after each round and resumed (entries "active-learning/gal/&lt;method&gt;.seed&lt;seed&gt;", keyed
    /// by the settings, the network's architecture, the pool and test data, the method, the seed and the engine).
    /// </summary>
    public static ExperimentResults Run(Tensor trainImages, Tensor trainLabels, Tensor testImages, Tensor testLabels, GalProtocolSettings settings,
        ResultCache? checkpoints = null, IProgress<RoundResult>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trainImages);
        ArgumentNullException.ThrowIfNull(trainLabels);
        ArgumentNullException.ThrowIfNull(testImages);
        ArgumentNullException.ThrowIfNull(testLabels);
        ArgumentNullException.ThrowIfNull(settings);
        if (trainImages.ndim != 4) throw new ArgumentException($"Images must be (N, C, H, W), got {TensorChecks.Shape(trainImages.shape)}.", nameof(trainImages));
        using var scope = NewDisposeScope();
        int classes = (int)trainLabels.max().item<long>() + 1;
        var (c, h, w) = ((int)trainImages.shape[1], (int)trainImages.shape[2], (int)trainImages.shape[3]);
        var rest = PoolIndices(trainImages.shape[0], settings);
        var x = trainImages.index_select(0, rest).to(ScalarType.Float32);
        var y = trainLabels.index_select(0, rest);
        var nt = Math.Min(settings.TestSize ?? testImages.shape[0], testImages.shape[0]);
        var xt = testImages.narrow(0, 0, nt).to(ScalarType.Float32);
        var yt = testLabels.narrow(0, 0, nt);
        var pool = PoolData.Classification(x, y, classes, xt, yt);
        var options = new LoopOptions
        {
            Initial = InitialStrategies.BalancedRandom(),
            InitialSize = settings.InitialPerClass * classes,
            BatchSize = settings.AcquisitionSize,
            Budget = settings.Budget,
            CandidateSubset = settings.CandidateSubset,
            Metrics = [Metric.TestError, Metric.TestNll],
        };
        var exp = new ActiveLearningExperiment(pool, options).AddAll(Methods(settings, c, h, w, classes));
        CacheKey? key = null;
        if (checkpoints is not null)
        {
            key = CacheKey.For("active-learning/gal")
                .WithSettings("settings", settings with { Seeds = 0, Methods = null })   // each run's key has its own seed and method
                .WithArchitecture("network", () => ActiveLearningNetworks.GalCnn(c, h, w, classes));
        }
        return exp.Run(Enumerable.Range(0, settings.Seeds).Select(i => (long)i).ToList(), checkpoints, key, progress, cancellationToken);
    }
}
