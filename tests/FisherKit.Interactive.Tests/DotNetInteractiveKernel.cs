using System.Text.Json;
using System.Text.Json.Nodes;

namespace FisherKit.Interactive.Tests;

/// <summary>
/// A scratch Jupyter set-up with the <c>.net-csharp</c> kernelspec exactly as the set-up writes it
/// (environment/setup.d/65-dotnet-interactive.sh run with JUPYTER_DATA_DIR in a temporary folder), and a runner
/// that executes a notebook in that kernel with nbclient (run_notebook.py).
/// </summary>
internal sealed class DotNetInteractiveKernel : IDisposable
{
    private readonly TempFolder _temp = new();

    public DotNetInteractiveKernel()
    {
        Environment = new Dictionary<string, string?>
        {
            ["JUPYTER_DATA_DIR"] = Path.Combine(_temp.Path, "data"),
            ["JUPYTER_RUNTIME_DIR"] = Path.Combine(_temp.Path, "runtime"),
            ["JUPYTER_CONFIG_DIR"] = Path.Combine(_temp.Path, "config"),
            ["JUPYTER_PATH"] = null,
            ["FK_JUPYTER_PREFIX"] = null,
            ["FK_ROOT"] = null,
        };
        var (code, output) = Support.Run("bash", [Path.Combine("environment", "setup.d", "65-dotnet-interactive.sh")],
            RepositoryPaths.Root, Environment, TimeSpan.FromMinutes(5));
        if (code != 0) throw new InvalidOperationException($"the kernelspec set-up failed ({code}):\n{output}");
        Work = Path.Combine(_temp.Path, "work");
        Directory.CreateDirectory(Work);
    }

    public Dictionary<string, string?> Environment { get; }

    /// <summary>Where notebooks are written and run (the kernel's working directory).</summary>
    public string Work { get; }

    /// <summary>Executes <paramref name="notebook"/> (a file in <see cref="Work"/>); returns the executed notebook
    /// and the addresses the kernel process listened on.</summary>
    public (JsonNode Notebook, List<(string Address, int Port)> Listening) Execute(string notebook)
    {
        var executed = Path.Combine(Work, Path.GetFileNameWithoutExtension(notebook) + ".executed.ipynb");
        var report = Path.Combine(Work, Path.GetFileNameWithoutExtension(notebook) + ".report.json");
        var script = Path.Combine(AppContext.BaseDirectory, "run_notebook.py");
        var (code, output) = Support.Run(Support.Python, [script, ".net-csharp", notebook, executed, report], Work, Environment, TimeSpan.FromMinutes(8));
        var details = File.Exists(report) ? File.ReadAllText(report) : "(no report)";
        Assert.True(code == 0, $"the notebook failed in .net-csharp ({code}): {details}\n{Tail(output)}");
        var listening = JsonNode.Parse(File.ReadAllText(report))!["listening"]!.AsArray()
            .Select(a => (a![0]!.GetValue<string>(), a[1]!.GetValue<int>())).ToList();
        return (JsonNode.Parse(File.ReadAllText(executed))!, listening);
    }

    /// <summary>A notebook of C# cells for the <c>.net-csharp</c> kernel.</summary>
    public string Write(string name, params string[] cells)
    {
        var nb = new JsonObject
        {
            ["cells"] = new JsonArray(cells.Select((c, i) => (JsonNode)new JsonObject
            {
                ["cell_type"] = "code", ["execution_count"] = null, ["id"] = $"c{i}",
                ["metadata"] = new JsonObject(), ["outputs"] = new JsonArray(), ["source"] = c,
            }).ToArray()),
            ["metadata"] = new JsonObject { ["kernelspec"] = new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" } },
            ["nbformat"] = 4, ["nbformat_minor"] = 5,
        };
        var path = Path.Combine(Work, name);
        File.WriteAllText(path, nb.ToJsonString());
        return path;
    }

    public void Dispose() => _temp.Dispose();

    private static string Tail(string s) => s.Length <= 6000 ? s : "…" + s[^6000..];
}

/// <summary>Reads outputs of an executed notebook.</summary>
internal static class Outputs
{
    public static List<JsonNode> Of(JsonNode notebook, int cell) => notebook["cells"]![cell]!["outputs"]!.AsArray().Select(o => o!).ToList();

    public static IEnumerable<JsonNode> All(JsonNode notebook) =>
        notebook["cells"]!.AsArray().SelectMany(c => c!["outputs"]?.AsArray() ?? []).Select(o => o!);

    /// <summary>A MIME entry as text (notebooks store text as a string or a list of lines; JSON types as JSON).</summary>
    public static string? Text(JsonNode output, string mime)
    {
        var value = output["data"]?[mime];
        return value switch
        {
            null => null,
            JsonArray lines => string.Concat(lines.Select(l => l!.GetValue<string>())),
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            _ => value.ToJsonString(),
        };
    }

    public static string Plain(JsonNode output) => Text(output, "text/plain") ?? "";

    public static void AssertFigure(JsonNode output, string title)
    {
        var plotly = Text(output, "application/vnd.plotly.v1+json");
        Assert.NotNull(plotly);
        var figure = JsonNode.Parse(plotly)!;
        Assert.NotEmpty(figure["data"]!.AsArray());
        Assert.Equal(title, figure["layout"]!["title"]!["text"]!.GetValue<string>());
        Assert.Contains("class=\"fisherkit-figure\"", Text(output, "text/html"), StringComparison.Ordinal);
        Assert.StartsWith("Figure(", Plain(output), StringComparison.Ordinal);
        Assert.False(LoadsScripts(output), "the figure loads a script from elsewhere");
    }

    /// <summary>Whether a figure's HTML loads a script from elsewhere (a CDN) instead of carrying it.</summary>
    public static bool LoadsScripts(JsonNode output) =>
        System.Text.RegularExpressions.Regex.IsMatch(Text(output, "text/html") ?? "", "<script[^>]*\\bsrc\\s*=", System.Text.RegularExpressions.RegexOptions.IgnoreCase);

    public static bool CarriesPlotlyJs(JsonNode output) =>
        Text(output, "text/html") is { } html && html.Contains("* plotly.js v", StringComparison.Ordinal);
}
