using System.Globalization;
using TorchSharp;
using FisherKit.Models;
using FisherKit.Training;
using static TorchSharp.torch;

namespace FisherKit.Uncertainty;

/// <summary>
/// A deep ensemble (Lakshminarayanan et al. 2017) of U-Nets trained from different seeds, as used
/// for the optical form measurement by Hoffmann, Fortmeier &amp; Elster (2021). Members are trained
/// one after another (or loaded from the cache), their predictions are combined by
/// <see cref="EnsembleCombination"/>, optionally with a correction (<see cref="EnsembleCorrection"/>).
/// </summary>
/// <example>
/// <code>
/// var options = new EnsembleOptions(5, new UNetOptions(9, Head: RegressionHead.Gaussian),
///     new TrainingOptions { Epochs = 20, BatchSize = 8, Schedule = LearningRateSchedule.Cosine, WarmupEpochs = 4 }, Cache: ResultCache.Default);
/// using var ensemble = DeepEnsemble.Train(options, train, validation, new ProgressCallback&lt;TrainingProgress&gt;(p => ...));
/// using var pred = ensemble.Predict(testInputs, EnsembleCorrection.FiniteEnsemble);
/// </code>
/// </example>
public sealed class DeepEnsemble : IDisposable
{
    private readonly List<UNet> _members;
    private readonly List<TrainingRun> _runs;
    private LastLayerLaplace[]? _local;

    private DeepEnsemble(EnsembleOptions options, List<UNet> members, List<TrainingRun> runs)
    {
        Options = options;
        _members = members;
        _runs = runs;
    }

    /// <summary>The settings the ensemble was built with.</summary>
    public EnsembleOptions Options { get; }

    /// <summary>The members (owned by the ensemble).</summary>
    public IReadOnlyList<UNet> Members => _members;

    /// <summary>How each member was obtained: trained or loaded, its cache entry, its learning curves.</summary>
    public IReadOnlyList<TrainingRun> Runs => _runs;

    /// <summary>The learning curves of each member (recorded at training time, also when loaded from the cache).</summary>
    public IReadOnlyList<TrainingHistory> Histories => _runs.Select(r => r.History).ToList();

    /// <summary>How many members were loaded from the cache rather than trained.</summary>
    public int LoadedFromCache => _runs.Count(r => r.FromCache);

    /// <summary>
    /// Trains (or loads) the M members. Member m is initialised and trained after manual_seed(seed_m) (<see cref="GlobalRandom.Fork"/>: the caller's
    /// random stream is put back afterwards), sees the batches
    /// in an order drawn from seed_m (its <see cref="TrainingOptions.Seed"/>; the one in
    /// <see cref="EnsembleOptions.Training"/> is replaced), and, with <see cref="EnsembleOptions.Cache"/>, is
    /// stored there with its learning curves under a key of the network and training settings, seed_m, its
    /// initial weights, the training and validation data (or <see cref="EnsembleOptions.DataKey"/>) and the
    /// engine (<see cref="ResultCache.LoadOrTrain"/>).
    /// </summary>
    public static DeepEnsemble Train(EnsembleOptions options, RegressionData train, RegressionData? validation = null,
                                     IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(train);
        options.Validate();
        string? trainData = null, validationData = null;
        if (options.Cache is not null)
        {
            trainData = options.DataKey is { } name ? "named " + name : DataFingerprint.Of(train.Inputs, train.Targets, train.Mask);
            validationData = validation is null ? "none" : DataFingerprint.Of(validation.Inputs, validation.Targets, validation.Mask);
        }
        var members = new List<UNet>();
        var runs = new List<TrainingRun>();
        try
        {
            for (int m = 0; m < options.Members; m++)
            {
                long seed = options.MemberSeed(m);
                using var random = GlobalRandom.Fork(seed);   // initial weights and dropout masks
                var net = new UNet(options.Network);
                members.Add(net);
                var training = options.Training with { Seed = seed };
                int member = m;
                TrainingHistory Fit() => UNetTraining.Fit(net, train, validation, training, progress, member, cancellationToken);
                if (options.Cache is not { } cache)
                {
                    runs.Add(TrainingRun.Uncached(Fit()));
                    continue;
                }
                var key = CacheKey.For(string.Create(CultureInfo.InvariantCulture, $"unet-ensembles/member-{m:D2}"))
                    .With("trainer", TrainingLoop.Version + " U-Net")
                    .WithSettings("network", options.Network)
                    .WithModel("model", net)
                    .WithSettings("training", training)
                    .With("train", trainData!)
                    .With("validation", validationData!);
                var run = cache.LoadOrTrain(net, key, Fit, progress, m);
                if (run.FromCache && options.Training.Device is { } device) net.to(device);
                runs.Add(run);
            }
        }
        catch
        {
            foreach (var n in members) n.Dispose();
            throw;
        }
        return new DeepEnsemble(options, members, runs);
    }

