using static TorchSharp.torch;

namespace FisherKit.Training;

/// <summary>
/// Training on a training set that is extended stage by stage (Kretz et al. 2020 train their image-quality
/// network on "continuously extended" data): each stage is one <see cref="TrainingLoop.Run"/> of the same model
/// on that stage's batches (typically the previous data plus new, harder examples), the weights carried over
/// and the optimiser started afresh. The stages' learning curves are joined into one history (epochs and steps
/// counted on across stages).
/// </summary>
public static class CurriculumTraining
{
    /// <summary>Trains <paramref name="model"/> on every stage in turn with <paramref name="options"/>; returns the joined history.</summary>
    public static TrainingHistory Run(nn.Module<Tensor, Tensor> model, TrainingLoss loss, IReadOnlyList<BatchSource> stages, TrainingOptions options,
        BatchSource? validation = null, IProgress<TrainingProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(stages);
        ArgumentNullException.ThrowIfNull(options);
        if (stages.Count == 0 || stages.Any(s => s is null)) throw new ArgumentException("A curriculum needs at least one stage, none of them null.", nameof(stages));
        var records = new List<TrainingRecord>();
        var steps = new List<double>();
        int epochs = 0;
        long stepCount = 0;
        double seconds = 0;
        foreach (var stage in stages)
        {
            var h = TrainingLoop.Run(model, loss, stage, options, validation, progress);
            foreach (var r in h.Records)
                records.Add(r with { Epoch = r.Epoch + epochs, Step = r.Step + stepCount, EpochProgress = r.EpochProgress + epochs, ElapsedSeconds = r.ElapsedSeconds + seconds });
            steps.AddRange(h.StepLosses);
            epochs += h.Records.Count == 0 ? 0 : h.Records[^1].Epoch;
            stepCount += h.Steps;
            seconds += h.ElapsedSeconds;
        }
        return new TrainingHistory(records, steps, loss.Name);
    }
}
