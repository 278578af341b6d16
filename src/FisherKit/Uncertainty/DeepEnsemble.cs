using FisherKit.Plotting.Output;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using TorchSharp;
using FisherKit.Files;
using FisherKit.Models;
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
/// var options = new EnsembleOptions(5, new UNetOptions(9, Head: RegressionHead.Gaussian), new RegressionTrainingOptions(Epochs: 20),
///                                   CacheDirectory: "data/cache/twi");
/// using var ensemble = DeepEnsemble.Train(options, train, validation, new SyncProgress&lt;TrainingProgress&gt;(p => ...));
/// using var pred = ensemble.Predict(testInputs, EnsembleCorrection.FiniteEnsemble);
/// </code>
/// </example>
public sealed class DeepEnsemble : IDisposable
{
    private readonly List<UNet> _members;
    private readonly List<RegressionTrainingHistory> _histories;
    private LastLayerLaplace[]? _local;

    private DeepEnsemble(EnsembleOptions options, List<UNet> members, List<RegressionTrainingHistory> histories, string? cacheFolder)
    {
        Options = options;
        _members = members;
        _histories = histories;
        CacheFolder = cacheFolder;
    }

    /// <summary>The settings the ensemble was built with.</summary>
    public EnsembleOptions Options { get; }

    /// <summary>The members (owned by the ensemble).</summary>
    public IReadOnlyList<UNet> Members => _members;

    /// <summary>The learning curve of each member (recorded at training time, also when loaded from the cache).</summary>
    public IReadOnlyList<RegressionTrainingHistory> Histories => _histories;

    /// <summary>The cache folder of this configuration, or null without caching.</summary>
    public string? CacheFolder { get; }

    /// <summary>How many members were loaded from the cache rather than trained.</summary>
    public int LoadedFromCache => _histories.Count(h => h.FromCache);

