using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FisherKit.Plotting.Output;
using FisherKit.Files;

namespace FisherKit.Notebooks.Model;

/// <summary>
/// A Jupyter notebook (nbformat 4) as Polyglot Notebooks writes it for C#: kernelspec
/// <c>.net-csharp</c>, per-cell language metadata, optional <c>#!csharp</c> magics. Loading checks
/// the format and the language and names the problem; saving writes a temporary file and renames it.
/// </summary>
public sealed class Notebook
{
    private Notebook(JsonObject root, string? path)
    {
        Root = root;
        Path = path;
        Cells = ((JsonArray)root["cells"]!).Select(c => new NotebookCell(c!.AsObject())).ToList();
    }

    /// <summary>The whole document.</summary>
    public JsonObject Root { get; }

    /// <summary>Where it was loaded from.</summary>
    public string? Path { get; }

    /// <summary>The cells, in order. Change the list with <see cref="InsertCell"/> and <see cref="RemoveCell"/>.</summary>
    public IReadOnlyList<NotebookCell> Cells { get; private set; }

    /// <summary>Top-level metadata.</summary>
    public JsonObject Metadata => Root["metadata"] as JsonObject ?? (JsonObject)(Root["metadata"] = new JsonObject());

    /// <summary>Reads and checks a notebook file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="NotebookFormatException">The file is not a C# nbformat-4 notebook; the message says why.</exception>
    public static Notebook Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Notebook {path} does not exist.", path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses and checks notebook text.</summary>
    /// <exception cref="NotebookFormatException">The text is not a C# nbformat-4 notebook.</exception>
    public static Notebook Parse(string json, string? path = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        var name = path ?? "notebook";
        JsonNode? node;
        try
        {
            // A key given twice made the first look-up throw ArgumentException (an unhandled abort of the run).
            node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false, AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            throw new NotebookFormatException($"{name} is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message}", e);
        }
        if (node is not JsonObject root) throw new NotebookFormatException($"{name}: a notebook must be a JSON object.");
        if (root["nbformat"] is not JsonValue fmt || !fmt.TryGetValue<int>(out var major) || major != 4)
            throw new NotebookFormatException($"{name}: only nbformat 4 notebooks are supported (found nbformat {root["nbformat"]?.ToJsonString() ?? "missing"}).");
        if (root["cells"] is not JsonArray cells) throw new NotebookFormatException($"{name}: the 'cells' array is missing.");
        for (var i = 0; i < cells.Count; i++)
        {
            // Fields of the wrong JSON type (a number as source, line or tag) made reading them throw InvalidOperationException.
            if (cells[i] is not JsonObject c || !IsString(c["cell_type"]))
                throw new NotebookFormatException($"{name}: cell {i + 1} is not an object with a cell_type.");
            if (!IsString(c["source"]) && !(c["source"] is JsonArray lines && lines.All(IsString)))
                throw new NotebookFormatException($"{name}: cell {i + 1} has no source (a string or a list of strings).");
            if ((c["metadata"] as JsonObject)?["tags"] is { } tags && !(tags is JsonArray list && list.All(IsString)))
                throw new NotebookFormatException($"{name}: the tags of cell {i + 1} are not a list of strings.");
        }
        var nb = new Notebook(root, path);
        nb.CheckLanguage(name);
        return nb;
    }

    /// <summary>The kernel language recorded in the metadata (null when none is recorded).</summary>
    public string? KernelLanguage =>
        StringOrNull((Metadata["kernelspec"] as JsonObject)?["language"]) ?? StringOrNull((Metadata["language_info"] as JsonObject)?["name"]);

    private static bool IsString(JsonNode? node) => Outputs.StringOrNull(node) is not null;

    private static string? StringOrNull(JsonNode? node) => Outputs.StringOrNull(node);

    private void CheckLanguage(string name)
    {
        var kernel = StringOrNull((Metadata["kernelspec"] as JsonObject)?["name"]);
        var language = KernelLanguage;
        var isCSharp = kernel is null or ".net-csharp" ||
                       (language is not null && (language.Equals("C#", StringComparison.OrdinalIgnoreCase) || language.Equals("csharp", StringComparison.OrdinalIgnoreCase)));
        if (kernel is ".net-fsharp" or ".net-pwsh") isCSharp = false;
        if (!isCSharp)
            throw new NotebookFormatException(
                $"{name} is a {language ?? kernel} notebook (kernel '{kernel}'); fisherkit runs C# notebooks (kernelspec .net-csharp, language C#).");
    }

    /// <summary>Inserts a cell at <paramref name="index"/>.</summary>
    public NotebookCell InsertCell(int index, string cellType, string source, params string[] tags)
    {
        var json = new JsonObject
        {
            ["cell_type"] = cellType,
            ["id"] = Guid.NewGuid().ToString("N")[..8],
            ["metadata"] = new JsonObject(),
            ["source"] = ToLines(source),
        };
        if (cellType == "code")
        {
            json["execution_count"] = null;
            json["outputs"] = new JsonArray();
            ((JsonObject)json["metadata"]!)["dotnet_interactive"] = new JsonObject { ["language"] = "csharp" };
            ((JsonObject)json["metadata"]!)["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" };
        }
        if (tags.Length > 0) ((JsonObject)json["metadata"]!)["tags"] = new JsonArray(tags.Select(t => (JsonNode?)t).ToArray());
        ((JsonArray)Root["cells"]!).Insert(index, json);
        Refresh();
        return Cells[index];
    }

    /// <summary>Removes the cell at <paramref name="index"/>.</summary>
    public void RemoveCell(int index)
    {
        ((JsonArray)Root["cells"]!).RemoveAt(index);
        Refresh();
    }

    private void Refresh() => Cells = ((JsonArray)Root["cells"]!).Select(c => new NotebookCell(c!.AsObject())).ToList();

    /// <summary>The notebook as text, indented as Jupyter writes it.</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, IndentSize = 1, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            Root.WriteTo(writer);
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>Writes the notebook to <paramref name="path"/> (temporary file, then rename).</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, ToJson());

    /// <summary>A deep copy.</summary>
    public Notebook Clone() => new((JsonObject)Root.DeepClone(), Path);

    /// <summary>nbformat's multi-line string: a list of lines, each but the last ending in a newline.</summary>
    internal static JsonArray ToLines(string text)
    {
        var lines = new JsonArray();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
            if (text[i] == '\n')
            {
                lines.Add(text[start..(i + 1)]);
                start = i + 1;
            }
        if (start < text.Length) lines.Add(text[start..]);
        return lines;
    }
}
