using System.Text.Json.Nodes;
using FisherKit.Plotting.Formatting;

namespace FisherKit.Notebooks.Model;

/// <summary>Builds nbformat output objects.</summary>
public static class Outputs
{
    /// <summary>A <c>stream</c> output (<c>stdout</c> or <c>stderr</c>).</summary>
    public static JsonObject Stream(string name, string text) => new()
    {
        ["output_type"] = "stream",
        ["name"] = name,
        ["text"] = Notebook.ToLines(text),
    };

    /// <summary>A <c>display_data</c> output; <paramref name="displayId"/> goes to <c>transient</c>-like metadata so updates can find it.</summary>
    public static JsonObject DisplayData(MimeBundle bundle, string? displayId)
    {
        var o = new JsonObject
        {
            ["output_type"] = "display_data",
            ["data"] = Data(bundle),
            ["metadata"] = new JsonObject(),
        };
        if (displayId is not null) o["metadata"]!["fisherkit"] = new JsonObject { ["display_id"] = displayId };
        return o;
    }

    /// <summary>An <c>execute_result</c> output: the value of the cell's last expression.</summary>
    public static JsonObject ExecuteResult(MimeBundle bundle, int executionCount) => new()
    {
        ["output_type"] = "execute_result",
        ["execution_count"] = executionCount,
        ["data"] = Data(bundle),
        ["metadata"] = new JsonObject(),
    };

    /// <summary>An <c>error</c> output.</summary>
    public static JsonObject Error(string ename, string evalue, IEnumerable<string> traceback) => new()
    {
        ["output_type"] = "error",
        ["ename"] = ename,
        ["evalue"] = evalue,
        ["traceback"] = new JsonArray(traceback.Select(t => (JsonNode?)t).ToArray()),
    };

    /// <summary>The <c>data</c> object of a MIME bundle: JSON types as JSON, text as lists of lines,
    /// base64 images as one string.</summary>
    public static JsonObject Data(MimeBundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var data = new JsonObject();
        foreach (var (mime, value) in bundle)
        {
            if (MimeTypes.IsJson(mime))
            {
                try { data[mime] = JsonNode.Parse(value); continue; }
                catch (System.Text.Json.JsonException) { }
            }
            data[mime] = mime.StartsWith("image/", StringComparison.Ordinal) && mime != MimeTypes.Svg ? value : Notebook.ToLines(value);
        }
        return data;
    }

    /// <summary>Reads the MIME bundle back from an output's <c>data</c> object.</summary>
    public static MimeBundle ReadData(JsonObject? data)
    {
        var bundle = MimeBundle.Empty;
        if (data is null) return bundle;
        foreach (var (mime, value) in data)
            bundle = bundle.With(mime, value switch
            {
                JsonValue v => StringOrNull(v) ?? v.ToJsonString(),
                JsonArray a when !MimeTypes.IsJson(mime) => string.Concat(a.Select(l => StringOrNull(l) ?? "")),
                null => "",
                _ => value.ToJsonString(),
            });
        return bundle;
    }

    /// <summary>Text of a <c>stream</c> output or of a multi-line field.</summary>
    public static string Text(JsonNode? node) => node switch
    {
        JsonValue v => StringOrNull(v) ?? "",
        JsonArray a => string.Concat(a.Select(l => StringOrNull(l) ?? "")),
        _ => "",
    };

    /// <summary>The string <paramref name="node"/> holds; null when it holds anything else (a damaged file: a cast threw).</summary>
    internal static string? StringOrNull(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String ? v.GetValue<string>() : null;
}
