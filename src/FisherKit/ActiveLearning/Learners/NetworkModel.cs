using FisherKit.Models;
using FisherKit.Fisher.Likelihoods;
using FisherKit.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FisherKit.ActiveLearning.Learners;

/// <summary>
/// A neural network as an active-learning model: trained on the labelled set by FisherKit's one
/// <see cref="TrainingLoop"/> (cross-entropy for classification; squared error on standardised targets for
/// regression; Adam by default, see <see cref="TrainingOptions"/>), MC-dropout sampling
/// through its <see cref="McDropoutLayer"/> (or <c>nn.Dropout</c>) layers, and the Fisher information of
/// its outputs for the Fisher-based acquisitions.
/// <para>
/// Determinism: the constructor re-initialises the weights from <c>seed</c> (<see cref="ParameterInit"/>);
/// <see cref="Fit"/> draws mini-batch orders (<see cref="TensorBatches"/>) and <see cref="McDropoutLayer"/> masks from
/// generators seeded by its <c>seed</c>. Stock <c>nn.Dropout</c> layers draw from the global generator, which is seeded from the
/// same seed for the call and put back afterwards (<see cref="GlobalRandom.Fork"/>): reproducible when nothing else draws
/// from it concurrently.
/// </para>
/// <para>
/// Regression targets are standardised with the labelled set's mean and standard deviation (kept in the
/// state dict); the network's outputs, and so its Fisher information (Gaussian, σ = 1), are in those units.
/// </para>
/// </summary>
public sealed class NetworkModel : IActiveModel, IPosteriorSampler, IFisherModel
{
    private readonly nn.Module<Tensor, Tensor> _network;
    private readonly Device _device;
    private readonly ScalarType _dtype;
    private Tensor? _targetMean;
    private Tensor? _targetStd;

    /// <summary>Wraps <paramref name="network"/> (owned from now on) and re-initialises its weights from <paramref name="seed"/>.</summary>
    /// <param name="task">Classification (the network outputs logits) or regression (it outputs means).</param>
    /// <param name="network">The network; its parameters' device and dtype are used for all inputs.</param>
    /// <param name="seed">Seed of the initial weights.</param>
    /// <param name="options">Training settings (default: <see cref="DefaultTraining"/>, 50 epochs of Adam in batches of 128); <see cref="TrainingOptions.Seed"/> is replaced by <see cref="Fit"/>'s seed.</param>
    /// <param name="likelihood">The predictive distribution for the Fisher information; default Categorical or Gaussian(σ = 1).</param>
    /// <param name="predictBatchSize">Inputs per forward pass when predicting.</param>
    public NetworkModel(TaskKind task, nn.Module<Tensor, Tensor> network, long seed, TrainingOptions? options = null, PredictiveDistribution? likelihood = null, int predictBatchSize = 1024)
    {
        _network = network ?? throw new ArgumentNullException(nameof(network));
        Task = task;
        Options = options ?? DefaultTraining;
        Options.Validate();
        if (predictBatchSize < 1) throw new ArgumentOutOfRangeException(nameof(predictBatchSize), predictBatchSize, "must be ≥ 1");
        PredictBatchSize = predictBatchSize;
        var first = network.parameters().FirstOrDefault() ?? throw new ArgumentException("The network has no parameters.", nameof(network));
        _device = first.device;
        _dtype = first.dtype;
        Likelihood = likelihood ?? (task == TaskKind.Classification ? new FisherKit.Fisher.Likelihoods.Categorical() : new Gaussian(1));
        using (var gen = new Generator((ulong)seed)) ParameterInit.Reset(network, gen);
        network.eval();
    }

    /// <inheritdoc />
    public TaskKind Task { get; }

    /// <summary>The training of an active-learning network unless told otherwise: 50 epochs of Adam (learning rate 1e-3) in batches of 128.</summary>
    public static TrainingOptions DefaultTraining { get; } = new() { Epochs = 50, BatchSize = 128 };

    /// <summary>Training settings.</summary>
    public TrainingOptions Options { get; }

