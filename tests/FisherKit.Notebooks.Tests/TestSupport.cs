using System.Text.Json.Nodes;
using FisherKit.Notebooks.Execution;
using FisherKit.Plotting.Formatting;

namespace FisherKit.Notebooks.Tests;

/// <summary>Engine tests redirect the console and display host: they run one at a time.</summary>
[CollectionDefinition("engine", DisableParallelization = true)]
public sealed class EngineCollection;

/// <summary>Records what a cell produced.</summary>
internal sealed class RecordingObserver : IExecutionObserver
{
    public List<(string Name, string Text)> Streams { get; } = [];
    public List<(MimeBundle Bundle, string Id)> Displays { get; } = [];
    public List<(MimeBundle Bundle, string Id)> Updates { get; } = [];
    public string Stdout => string.Concat(Streams.Where(s => s.Name == "stdout").Select(s => s.Text));
    public string Stderr => string.Concat(Streams.Where(s => s.Name == "stderr").Select(s => s.Text));
    public void OnStream(string name, string text) { lock (Streams) Streams.Add((name, text)); }
    public void OnDisplay(MimeBundle bundle, string displayId) => Displays.Add((bundle, displayId));
    public void OnUpdateDisplay(MimeBundle bundle, string displayId) => Updates.Add((bundle, displayId));
}

/// <summary>Writes small notebooks in the format Polyglot Notebooks uses.</summary>
internal static class Notebooks
{
    public static string Json(params (string Source, string[]? Tags)[] codeCells) => Json(".net-csharp", "C#", codeCells);

    public static string Json(string kernel, string language, params (string Source, string[]? Tags)[] codeCells)
    {
        var cells = new JsonArray { new JsonObject { ["cell_type"] = "markdown", ["metadata"] = new JsonObject(), ["source"] = "# A test notebook\nSome *text*." } };
        foreach (var (source, tags) in codeCells)
        {
            var meta = new JsonObject { ["dotnet_interactive"] = new JsonObject { ["language"] = "csharp" } };
            if (tags is not null) meta["tags"] = new JsonArray(tags.Select(t => (JsonNode?)t).ToArray());
            cells.Add(new JsonObject { ["cell_type"] = "code", ["execution_count"] = null, ["metadata"] = meta, ["outputs"] = new JsonArray(), ["source"] = "#!csharp\n" + source });
        }
        return new JsonObject
        {
            ["cells"] = cells,
            ["metadata"] = new JsonObject { ["kernelspec"] = new JsonObject { ["display_name"] = kernel, ["language"] = language, ["name"] = kernel } },
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        }.ToJsonString();
    }

    public static (string Source, string[]? Tags) Cell(string source, params string[] tags) => (source, tags.Length == 0 ? null : tags);
}
