using System.Text.Json;
using System.Text.Json.Serialization;

namespace FisherKit.Notebooks.Execution;

/// <summary>
/// One line of the JSON protocol between <see cref="WorkerEngine"/> and its worker process
/// (<c>fisherkit worker</c>). Supervisor to worker: <c>start</c>, <c>execute</c>, <c>shutdown</c>.
/// Worker to supervisor: <c>ready</c>, <c>stream</c>, <c>display</c>, <c>update_display</c>, <c>complete</c>, <c>fatal</c>.
/// </summary>
internal sealed record WorkerMessage
{
    public required string Type { get; init; }
    public int? Id { get; init; }
    public string? Code { get; init; }
    public string? CellName { get; init; }
    public string? Name { get; init; }
    public string? Text { get; init; }
    public Dictionary<string, string>? Data { get; init; }
    public string? DisplayId { get; init; }
    public CellStatus? Status { get; init; }
    public CellError? Error { get; init; }
    public string? NotebookDirectory { get; init; }
    public string[]? PackageFolders { get; init; }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    public string Serialize() => JsonSerializer.Serialize(this, Json);

    public static WorkerMessage? Deserialize(string line) => JsonSerializer.Deserialize<WorkerMessage>(line, Json);
}