    /// <summary>Wraps already trained members (e.g. built by hand) as an ensemble; it takes ownership of them.</summary>
    public static DeepEnsemble FromMembers(EnsembleOptions options, IReadOnlyList<UNet> members)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count == 0) throw new ArgumentException("An ensemble needs at least one member.", nameof(members));
        foreach (var m in members)
            if (m.Options != members[0].Options) throw new ArgumentException("All members must share the same U-Net options.", nameof(members));
        return new DeepEnsemble(options with { Members = members.Count }, [.. members], members.Select(_ => new TrainingRun(null, null, new TrainingHistory(), false, "given")).ToList());
    }

    /// <summary>
    /// The raw member predictions for inputs [B, C_in, H, W] (evaluation mode, no gradients), in calls of at most
    /// <paramref name="batchSize"/> inputs (fewer where <see cref="ConvolutionWorkspace"/> says so).
    /// </summary>
    public MemberPredictions PredictMembers(Tensor inputs, int batchSize = 64)
    {
        ObjectDisposedException.ThrowIf(_members.Count == 0, this);   // Dispose empties the member list
        return PredictMembers(_members, inputs, batchSize, stochastic: false);
    }

    /// <summary>The combined predictive distribution, with an optional correction of the epistemic part.</summary>
    public EnsemblePrediction Predict(Tensor inputs, EnsembleCorrection correction = EnsembleCorrection.None, int batchSize = 64)
    {
        using var scope = NewDisposeScope();
        var members = PredictMembers(inputs, batchSize);
        Tensor? local = null;
        if (correction.HasFlag(EnsembleCorrection.LocalPosterior))
        {
            if (_local is null) throw new InvalidOperationException("The LocalPosterior correction needs FitLocalPosterior(...) first.");
            local = stack(_local.Select(l => l.Variance(inputs, batchSize)).ToArray(), 0);
        }
        var p = EnsembleCombination.Combine(members.Means, members.Variances, correction, local);
        scope.MoveToOuter(p.Mean, p.AleatoricVariance, p.EpistemicVariance, p.Variance);
        return p;
    }

    /// <summary>
    /// Fits a last-layer Laplace approximation around every member (candidate C2 of the
    /// Bayesian-perspective correction); afterwards <see cref="Predict"/> accepts
    /// <see cref="EnsembleCorrection.LocalPosterior"/>.
    /// </summary>
    public void FitLocalPosterior(RegressionData train, double priorPrecision = 1.0, int batchSize = 64)
    {
        ObjectDisposedException.ThrowIf(_members.Count == 0, this);
        var fitted = _members.Select(m => LastLayerLaplace.Fit(m, train, priorPrecision, batchSize)).ToArray();
        _local = fitted;
    }

    internal static MemberPredictions PredictMembers(IReadOnlyList<UNet> models, Tensor inputs, int batchSize, bool stochastic)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be positive.");
        foreach (var m in models) m.CheckInput(inputs);
        UNet.CheckSamples(inputs);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var means = new List<Tensor>();
        var vars = new List<Tensor>();
        bool gaussian = models[0].Options.Head == RegressionHead.Gaussian;
        foreach (var model in models)
        {
            using var mode = stochastic ? ModuleMode.MonteCarloDropout(model) : ModuleMode.Eval(model);
            var device = UNetTraining.ModelDevice(model);
            // Deterministic passes in calls of ConvolutionWorkspace's size; dropout passes keep the caller's batches (their masks).
            int perCall = stochastic ? batchSize : ConvolutionWorkspace.InputsPerCall(model, inputs, batchSize);
            var ms = new List<Tensor>();
            var vs = new List<Tensor>();
            for (long start = 0; start < inputs.shape[0]; start += perCall)
            {
                long count = Math.Min(perCall, inputs.shape[0] - start);
                var x = inputs.narrow(0, start, count).to(device);
                var (mean, variance) = model.Split(model.call(x));
                ms.Add(mean.to(CPU));
                if (variance is not null) vs.Add(variance.to(CPU));
            }
            means.Add(cat(ms, 0));
            if (gaussian) vars.Add(cat(vs, 0));
        }
        var meanStack = stack(means, 0);
        var varStack = gaussian ? stack(vars, 0) : null;
        scope.MoveToOuter(meanStack);
        if (varStack is not null) scope.MoveToOuter(varStack);
        return new MemberPredictions(meanStack, varStack);
    }

    /// <summary>Disposes the members.</summary>
    public void Dispose()
    {
        foreach (var m in _members) m.Dispose();
        _members.Clear();
    }
}
