using System.Diagnostics;
using System.Globalization;
using FisherKit.TorchSharpAdditions;
using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Training;

/// <summary>
/// FisherKit's one training loop. Every network FisherKit trains goes through <see cref="Run"/>: image
/// classifiers (<see cref="ClassifierTraining"/>), U-Nets and their deep ensembles
/// (<c>FisherKit.Uncertainty.UNetTraining</c>, <c>DeepEnsemble</c>) and the networks of active learning
/// (<c>FisherKit.ActiveLearning.Learners.NetworkModel</c>). What differs between them is an argument:
/// the loss (<see cref="TrainingLoss"/>), where the batches come from (<see cref="BatchSource"/>), the
/// optimiser, schedule, length and warm-up (<see cref="TrainingOptions"/>), and where progress goes
/// (<see cref="IProgress{T}"/> of <see cref="TrainingProgress"/>).
/// </summary>
/// <remarks>
/// Per epoch e = 1, 2, …: at the end of the loss's warm-up the optimiser starts afresh; the cosine
/// schedule sets the epoch's learning rate; then for every batch of the epoch, in a dispose scope of its
/// own: drop the gradients (PyTorch's default; a parameter the backward pass does not reach gets zeros
/// where TorchSharp's zero_grad would have left them), forward, loss, check that it is finite, backward, optimiser step, record. After
/// the epoch the model is evaluated on the validation batches (evaluation mode, no gradients) and the
/// epoch's record is added. The run ends after <see cref="TrainingOptions.TotalSteps"/> steps. The loop
/// itself draws no random numbers: the batch source orders the samples, and dropout draws from whatever
/// generator the front end seeded. The model trains in training mode and every module gets back the mode
/// it had before, also when the run fails (<see cref="ModuleMode"/>). A loss that is not finite stops the
/// run with an <see cref="InvalidOperationException"/> naming the epoch and the step, before the step is
/// taken; so does a validation loss that is not finite after an epoch. A batch norm that would get one value per
/// channel in training (a last batch of 1 item for <c>BatchNorm1d</c>) stops the run with an
/// <see cref="ArgumentException"/> before its running statistics become NaN.
/// </remarks>
/// <example>
/// <code>
/// var history = TrainingLoop.Run(model, new ClassificationLoss(10), new ImageBatches(train, 128, shuffleSeed: 0),
///     new TrainingOptions { Epochs = 3 }, validation: new ImageBatches(validation, 256), progress: TrainingCurves.Live("CNN"));
/// </code>
/// </example>
public static class TrainingLoop
{
    /// <summary>Version of what the loop computes; part of every cache key of trained weights (<see cref="CacheKey"/>).</summary>
    public const string Version = "fisherkit-training-loop/1";

    /// <summary>
    /// Trains <paramref name="model"/> in place and returns its learning curves. <paramref name="progress"/>
    /// gets a report after every step, record and epoch, and at the end; <paramref name="member"/> is passed
    /// on in the reports (the index of an ensemble member).
    /// </summary>
    public static TrainingHistory Run(nn.Module<Tensor, Tensor> model, TrainingLoss loss, BatchSource train, TrainingOptions options,
        BatchSource? validation = null, IProgress<TrainingProgress>? progress = null, int member = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.Device is { } device) model.to(device);
        var parameters = model.parameters().Where(p => p.requires_grad).ToList();
        if (parameters.Count == 0) throw new ArgumentException($"{model.GetType().Name} has no trainable parameters.", nameof(model));

