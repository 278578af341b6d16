using System.Text.Json;
using System.Text.Json.Serialization;

namespace FisherKit.ActiveLearning.Loop;

/// <summary>The JSON document of a loop checkpoint in its cache entry (the model's tensors live in a safetensors file beside it; the key in the entry's key file).</summary>
internal sealed class Checkpoint
{
    public const string CurrentFormat = "fisherkit-active-learning/2";

    public string Format { get; set; } = CurrentFormat;
    public string Method { get; set; } = "";
    public long Seed { get; set; }
    public long[] Labelled { get; set; } = [];
    public int[] LabelledRounds { get; set; } = [];
    public long[] TargetShape { get; set; } = [];
    public string TargetType { get; set; } = "";
    public double[] Targets { get; set; } = [];
    public List<CheckpointRound> Rounds { get; set; } = [];
    public string Weights { get; set; } = "";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = false,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    public string Serialize() => JsonSerializer.Serialize(this, Json);

    public static Checkpoint Read(string path)
    {
        Checkpoint? c;
        try { c = JsonSerializer.Deserialize<Checkpoint>(File.ReadAllText(path), Json); }
        catch (JsonException e) { throw new InvalidDataException($"The checkpoint {path} is not valid JSON: {e.Message}", e); }
        if (c is null || c.Format != CurrentFormat) throw new InvalidDataException($"{path} is not a FisherKit active-learning checkpoint (format \"{c?.Format}\", expected \"{CurrentFormat}\").");
        if (c.Labelled is null || c.LabelledRounds is null || c.TargetShape is null || c.Targets is null || c.Rounds is null || c.Weights is null || c.Rounds.Any(r => r is null || r.Selected is null || r.Metrics is null))
            throw new InvalidDataException($"The checkpoint {path} lacks some of its parts.");
        return c;
    }
}

/// <summary>One finished round in a checkpoint.</summary>
internal sealed class CheckpointRound
{
    public int Round { get; set; }
    public int Labels { get; set; }
    public long[] Selected { get; set; } = [];
    public Dictionary<string, double> Metrics { get; set; } = [];
    public double Seconds { get; set; }
}