    /// <summary>Inputs per forward pass when predicting.</summary>
    public int PredictBatchSize { get; }

    /// <summary>The learning curves of the last <see cref="Fit"/> (empty before).</summary>
    public TrainingHistory History { get; private set; } = new();

    /// <inheritdoc />
    public nn.Module<Tensor, Tensor> Network => _network;

    /// <inheritdoc />
    public PredictiveDistribution Likelihood { get; }

    /// <inheritdoc />
    public Linear LastLayer =>
        _network.NamedModulesWithSelf().Select(m => m.module).OfType<Linear>().LastOrDefault()
        ?? throw new InvalidOperationException("The network has no Linear layer, so there is no last layer for a last-layer Fisher projection.");

    /// <summary>True when the network has dropout layers (MC-dropout samples differ); false for a deterministic network.</summary>
    public bool HasDropout => DropoutLayers().Any();

    /// <inheritdoc />
    public Tensor PrepareInputs(Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(inputs.to(_dtype, _device));
    }

    private bool HasStockDropout => DropoutLayers().Any(m => m is not McDropoutLayer);

    private IEnumerable<nn.Module> DropoutLayers() =>
        _network.NamedModulesWithSelf().Select(m => m.module).Where(m => m is McDropoutLayer || ModuleTree.IsDropout(m));   // the layers SamplePredictions switches on

    private void SetDropoutGenerator(Generator? g)
    {
        foreach (var d in DropoutLayers().OfType<McDropoutLayer>()) d.Generator = g;
    }