        long perEpoch = train.BatchesPerEpoch;
        long total = Math.Max(options.Epochs * perEpoch, options.MinSteps);
        int epochs = checked((int)((total + perEpoch - 1) / perEpoch));
        int warmup = loss.HasWarmup ? Math.Min(options.WarmupEpochs, epochs) : 0;
        double decay = options.WeightDecayFor(train.Count);
        var history = new TrainingHistory(loss.Name);
        var clock = Stopwatch.StartNew();
        var optimizer = CreateOptimizer(parameters, options, decay);
        var held = HoldGradients(parameters);
        using var modes = ModuleMode.Train(model);
        var batchNormGuards = GuardBatchNorms(model);
        try
        {
            long step = 0;
            for (int epoch = 1; epoch <= epochs; epoch++)
            {
                bool warmUp = epoch <= warmup;
                if (warmup > 0 && epoch == warmup + 1)
                {
                    // The loss changes (e.g. from the squared error to the NLL, where the mean's gradients grow
                    // by 1/σ²); the optimiser's moment estimates still hold the warm-up's scale and would take
                    // steps many times too large. Start them afresh, as at the beginning of training.
                    optimizer.Dispose();
                    optimizer = CreateOptimizer(parameters, options, decay);
                }
                if (options.Schedule == LearningRateSchedule.Cosine)
                    foreach (var g in optimizer.ParamGroups) g.LearningRate = options.LearningRate * 0.5 * (1 + Math.Cos(Math.PI * (epoch - 1) / epochs));
                long stepsThisEpoch = Math.Min(perEpoch, total - (epoch - 1) * perEpoch);
                var window = new Sums();
                var whole = new Sums();
                long batch = 0;
                foreach (var b in train.Epoch(epoch).Take(checked((int)stepsThisEpoch)))   // a shortened last epoch asks for no further batch
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    using var scope = NewDisposeScope();
                    DropGradients(parameters);
                    var output = model.call(b.Inputs);
                    if (step == 0) loss.Check(model, output, b);
                    var l = loss.Compute(output, b, warmUp);
                    double value = l.Reported.ToDouble();
                    double minimised = ReferenceEquals(l.Minimised, l.Reported) ? value : l.Minimised.ToDouble();
                    if (!double.IsFinite(value) || !double.IsFinite(minimised))
                        throw new InvalidOperationException(NonFinite(double.IsFinite(minimised) ? value : minimised, epoch, step + 1, batch + 1, member, loss.HasWarmup && warmup == 0));
                    l.Minimised.backward();
                    RestoreZeroGradients(parameters, held);
                    optimizer.step();
                    long correct = l.Correct is { } c ? c.item<long>() : 0;
                    step++;
                    batch++;
                    window.Add(value, correct, b.Count);
                    whole.Add(value, correct, b.Count);
                    history.AddStep(value);
                    progress?.Report(new TrainingProgress(TrainingEvent.Step, member, epoch, epochs, step, total, value, history, clock.Elapsed));
                    if (batch % options.RecordEvery == 0 && batch < stepsThisEpoch)
                    {
                        history.Add(new TrainingRecord(epoch, step, epoch - 1 + batch / (double)perEpoch, window.Mean, loss.CountsCorrect ? window.Accuracy : null,
                            null, null, optimizer.ParamGroups.First().LearningRate, clock.Elapsed.TotalSeconds) { WarmUp = warmUp });
                        progress?.Report(new TrainingProgress(TrainingEvent.Record, member, epoch, epochs, step, total, double.NaN, history, clock.Elapsed));
                        window = new Sums();
                    }
                }
                double? validationLoss = null, validationAccuracy = null;
                if (validation is not null)
                {
                    var (vl, va) = Evaluate(model, loss, validation, warmUp);
                    if (!double.IsFinite(vl))
                        throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                            $"The validation loss became {vl} after epoch {epoch}{(member > 0 ? $" (ensemble member {member})" : "")}, while the training loss was finite: the network fails in evaluation mode (a batch norm's running statistics, or inputs the training batches never had). Training stopped."));
                    validationLoss = vl;
                    validationAccuracy = va;
                }
                history.Add(new TrainingRecord(epoch, step, epoch - 1 + batch / (double)perEpoch, window.Mean, loss.CountsCorrect ? window.Accuracy : null,
                    validationLoss, validationAccuracy, optimizer.ParamGroups.First().LearningRate, clock.Elapsed.TotalSeconds)
                {
                    EndOfEpoch = true,
                    EpochTrainLoss = whole.Mean,
                    EpochTrainAccuracy = loss.CountsCorrect ? whole.Accuracy : null,
                    WarmUp = warmUp,
                });
                progress?.Report(new TrainingProgress(TrainingEvent.EpochEnd, member, epoch, epochs, step, total, double.NaN, history, clock.Elapsed));
            }
            progress?.Report(new TrainingProgress(TrainingEvent.Finished, member, epochs, epochs, step, total, double.NaN, history, clock.Elapsed));
            return history;
        }
        finally
        {
            // A run that stopped between dropping the gradients and the step leaves them as zero_grad would
            // have: a later run on the same model then updates the same parameters.
            RestoreZeroGradients(parameters, held);
            optimizer.Dispose();
            foreach (var remove in batchNormGuards) remove();
        }
    }

    /// <summary>
    /// A check before every batch norm of the model that tracks running statistics: in training it needs more than
    /// one value per channel. With one (a last batch of 1 item for <c>BatchNorm1d</c>) the batch variance is
    /// undefined and libtorch, called by TorchSharp, does not refuse as PyTorch's Python layer does: the running
    /// variance becomes NaN and every later evaluation with it. Returns the removers of the hooks.
    /// </summary>
    private static List<Action> GuardBatchNorms(nn.Module<Tensor, Tensor> model)
    {
        var removers = new List<Action>();
        foreach (var (name, module) in model.NamedModulesWithSelf())
        {
            if (module is not TorchSharp.Modules.BatchNorm bn || !bn.track_running_stats) continue;
            string layer = name.Length == 0 ? "the model" : $"'{name}'";
            removers.Add(bn.register_forward_pre_hook((m, input) =>
            {
                if (m.training && HeldBatchNorm.HasOneValuePerChannel(input))
                    throw new ArgumentException($"The batch norm {layer} got one value per channel in training (input {TensorChecks.Shape(input)}): its batch variance is undefined and its running variance would become NaN. Train with batches of at least 2 items (TrainingOptions.EqualBatches spreads a remainder of 1 over the epoch's batches).");
                return input;
            }).remove);
        }
        return removers;
    }

    /// <summary>
    /// The mean loss of <paramref name="model"/> over <paramref name="data"/> (in its order) and, for a loss
    /// that counts correct predictions, the accuracy; in evaluation mode (restored afterwards), without
    /// gradients. <paramref name="warmUp"/> evaluates the warm-up's loss.
    /// </summary>
    public static (double Loss, double? Accuracy) Evaluate(nn.Module<Tensor, Tensor> model, TrainingLoss loss, BatchSource data, bool warmUp = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(data);
        using var mode = ModuleMode.Eval(model);
        using var grad = no_grad();
        double sum = 0;
        long correct = 0;
        foreach (var b in data.InOrder())
        {
            using var scope = NewDisposeScope();
            var (s, c) = loss.Evaluate(ConvolutionWorkspace.Call(model, b.Inputs), b, warmUp);
            sum += s;
            correct += c;
        }
        return (sum / data.Count, loss.CountsCorrect ? correct / (double)data.Count : null);
    }

    /// <summary>
    /// Drops the gradients before a step, as PyTorch's <c>zero_grad()</c> does by default (TorchSharp's
    /// zeroes them): the backward pass then stores each gradient instead of adding it to zeros, which
    /// saves two passes over every parameter (a batch-1 step of the benchmark CNN spends about a tenth of
    /// its time on them, the kernels table "Training step, batch 1"). The sums 0 + g are exact (but for the
    /// sign of a zero, which no update sees), so the weights stay the same to the last bit.
    /// </summary>
    private static void DropGradients(List<TorchSharp.Modules.Parameter> parameters)
    {
        foreach (var p in parameters) p.grad = null;
    }

    /// <summary>
    /// Which parameters hold a gradient (a previous run's or step's): TorchSharp's <c>zero_grad()</c> keeps
    /// such a gradient, zeroed, from then on.
    /// </summary>
    private static bool[] HoldGradients(List<TorchSharp.Modules.Parameter> parameters) =>
        [.. parameters.Select(p => { using var grad = p.grad; return grad is not null; })];

    /// <summary>
    /// After the backward pass: zeros for a parameter it did not reach this step but that held a gradient
    /// before, as TorchSharp's <c>zero_grad()</c> would have left it, so the optimiser updates it as before
    /// (Adam's moments go on moving it, weight decay shrinks it); a parameter that never had a gradient is
    /// skipped by the optimiser, as before. <paramref name="held"/> is updated.
    /// </summary>
    private static void RestoreZeroGradients(List<TorchSharp.Modules.Parameter> parameters, bool[] held)
    {
        for (int i = 0; i < parameters.Count; i++)
        {
            using var grad = parameters[i].grad;
            if (grad is not null) held[i] = true;
            else if (held[i]) parameters[i].grad = zeros_like(parameters[i]);
        }
    }

    private static optim.Optimizer CreateOptimizer(IList<TorchSharp.Modules.Parameter> parameters, TrainingOptions options, double decay) =>
        options.Optimizer switch
        {
            // TorchSharp's Adam bit for bit, with held Scalars (its own step leaves them to the finalizer: HeldScalars).
            OptimizerKind.Adam => new TorchSharpAdditions.FusedAdam(parameters, lr: options.LearningRate, weight_decay: decay) { OnePass = false },
            OptimizerKind.FusedAdam => new TorchSharpAdditions.FusedAdam(parameters, lr: options.LearningRate, weight_decay: decay),
            OptimizerKind.Sgd => optim.SGD(parameters, options.LearningRate, momentum: options.Momentum, weight_decay: decay),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Optimizer, "Unknown optimiser."),
        };

    private static string NonFinite(double value, int epoch, long step, long batch, int member, bool suggestWarmup)
    {
        var who = member > 0 ? string.Create(CultureInfo.InvariantCulture, $" (ensemble member {member})") : "";
        var hint = suggestWarmup ? " or train with WarmupEpochs" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"The training loss became {value} in epoch {epoch}, step {step} (batch {batch} of the epoch){who}; training stopped before that step. Lower the learning rate or check the data{hint}.");
    }

    private struct Sums
    {
        private double _loss;
        private long _correct, _seen;

        public void Add(double loss, long correct, long count)
        {
            _loss += loss * count;
            _correct += correct;
            _seen += count;
        }

        public readonly double Mean => _seen > 0 ? _loss / _seen : double.NaN;

        public readonly double Accuracy => _seen > 0 ? _correct / (double)_seen : double.NaN;
    }
}
