using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace FisherKit.Training;

/// <summary>
/// The learning curves of a training run: its <see cref="TrainingRecord"/>s in order and the loss of
/// every optimiser step. <see cref="TrainingLoop"/> fills it while it runs (a notebook draws it live,
/// <see cref="TrainingCurves"/>); <see cref="ResultCache"/> stores it as JSON with the weights, so a model
/// loaded from the cache still shows how it was trained. <see cref="FromJson"/> also reads the histories
/// that FisherKit stored before this format (a classifier's array of records, a U-Net's per-epoch list).
/// </summary>
public sealed class TrainingHistory
{
    /// <summary>The format written by <see cref="ToJson"/>.</summary>
    public const string Format = "fisherkit-training-history/2";

    private static readonly JsonSerializerOptions Json = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = true,   // the histories of earlier versions used PascalCase names
    };

    private readonly List<TrainingRecord> _records = [];
    private readonly List<double> _stepLosses = [];

    /// <summary>An empty history of a run minimising <paramref name="loss"/> (its name, e.g. "cross-entropy").</summary>
    public TrainingHistory(string? loss = null)
    {
        Loss = loss;
    }

    /// <summary>A history holding <paramref name="records"/> and, optionally, the loss of every step.</summary>
    public TrainingHistory(IEnumerable<TrainingRecord> records, IEnumerable<double>? stepLosses = null, string? loss = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        _records.AddRange(records);
        if (stepLosses is not null) _stepLosses.AddRange(stepLosses);
        Loss = loss;
    }

    /// <summary>The name of the loss the run minimised (e.g. "cross-entropy", "Gaussian NLL"), or null when unknown.</summary>
    public string? Loss { get; }

    /// <summary>The records in the order they were made.</summary>
    public IReadOnlyList<TrainingRecord> Records => _records;

    /// <summary>The training loss of every optimiser step, in order (the warm-up's loss during a warm-up).</summary>
    public IReadOnlyList<double> StepLosses => _stepLosses;

    /// <summary>The latest record, or null before the first.</summary>
    public TrainingRecord? Last => _records.Count == 0 ? null : _records[^1];

    /// <summary>The records made at the end of each epoch.</summary>
    public IReadOnlyList<TrainingRecord> EpochEnds => _records.Where(r => r.EndOfEpoch).ToList();

    /// <summary>Validation accuracy after the last epoch (null without a validation set or accuracy).</summary>
    public double? FinalValidationAccuracy => _records.LastOrDefault(r => r.ValidationAccuracy is not null)?.ValidationAccuracy;

    /// <summary>Validation loss after the last epoch (null without a validation set).</summary>
    public double? FinalValidationLoss => _records.LastOrDefault(r => r.ValidationLoss is not null)?.ValidationLoss;

    /// <summary>Wall-clock seconds of the whole run.</summary>
    public double ElapsedSeconds => Last?.ElapsedSeconds ?? 0;

    /// <summary>Optimiser steps taken (0 before the first record).</summary>
    public long Steps => Last?.Step ?? 0;

    /// <summary>Appends a record.</summary>
    public void Add(TrainingRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        _records.Add(record);
    }

    /// <summary>Appends the loss of one optimiser step.</summary>
    public void AddStep(double loss) => _stepLosses.Add(loss);

    /// <summary>The history as JSON: an object with the format, the loss name, the records and the step losses.</summary>
    public string ToJson() => JsonSerializer.Serialize(new Stored(Format, Loss, _records, _stepLosses), Json);

    /// <summary>
    /// Reads a history written by <see cref="ToJson"/>, or by FisherKit before it (a JSON array of a
    /// classifier's records; a U-Net's <c>{"Epochs": [...], "StepLosses": [...]}</c>, whose records get the
    /// step count from the step losses and an unknown learning rate, NaN). Malformed text is an
    /// <see cref="InvalidDataException"/>.
    /// </summary>
    public static TrainingHistory FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            // A property given twice is a damaged file (JsonException), as for notebooks, not a later ArgumentException.
            var node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false })
                ?? throw new InvalidDataException("The training history is empty (JSON null).");
            if (node is JsonArray)
            {
                var old = NoNulls(node.Deserialize<List<TrainingRecord>>(Json) ?? []);
                return new TrainingHistory(old.Select(r => r with { EndOfEpoch = r.EpochProgress == r.Epoch }), loss: "cross-entropy");
            }
            if (node is JsonObject o && o["format"] is null && o["Epochs"] is JsonArray)
                return FromRegressionHistory(o.Deserialize<RegressionHistory>(Json)!);
            var stored = node.Deserialize<Stored>(Json);
            if (stored is null || stored.Format != Format)
                throw new InvalidDataException($"The training history has format \"{stored?.Format}\", expected \"{Format}\".");
            return new TrainingHistory(NoNulls(stored.Records ?? []), stored.StepLosses, stored.Loss);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The training history is not valid JSON: {e.Message}", e);
        }
    }

    private static IReadOnlyList<T> NoNulls<T>(IReadOnlyList<T?> items) where T : class =>
        items.Any(r => r is null) ? throw new InvalidDataException("The training history holds a null record.") : [.. items.Select(r => r!)];

    private static TrainingHistory FromRegressionHistory(RegressionHistory old)
    {
        var epochs = NoNulls(old.Epochs ?? []);
        var steps = old.StepLosses ?? [];
        long perEpoch = epochs.Count == 0 ? 0 : steps.Count / epochs.Count;
        var records = epochs.Select(e => new TrainingRecord(e.Epoch, e.Epoch * perEpoch, e.Epoch, e.TrainLoss, null, e.ValidationLoss, null, double.NaN, e.ElapsedSeconds)
        {
            EndOfEpoch = true,
            EpochTrainLoss = e.TrainLoss,
            WarmUp = e.UsedMse,
        });
        return new TrainingHistory(records, steps);
    }

    /// <summary>One line: epochs, final losses and accuracies, time.</summary>
    public override string ToString()
    {
        if (Last is not { } last) return "TrainingHistory(empty)";
        var accuracy = last.TrainAccuracy is { } ta ? string.Create(CultureInfo.InvariantCulture, $", training accuracy {ta * 100:0.00}%") : "";
        var validation = FinalValidationLoss is { } vl
            ? string.Create(CultureInfo.InvariantCulture, $", validation loss {vl:F4}") +
              (FinalValidationAccuracy is { } acc ? string.Create(CultureInfo.InvariantCulture, $", validation accuracy {acc * 100:0.00}%") : "")
            : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"{last.Epoch} epochs, {last.Step} steps, last training loss {last.TrainLoss:F4}{accuracy}{validation}, {last.ElapsedSeconds:F1} s");
    }

    private sealed record Stored(string Format, string? Loss, IReadOnlyList<TrainingRecord>? Records, IReadOnlyList<double>? StepLosses);

    private sealed record RegressionEpoch(int Epoch, double TrainLoss, double? ValidationLoss, double ElapsedSeconds, bool UsedMse);

    private sealed record RegressionHistory(List<RegressionEpoch>? Epochs, List<double>? StepLosses);
}