    /// <inheritdoc />
    public void Fit(Tensor inputs, Tensor targets, long seed)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        var n = inputs.shape[0];
        if (n < 1) throw new ArgumentException("Cannot train on an empty labelled set.", nameof(inputs));
        if (targets.shape[0] != n) throw new ArgumentException($"{n} inputs but {targets.shape[0]} targets.", nameof(targets));
        using var order = new Generator((ulong)SeedSequence.Derive(seed, 1));
        using var masks = new Generator((ulong)SeedSequence.Derive(seed, 2), _device);
        using var random = HasStockDropout ? GlobalRandom.Fork(SeedSequence.Derive(seed, 3)) : null;
        using var outer = NewDisposeScope();
        var x = inputs.to(_dtype, _device);
        Tensor y;
        if (Task == TaskKind.Classification)
        {
            if (targets.dtype != ScalarType.Int64) throw new ArgumentException($"Class labels must be int64, got {targets.dtype}.", nameof(targets));
            y = targets.to(_device);
        }
        else
        {
            var t = TensorUtil.AsMatrix(targets).to(ScalarType.Float64);
            _targetMean?.Dispose();
            _targetStd?.Dispose();
            var mean = t.mean([0]);
            var std = n > 1 ? t.std(0, unbiased: false) : ones_like(mean);
            std = where(std.gt(Hold(1e-12)), std, ones_like(std));
            _targetMean = mean.DetachFromDisposeScope();
            _targetStd = std.DetachFromDisposeScope();
            y = ((t - _targetMean) / _targetStd).to(_dtype, _device);
        }
        var options = Options with { Seed = seed };
        _network.eval();   // the loop trains in training mode and gives every module back this mode
        SetDropoutGenerator(masks);
        try
        {
            TrainingLoss loss = Task == TaskKind.Classification ? new ClassificationLoss() : new SquaredErrorLoss();
            History = TrainingLoop.Run(_network, loss, new TensorBatches(x, y, options.BatchSize, order, options.EqualBatches), options);
        }
        finally
        {
            SetDropoutGenerator(null);
        }
    }

    /// <summary>The raw network outputs (logits or standardised means), batched, no gradient.</summary>
    private Tensor Outputs(Tensor inputs)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var x = inputs.to(_dtype, _device);
        var parts = new List<Tensor>();
        for (long s = 0; s < x.shape[0]; s += PredictBatchSize)
            parts.Add(_network.call(x.narrow(0, s, Math.Min(PredictBatchSize, x.shape[0] - s))));
        return scope.MoveToOuter(cat(parts, 0));
    }

    private Tensor ToPrediction(Tensor z)
    {
        using var scope = NewDisposeScope();
        var z64 = z.to(ScalarType.Float64, CPU);
        Tensor r;
        if (Task == TaskKind.Classification) r = nn.functional.softmax(z64, 1);
        else r = _targetMean is null ? z64 : (z64 * _targetStd!).add(_targetMean, One);
        return scope.MoveToOuter(r);
    }

    /// <summary>Runs <paramref name="layers"/> in order over <paramref name="inputs"/> in batches of <see cref="PredictBatchSize"/>, no gradient.</summary>
    private Tensor Run(IReadOnlyList<nn.Module<Tensor, Tensor>> layers, Tensor inputs)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var x = inputs.to(_dtype, _device);
        var parts = new List<Tensor>();
        for (long s = 0; s < x.shape[0]; s += PredictBatchSize)
        {
            var h = x.narrow(0, s, Math.Min(PredictBatchSize, x.shape[0] - s));
            foreach (var layer in layers) h = layer.call(h);
            parts.Add(h);
        }
        return scope.MoveToOuter(cat(parts, 0));
    }

    /// <inheritdoc />
    public Tensor Predict(Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        using var scope = NewDisposeScope();
        _network.eval();
        return scope.MoveToOuter(ToPrediction(Outputs(inputs)));
    }

    /// <inheritdoc />
    public Tensor SamplePredictions(Tensor inputs, int samples, long seed)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), samples, "At least one MC sample is needed.");
        using var masks = new Generator((ulong)seed, _device);
        using var random = HasStockDropout ? GlobalRandom.Fork(seed) : null;
        using var scope = NewDisposeScope();
        using var mode = ModuleMode.Set(_network, m => m is McDropoutLayer || ModuleTree.IsDropout(m));   // MC dropout: dropout layers on, the rest in evaluation mode
        SetDropoutGenerator(masks);
        try
        {
            // The layers of a Sequential before its first dropout layer give the same output in every
            // pass: compute them once, then run only the rest per sample (masks are drawn in the same order).
            var (prefix, rest) = _network.SplitAtFirstDropout(m => m is McDropoutLayer || ModuleTree.IsDropout(m));
            var x = prefix.Count == 0 ? inputs : Run(prefix, inputs);
            var draws = new List<Tensor>(samples);
            for (int s = 0; s < samples; s++) draws.Add(ToPrediction(prefix.Count == 0 ? Outputs(x) : Run(rest, x)));
            return scope.MoveToOuter(stack(draws, 0));
        }
        finally
        {
            SetDropoutGenerator(null);
        }
    }

    /// <summary>Key of the target mean in the state dict (regression).</summary>
    public const string TargetMeanKey = "__target_mean";

    /// <summary>Key of the target standard deviation in the state dict (regression).</summary>
    public const string TargetStdKey = "__target_std";

    /// <inheritdoc />
    public Dictionary<string, Tensor> StateDict()
    {
        var d = _network.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
        if (_targetMean is not null)
        {
            d[TargetMeanKey] = _targetMean.clone();
            d[TargetStdKey] = _targetStd!.clone();
        }
        return d;
    }

    /// <inheritdoc />
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var weights = state.Where(kv => kv.Key != TargetMeanKey && kv.Key != TargetStdKey).ToDictionary(kv => kv.Key, kv => kv.Value);
        _network.load_state_dict(weights);
        _targetMean?.Dispose();
        _targetStd?.Dispose();
        _targetMean = state.TryGetValue(TargetMeanKey, out var m) ? m.to(ScalarType.Float64).clone().DetachFromDisposeScope() : null;
        _targetStd = state.TryGetValue(TargetStdKey, out var s) ? s.to(ScalarType.Float64).clone().DetachFromDisposeScope() : null;
    }

    /// <summary>Disposes the network and the target scaling.</summary>
    public void Dispose()
    {
        _network.Dispose();
        _targetMean?.Dispose();
        _targetStd?.Dispose();
    }
}
