using FisherKit.Plotting.Output;
using System.Text.Json;
using System.Text.Json.Serialization;
using FisherKit.Files;

namespace FisherKit.Uncertainty;

/// <summary>One epoch of a learning curve.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="TrainLoss">Mean training loss over the epoch.</param>
/// <param name="ValidationLoss">Validation loss after the epoch (null without validation data).</param>
/// <param name="ElapsedSeconds">Seconds since training started.</param>
/// <param name="UsedMse">True when the epoch trained with the MSE warm-up instead of the Gaussian NLL.</param>
public sealed record EpochRecord(int Epoch, double TrainLoss, double? ValidationLoss, double ElapsedSeconds, bool UsedMse);

/// <summary>The learning curve of one model: per-epoch losses and per-step losses; saved as JSON next to cached weights.</summary>
public sealed class RegressionTrainingHistory
{
    /// <summary>Per-epoch records.</summary>
    public List<EpochRecord> Epochs { get; init; } = [];

    /// <summary>Loss of every optimisation step.</summary>
    public List<double> StepLosses { get; init; } = [];

    /// <summary>True when the model was loaded from the cache (the history is the one recorded when it was trained).</summary>
    [JsonIgnore]
    public bool FromCache { get; set; }

    /// <summary>Training losses per epoch.</summary>
    [JsonIgnore]
    public double[] TrainLosses => Epochs.Select(e => e.TrainLoss).ToArray();

    /// <summary>Validation losses per epoch (NaN where absent).</summary>
    [JsonIgnore]
    public double[] ValidationLosses => Epochs.Select(e => e.ValidationLoss ?? double.NaN).ToArray();

    /// <summary>Writes the history as JSON (temporary file, then rename).</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, JsonOptions));
    }

    /// <summary>Reads a history written by <see cref="Save"/>.</summary>
    public static RegressionTrainingHistory Load(string path)
    {
        var h = JsonSerializer.Deserialize<RegressionTrainingHistory>(File.ReadAllText(path), JsonOptions)
            ?? throw new InvalidDataException($"{path} does not hold a training history.");
        return h;
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = false,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
