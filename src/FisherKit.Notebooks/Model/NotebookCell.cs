using System.Text.Json.Nodes;

namespace FisherKit.Notebooks.Model;

/// <summary>
/// One cell of a notebook: a view over its JSON object, so that fields FisherKit does not know
/// (attachments, front-end metadata) survive a round trip unchanged.
/// </summary>
public sealed class NotebookCell
{
    internal NotebookCell(JsonObject json) => Json = json;

    /// <summary>The cell's JSON object.</summary>
    public JsonObject Json { get; }

    /// <summary><c>code</c>, <c>markdown</c> or <c>raw</c>.</summary>
    public string CellType => (string?)Json["cell_type"] ?? "";

    /// <summary>Whether this is a code cell.</summary>
    public bool IsCode => CellType == "code";

    /// <summary>The source text (nbformat stores it as a string or a list of lines).</summary>
    public string Source
    {
        get => Json["source"] switch
        {
            JsonValue v => (string?)v ?? "",
            JsonArray a => string.Concat(a.Select(l => (string?)l ?? "")),
            _ => "",
        };
        set => Json["source"] = Notebook.ToLines(value);
    }

    /// <summary>The cell's metadata object (created when missing).</summary>
    public JsonObject Metadata => Json["metadata"] as JsonObject ?? (JsonObject)(Json["metadata"] = new JsonObject());

    /// <summary>The tags in <c>metadata.tags</c>.</summary>
    public IReadOnlyList<string> Tags =>
        Metadata["tags"] is JsonArray a ? a.Select(t => (string?)t ?? "").ToArray() : [];

    /// <summary>Whether the cell carries <paramref name="tag"/>.</summary>
    public bool HasTag(string tag) => Tags.Contains(tag, StringComparer.Ordinal);

    /// <summary>The language .NET Interactive / Polyglot Notebooks recorded for the cell, if any.</summary>
    public string? Language =>
        (string?)(Metadata["dotnet_interactive"] as JsonObject)?["language"] ??
        (string?)(Metadata["polyglot_notebook"] as JsonObject)?["kernelName"];

    /// <summary>The outputs array of a code cell (created when missing).</summary>
    public JsonArray Outputs => Json["outputs"] as JsonArray ?? (JsonArray)(Json["outputs"] = new JsonArray());

    /// <summary>The execution count of a code cell.</summary>
    public int? ExecutionCount
    {
        get => Json["execution_count"] is JsonValue v && v.TryGetValue<int>(out var n) ? n : null;
        set => Json["execution_count"] = value;
    }

    /// <summary>Removes outputs and the execution count (a code cell about to run again).</summary>
    public void ClearOutputs()
    {
        if (!IsCode) return;
        Json["outputs"] = new JsonArray();
        Json["execution_count"] = null;
        Metadata.Remove("fisherkit");
        Metadata.Remove("execution");
    }
}