    /// <summary>
    /// Trains (or loads) the M members. Member m is initialised after manual_seed(seed_m), sees the
    /// batches in an order drawn from seed_m, and is saved as safetensors with its learning curve
    /// when a cache folder is set.
    /// </summary>
    public static DeepEnsemble Train(EnsembleOptions options, RegressionData train, RegressionData? validation = null,
                                     IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(train);
        options.Validate();
        string? folder = options.CacheDirectory is null ? null : Path.Combine(options.CacheDirectory, "unet-ensemble-" + CacheKey(options, train));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
            AtomicFile.WriteAllText(Path.Combine(folder, "config.json"), JsonSerializer.Serialize(new { options.Network, options.Training.Epochs, options.Training.BatchSize, options.Training.LearningRate, options.Training.WeightDecay, options.Training.MseWarmupEpochs, options.Training.CosineSchedule, options.BaseSeed, DataKey = options.DataKey ?? "hash" }));
        }
        var members = new List<UNet>();
        var histories = new List<RegressionTrainingHistory>();
        try
        {
            for (int m = 0; m < options.Members; m++)
            {
                long seed = options.MemberSeed(m);
                manual_seed(seed);
                var net = new UNet(options.Network);
                members.Add(net);
                string? weights = folder is null ? null : Path.Combine(folder, $"member-{m:D2}.safetensors");
                string? curve = folder is null ? null : Path.Combine(folder, $"member-{m:D2}.history.json");
                if (weights is not null && !options.Retrain && File.Exists(weights) && File.Exists(curve))
                {
                    net.LoadSafetensors(weights);
                    net.to(options.Training.Device ?? CPU);
                    net.eval();
                    var h = RegressionTrainingHistory.Load(curve!);
                    h.FromCache = true;
                    histories.Add(h);
                    var last = h.Epochs.Count > 0 ? h.Epochs[^1] : null;
                    progress?.Report(new TrainingProgress(TrainingEvent.LoadedFromCache, m, options.Training.Epochs, options.Training.Epochs, h.StepLosses.Count, 0,
                        double.NaN, last?.TrainLoss ?? double.NaN, last?.ValidationLoss, TimeSpan.Zero));
                    continue;
                }
                var history = RegressionTrainer.Fit(net, train, validation, options.Training, seed, progress, m, cancellationToken);
                histories.Add(history);
                if (weights is not null)
                {
                    net.SaveSafetensors(weights, new Dictionary<string, string> { ["member"] = m.ToString(System.Globalization.CultureInfo.InvariantCulture), ["seed"] = seed.ToString(System.Globalization.CultureInfo.InvariantCulture) });
                    history.Save(curve!);
                }
            }
        }
        catch
        {
            foreach (var n in members) n.Dispose();
            throw;
        }
        return new DeepEnsemble(options, members, histories, folder);
    }

    /// <summary>Wraps already trained members (e.g. built by hand) as an ensemble; it takes ownership of them.</summary>
    public static DeepEnsemble FromMembers(EnsembleOptions options, IReadOnlyList<UNet> members)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count == 0) throw new ArgumentException("An ensemble needs at least one member.", nameof(members));
        foreach (var m in members)
            if (m.Options != members[0].Options) throw new ArgumentException("All members must share the same U-Net options.", nameof(members));
        return new DeepEnsemble(options with { Members = members.Count }, [.. members], members.Select(_ => new RegressionTrainingHistory()).ToList(), null);
    }

    /// <summary>The raw member predictions for inputs [B, C_in, H, W] (evaluation mode, batched, no gradients).</summary>
    public MemberPredictions PredictMembers(Tensor inputs, int batchSize = 64) => PredictMembers(_members, inputs, batchSize, stochastic: false);

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
        var fitted = _members.Select(m => LastLayerLaplace.Fit(m, train, priorPrecision, batchSize)).ToArray();
        _local = fitted;
    }

    internal static MemberPredictions PredictMembers(IReadOnlyList<UNet> models, Tensor inputs, int batchSize, bool stochastic)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be positive.");
        foreach (var m in models) m.CheckInput(inputs);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var means = new List<Tensor>();
        var vars = new List<Tensor>();
        bool gaussian = models[0].Options.Head == RegressionHead.Gaussian;
        foreach (var model in models)
        {
            bool wasTraining = model.training;
            model.train(stochastic);
            try
            {
                var device = RegressionTrainer.ModelDevice(model);
                var ms = new List<Tensor>();
                var vs = new List<Tensor>();
                for (long start = 0; start < inputs.shape[0]; start += batchSize)
                {
                    long count = Math.Min(batchSize, inputs.shape[0] - start);
                    var x = inputs.narrow(0, start, count).to(device);
                    var (mean, variance) = model.Split(model.call(x));
                    ms.Add(mean.to(CPU));
                    if (variance is not null) vs.Add(variance.to(CPU));
                }
                means.Add(cat(ms, 0));
                if (gaussian) vars.Add(cat(vs, 0));
            }
            finally
            {
                model.train(wasTraining);
            }
        }
        var meanStack = stack(means, 0);
        var varStack = gaussian ? stack(vars, 0) : null;
        scope.MoveToOuter(meanStack);
        if (varStack is not null) scope.MoveToOuter(varStack);
        return new MemberPredictions(meanStack, varStack);
    }

    /// <summary>
    /// The cache key: SHA-256 (first 16 hex digits) of the network and training settings, the base seed
    /// and the training data (its DataKey, or a hash of the inputs, targets and mask).
    /// </summary>
    public static string CacheKey(EnsembleOptions options, RegressionData train)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(train);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var t = options.Training;
        // v = 2: the MSE warm-up also trains the variance head and Adam restarts at the switch (weights of v = 1 differ).
        var config = JsonSerializer.Serialize(new { v = 2, options.Network, t.Epochs, t.BatchSize, t.LearningRate, t.WeightDecay, t.MseWarmupEpochs, t.CosineSchedule, options.BaseSeed });
        sha.AppendData(Encoding.UTF8.GetBytes(config));
        if (options.DataKey is not null) sha.AppendData(Encoding.UTF8.GetBytes("key:" + options.DataKey));
        else
        {
            AppendTensor(sha, train.Inputs);
            AppendTensor(sha, train.Targets);
            if (train.Mask is not null) AppendTensor(sha, train.Mask);
        }
        return Convert.ToHexString(sha.GetHashAndReset())[..16].ToLowerInvariant();
    }

    private static void AppendTensor(IncrementalHash sha, Tensor t)
    {
        sha.AppendData(Encoding.UTF8.GetBytes($"[{string.Join(",", t.shape)}]{t.dtype}"));
        using var f = t.to(ScalarType.Float32);
        sha.AppendData(MemoryMarshal.AsBytes(f.ToArray<float>().AsSpan()));
    }

    /// <summary>Disposes the members.</summary>
    public void Dispose()
    {
        foreach (var m in _members) m.Dispose();
        _members.Clear();
    }
}
