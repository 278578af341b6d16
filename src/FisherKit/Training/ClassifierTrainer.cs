using System.Diagnostics;
using FisherKit.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Training;

/// <summary>
/// A small supervised training loop for image classifiers (any module from images (N, C, H, W) to
/// logits (N, K)): mini-batch cross-entropy, Adam or SGD, an optional validation set evaluated at the
/// end of every epoch, and learning-curve records handed to a callback while the run goes on (a
/// notebook turns them into live curves, see <see cref="TrainingCurves"/>). Deterministic: the order
/// of the samples in epoch e is a permutation seeded by (<see cref="TrainingOptions.Seed"/>, e), and
/// the global generator (dropout masks) is seeded with <see cref="TrainingOptions.Seed"/> at the
/// start, so the same initial weights, data and options give the same trained weights on the same
/// machine. <see cref="FitOrLoad"/> adds a weight cache: a model trained once with a configuration
/// is reloaded on the next run instead of being trained again.
/// </summary>
/// <example>
/// <code>
/// var spec = ConvNetSpec.Benchmark();
/// using var model = spec.Build(seed: 0);
/// var trainer = new ClassifierTrainer(new TrainingOptions { Epochs = 3 });
/// var run = trainer.FitOrLoad(model, spec.Description, fit, validation, onProgress: TrainingCurves.Live("CNN"));
/// Console.WriteLine(run.History);
/// </code>
/// </example>
public sealed class ClassifierTrainer
{
    /// <summary>Creates a trainer with the given options (validated here).</summary>
    public ClassifierTrainer(TrainingOptions? options = null)
    {
        Options = options ?? new TrainingOptions();
        Options.Validate();
    }

    /// <summary>The hyper-parameters.</summary>
    public TrainingOptions Options { get; }

