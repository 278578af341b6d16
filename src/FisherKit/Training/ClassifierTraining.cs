using FisherKit.Data;
using static TorchSharp.torch;

namespace FisherKit.Training;

/// <summary>
/// Training image classifiers (any module from images (N, C, H, W) to logits (N, K)) with the one
/// <see cref="TrainingLoop"/>: mini-batch cross-entropy (<see cref="ClassificationLoss"/>) on an
/// <see cref="ImageDataset"/> shuffled per epoch (<see cref="ImageBatches"/>), an optional validation set
/// evaluated after every epoch, and learning curves for a live figure (<see cref="TrainingCurves.Live"/>).
/// Deterministic: the order of the samples in epoch e is a permutation seeded by
/// (<see cref="TrainingOptions.Seed"/>, e), and the global generator (dropout masks) is seeded with
/// <see cref="TrainingOptions.Seed"/> for the run and put back afterwards (<see cref="GlobalRandom.Fork"/>), so the same initial weights, data and options give the
/// same trained weights on the same machine and engine. <see cref="FitOrLoad"/> adds the
/// <see cref="ResultCache"/>: a model trained once is reloaded on the next run.
/// </summary>
/// <example>
/// <code>
/// var spec = ConvNetSpec.Benchmark();
/// using var model = spec.Build(seed: 0);
/// var run = ClassifierTraining.FitOrLoad(model, spec.Description, fit, validation, new TrainingOptions { Epochs = 3 },
///     name: "fmnist-cnn", progress: TrainingCurves.Live("CNN"));
/// Console.WriteLine(run);
/// </code>
/// </example>
public static class ClassifierTraining
{
    /// <summary>
    /// Trains <paramref name="model"/> in place and returns its learning curves; the model is left in
    /// evaluation mode (also when training fails). Labels must be valid outputs of the model; a non-finite
    /// loss stops the run with an <see cref="InvalidOperationException"/> naming epoch and step.
    /// </summary>
    public static TrainingHistory Fit(nn.Module<Tensor, Tensor> model, ImageDataset train, ImageDataset? validation, TrainingOptions options,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.EqualBatches) throw new ArgumentException("EqualBatches applies to tensor batches, not to image data sets.", nameof(options));
        model.eval();
        using var random = GlobalRandom.Fork(options.Seed);   // dropout masks; the caller's random stream is put back afterwards
        return TrainingLoop.Run(model, new ClassificationLoss(train.ClassCount), new ImageBatches(train, options.BatchSize, options.Seed, options.Device), options,
            validation is null ? null : new ImageBatches(validation, Math.Max(options.BatchSize, 256), device: options.Device), progress, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Loads the weights trained with this exact configuration from <paramref name="cache"/> (default
    /// <see cref="ResultCache.Default"/>), or trains them (<see cref="Fit"/>) and stores them. The key
    /// (<see cref="Key"/>) holds the architecture description, the model's parameter names and shapes, its
    /// initial weights, the training and validation data, the options and the engine, so any change trains
    /// anew. <paramref name="name"/> names the entry (under <c>models/</c>).
    /// </summary>
    public static TrainingRun FitOrLoad(nn.Module<Tensor, Tensor> model, string architecture, ImageDataset train, ImageDataset? validation, TrainingOptions options,
        ResultCache? cache = null, IProgress<TrainingProgress>? progress = null, string name = "classifier", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        var key = Key(name, architecture, model, train, validation, options);
        return (cache ?? ResultCache.Default).LoadOrTrain(model, key, () => Fit(model, train, validation, options, progress, cancellationToken), progress);
    }

    /// <summary>
    /// The cache key of training <paramref name="model"/> (with its current, initial weights) as described by
    /// <paramref name="architecture"/> on the given data with <paramref name="options"/>: "models/name" with
    /// the values of all of these (see <see cref="CacheKey"/>).
    /// </summary>
    public static CacheKey Key(string name, string architecture, nn.Module model, ImageDataset train, ImageDataset? validation, TrainingOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(architecture);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return CacheKey.For("models/" + name)
            .With("trainer", TrainingLoop.Version + " image classifier")
            .With("architecture", architecture.ReplaceLineEndings(" "))
            .WithModel("model", model)
            .WithData("train", train)
            .WithData("validation", validation)
            .WithSettings("training", options);
    }

    /// <summary>Mean cross-entropy and accuracy of the model on a data set, in evaluation mode without gradients (the mode is restored).</summary>
    public static (double Loss, double Accuracy) Evaluate(nn.Module<Tensor, Tensor> model, ImageDataset data, int batchSize = 256, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var (loss, accuracy) = TrainingLoop.Evaluate(model, new ClassificationLoss(), new ImageBatches(data, batchSize, device: device));
        return (loss, accuracy!.Value);
    }
}
