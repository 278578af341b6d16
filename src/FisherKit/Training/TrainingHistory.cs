using System.Text.Json;
using System.Text.Json.Serialization;

namespace FisherKit.Training;

/// <summary>
/// The learning curves of a training run: its <see cref="TrainingRecord"/>s in order. Stored with the
/// weights in the weight cache (as JSON in the safetensors metadata), so a model loaded from the cache
/// still shows how it was trained.
/// </summary>
public sealed class TrainingHistory
{
    private static readonly JsonSerializerOptions Json = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly List<TrainingRecord> _records = [];

    /// <summary>An empty history.</summary>
    public TrainingHistory()
    {
    }

    /// <summary>A history holding <paramref name="records"/>.</summary>
    public TrainingHistory(IEnumerable<TrainingRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        _records.AddRange(records);
    }

    /// <summary>The records in the order they were made.</summary>
    public IReadOnlyList<TrainingRecord> Records => _records;

    /// <summary>The latest record, or null before the first.</summary>
    public TrainingRecord? Last => _records.Count == 0 ? null : _records[^1];

    /// <summary>The records that carry validation values (one per epoch when a validation set was given).</summary>
    public IReadOnlyList<TrainingRecord> EpochEnds => _records.Where(r => r.ValidationLoss is not null).ToList();

    /// <summary>Validation accuracy after the last epoch (null without a validation set).</summary>
    public double? FinalValidationAccuracy => _records.LastOrDefault(r => r.ValidationAccuracy is not null)?.ValidationAccuracy;

    /// <summary>Validation loss after the last epoch (null without a validation set).</summary>
    public double? FinalValidationLoss => _records.LastOrDefault(r => r.ValidationLoss is not null)?.ValidationLoss;

    /// <summary>Wall-clock seconds of the whole run.</summary>
    public double ElapsedSeconds => Last?.ElapsedSeconds ?? 0;

    /// <summary>Appends a record.</summary>
    public void Add(TrainingRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        _records.Add(record);
    }

    /// <summary>The records as JSON (an array of objects).</summary>
    public string ToJson() => JsonSerializer.Serialize(_records, Json);

    /// <summary>Reads a history written by <see cref="ToJson"/>; malformed text is an <see cref="InvalidDataException"/>.</summary>
    public static TrainingHistory FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            var records = JsonSerializer.Deserialize<List<TrainingRecord>>(json, Json)
                ?? throw new InvalidDataException("The training history is empty (JSON null).");
            return new TrainingHistory(records);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The training history is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>One line: epochs, final losses and accuracies, time.</summary>
    public override string ToString()
    {
        if (Last is not { } last) return "TrainingHistory(empty)";
        var validation = FinalValidationAccuracy is { } acc
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $", validation loss {FinalValidationLoss:F4}, validation accuracy {acc * 100:0.00}%")
            : "";
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{last.Epoch} epochs, {last.Step} steps, last training loss {last.TrainLoss:F4}, training accuracy {last.TrainAccuracy * 100:0.00}%{validation}, {last.ElapsedSeconds:F1} s");
    }
}