    /// <summary>
    /// Trains <paramref name="model"/> in place on <paramref name="train"/> and returns its learning
    /// curves. <paramref name="onProgress"/> is called with the history so far after every new record
    /// (every <see cref="TrainingOptions.RecordEvery"/> mini-batches and at each epoch's end). The
    /// model is left in evaluation mode. Labels must be valid outputs of the model; a non-finite loss
    /// stops the run with an <see cref="InvalidOperationException"/> naming epoch and step.
    /// </summary>
    public TrainingHistory Fit(nn.Module<Tensor, Tensor> model, ImageDataset train, ImageDataset? validation = null,
        Action<TrainingHistory>? onProgress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        var parameters = model.parameters().Where(p => p.requires_grad).ToList();
        if (parameters.Count == 0) throw new ArgumentException($"{model.GetType().Name} has no trainable parameters.", nameof(model));
        var clock = Stopwatch.StartNew();
        var history = new TrainingHistory();
        manual_seed(Options.Seed);
        using var optimizer = Options.Optimizer == OptimizerKind.Adam
            ? (optim.Optimizer)optim.Adam(parameters, lr: Options.LearningRate, weight_decay: Options.WeightDecay)
            : optim.SGD(parameters, Options.LearningRate, momentum: Options.Momentum, weight_decay: Options.WeightDecay);
        var schedule = Options.Schedule == LearningRateSchedule.Cosine ? optim.lr_scheduler.CosineAnnealingLR(optimizer, Options.Epochs) : null;
        long batchesPerEpoch = (train.Count + Options.BatchSize - 1) / Options.BatchSize;
        long step = 0;
        try
        {
            for (int epoch = 1; epoch <= Options.Epochs; epoch++)
            {
                model.train();
                double lossSum = 0;
                long correct = 0, seen = 0, batch = 0;
                foreach (var b in train.Batches(Options.BatchSize, shuffle: true, seed: ShuffleSeed(Options.Seed, epoch), device: Options.Device))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    using var scope = NewDisposeScope();
                    optimizer.zero_grad();
                    var logits = model.call(b.Images);
                    if (epoch == 1 && batch == 0) CheckLogits(logits, train, model);
                    var loss = nn.functional.cross_entropy(logits, b.Labels);
                    var value = loss.ToDouble();
                    if (!double.IsFinite(value))
                        throw new InvalidOperationException($"The training loss became {value} in epoch {epoch}, step {step + 1}; lower the learning rate or check the data.");
                    loss.backward();
                    optimizer.step();
                    lossSum += value * b.Count;
                    using (no_grad()) correct += logits.argmax(1).eq(b.Labels).sum().item<long>();
                    seen += b.Count;
                    step++;
                    batch++;
                    if (batch % Options.RecordEvery == 0 && batch < batchesPerEpoch)
                    {
                        history.Add(new TrainingRecord(epoch, step, epoch - 1 + batch / (double)batchesPerEpoch, lossSum / seen, correct / (double)seen,
                            null, null, optimizer.ParamGroups.First().LearningRate, clock.Elapsed.TotalSeconds));
                        onProgress?.Invoke(history);
                        lossSum = 0;
                        correct = seen = 0;
                    }
                }
                double? validationLoss = null, validationAccuracy = null;
                if (validation is not null)
                {
                    var (l, a) = Evaluate(model, validation, Math.Max(Options.BatchSize, 256), Options.Device);
                    validationLoss = l;
                    validationAccuracy = a;
                }
                history.Add(new TrainingRecord(epoch, step, epoch, seen > 0 ? lossSum / seen : history.Last!.TrainLoss, seen > 0 ? correct / (double)seen : history.Last!.TrainAccuracy,
                    validationLoss, validationAccuracy, optimizer.ParamGroups.First().LearningRate, clock.Elapsed.TotalSeconds));
                onProgress?.Invoke(history);
                schedule?.step();
            }
        }
        finally
        {
            model.eval();
        }
        return history;
    }

    /// <summary>
    /// Loads the weights trained with this exact configuration from <paramref name="cache"/> (default
    /// <see cref="WeightCache.Default"/>), or trains (<see cref="Fit"/>) and stores them. The key
    /// (<see cref="TrainingKey"/>) hashes the architecture description, the model's parameter names
    /// and shapes, its initial weights, the training and validation data and the options, so any
    /// change trains anew; <paramref name="retrain"/> trains even when weights are cached (and
    /// replaces them). A cached file that cannot be read or whose key text differs is retrained and
    /// replaced. <paramref name="name"/> prefixes the file name.
    /// </summary>
    public TrainingRun FitOrLoad(nn.Module<Tensor, Tensor> model, string architecture, ImageDataset train, ImageDataset? validation = null,
        bool retrain = false, WeightCache? cache = null, Action<TrainingHistory>? onProgress = null, string name = "classifier",
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(architecture);
        ArgumentNullException.ThrowIfNull(train);
        cache ??= WeightCache.Default;
        var key = TrainingKey.Create(name, architecture, model, train, validation, Options);
        if (!retrain && cache.TryLoad(model, key, out var cached, out _))
        {
            model.eval();
            return new TrainingRun(key, cache.PathOf(key), cached, FromCache: true);
        }
        var history = Fit(model, train, validation, onProgress, cancellationToken);
        var path = cache.Save(model, key, history);
        return new TrainingRun(key, path, history, FromCache: false);
    }

    /// <summary>Mean cross-entropy and accuracy of the model on a data set, in evaluation mode without gradients (the mode is restored).</summary>
    public static (double Loss, double Accuracy) Evaluate(nn.Module<Tensor, Tensor> model, ImageDataset data, int batchSize = 256, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        var modes = model.NamedModulesWithSelf().Select(m => (m.module, m.module.training)).ToList();
        model.eval();
        try
        {
            double lossSum = 0;
            long correct = 0;
            using var grad = no_grad();
            foreach (var b in data.Batches(batchSize, device: device))
            {
                using var scope = NewDisposeScope();
                var logits = model.call(b.Images);
                lossSum += nn.functional.cross_entropy(logits, b.Labels, reduction: nn.Reduction.Sum).ToDouble();
                correct += logits.argmax(1).eq(b.Labels).sum().item<long>();
            }
            return (lossSum / data.Count, correct / (double)data.Count);
        }
        finally
        {
            foreach (var (m, t) in modes) m.train(t);
        }
    }

    /// <summary>The shuffle seed of epoch <paramref name="epoch"/>: distinct per (seed, epoch) pair.</summary>
    internal static long ShuffleSeed(long seed, int epoch) => unchecked(seed * 1_000_003L + epoch);

    private static void CheckLogits(Tensor logits, ImageDataset train, nn.Module model)
    {
        if (logits.ndim != 2)
            throw new ArgumentException($"{model.GetType().Name} must return logits (N, K); it returned shape {TensorChecks.Shape(logits.shape)}.", nameof(model));
        if (logits.size(1) < train.ClassCount)
            throw new ArgumentException($"{model.GetType().Name} has {logits.size(1)} outputs but the data set has {train.ClassCount} classes.", nameof(model));
    }
}
