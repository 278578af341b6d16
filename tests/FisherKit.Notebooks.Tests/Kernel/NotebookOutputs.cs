using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FisherKit.Notebooks.Tests.Kernel;

/// <summary>
/// The outputs of an executed notebook in a form that two executions can be compared in (nbclient's
/// own tests compare notebooks the same way): per code cell its execution count and outputs, with
/// multi-line strings joined, consecutive stream outputs of one name merged, display ids and
/// figure element ids replaced by placeholders, and absolute paths of the repository removed.
/// Times live in metadata, which is not compared.
/// </summary>
internal static partial class NotebookOutputs
{
    public static List<JsonObject> Read(string path, string repositoryRoot)
    {
        var notebook = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        var cells = new List<JsonObject>();
        foreach (var cell in notebook["cells"]!.AsArray().OfType<JsonObject>())
        {
            if ((string?)cell["cell_type"] != "code") continue;
            var outputs = new JsonArray();
            foreach (var o in cell["outputs"]!.AsArray().OfType<JsonObject>().Select(o => o.DeepClone().AsObject()))
            {
                if (o["text"] is { } text) o["text"] = Clean(Join(text), repositoryRoot);
                if (o["data"] is JsonObject data)
                    foreach (var key in data.Select(kv => kv.Key).ToArray())
                        if (data[key] is JsonArray or JsonValue) data[key] = Clean(Join(data[key]), repositoryRoot);
                if (o["metadata"]?["fisherkit"]?["display_id"] is not null) o["metadata"]!["fisherkit"]!["display_id"] = "<display-id>";
                if (outputs.Count > 0 && (string?)o["output_type"] == "stream" && outputs[^1] is JsonObject last &&
                    (string?)last["output_type"] == "stream" && (string?)last["name"] == (string?)o["name"])
                {
                    last["text"] = (string?)last["text"] + (string?)o["text"];
                    continue;
                }
                outputs.Add(o);
            }
            cells.Add(new JsonObject { ["execution_count"] = cell["execution_count"]?.DeepClone(), ["outputs"] = outputs });
        }
        return cells;
    }

    private static string Join(JsonNode? node) => node switch
    {
        JsonArray a => string.Concat(a.Select(l => (string?)l)),
        JsonValue v => (string?)v ?? "",
        _ => "",
    };

    private static string Clean(string s, string root) =>
        FigureId().Replace(s.Replace(root.TrimEnd('/'), "<root>", StringComparison.Ordinal), "fk-figure-<id>");

    [GeneratedRegex("fk-figure-[0-9a-f]{12}")]
    private static partial Regex FigureId();

    /// <summary>Where two serialised values first differ, with some context.</summary>
    public static string FirstDifference(string a, string b)
    {
        var i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i]) i++;
        string Around(string s) => s.Substring(Math.Max(0, i - 200), Math.Min(s.Length, i + 200) - Math.Max(0, i - 200));
        return $"at character {i}:\n  {Around(a)}\nvs\n  {Around(b)}";
    }
}
