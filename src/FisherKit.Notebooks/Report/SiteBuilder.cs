using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FisherKit.Notebooks.Model;
using FisherKit.Plotting;
using FisherKit.Plotting.Formatting;
using FisherKit.Plotting.Output;
using FisherKit.Files;

namespace FisherKit.Notebooks.Report;

/// <summary>
/// A static site from executed notebooks: <c>index.html</c> listing them with status, time and
/// parameters, and one page per notebook with markdown rendered, code, and outputs. Figures are
/// interactive: plotly.js is copied once to <c>assets/plotly.min.js</c> and every page loads it
/// from there, so the site works offline and without a server.
/// </summary>
public static partial class SiteBuilder
{
    private const string Style = """
        body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.5}
        pre{background:#f6f8fa;padding:.6em .8em;overflow-x:auto;border-radius:4px;font-size:.9em}
        .cell{margin:1.2em 0}.prompt{color:#888;font-family:monospace;font-size:.8em}
        .code pre{border-left:3px solid #1f77b4}.stream.stderr{background:#fff3f3}
        .error{background:#fde8e8;border-left:3px solid #d62728}.output{margin:.4em 0 .4em 1.2em}
        table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.25em .6em;text-align:left}
        .status-succeeded{color:#2ca02c}.status-failed,.status-cellerror,.status-timeout,.status-crashed{color:#d62728}
        .math{font-family:serif}.fisherkit-figure{max-width:100%}
        """;

    /// <summary>Writes the site and returns the path of its index page.</summary>
    /// <exception cref="FileNotFoundException">An input does not exist.</exception>
    /// <exception cref="NotebookFormatException">An input is not a notebook.</exception>
    public static string Build(IReadOnlyList<string> notebooks, string siteDirectory)
    {
        ArgumentNullException.ThrowIfNull(notebooks);
        ArgumentException.ThrowIfNullOrWhiteSpace(siteDirectory);
        var loaded = notebooks.Select(p => (Path: p, Notebook: Notebook.Load(p))).ToArray();
        Directory.CreateDirectory(siteDirectory);
        var plotly = PlotlyJs.IsAvailable;
        if (plotly)
        {
            var assets = Path.Combine(siteDirectory, "assets");
            Directory.CreateDirectory(assets);
            var target = Path.Combine(assets, "plotly.min.js");
            if (!File.Exists(target) || new FileInfo(target).Length != new FileInfo(PlotlyJs.Locate()).Length)
                AtomicFile.Write(target, tmp => File.Copy(PlotlyJs.Locate(), tmp, overwrite: true));
        }
        var entries = new List<(string Page, string Title, JsonObject? Meta)>();
        // Page names are unique and never the index: two notebooks of the same name (out/quick/x.ipynb out/full/x.ipynb)
        // wrote one page, and a notebook named index.ipynb was replaced by the index.
        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "index.html" };
        foreach (var (path, notebook) in loaded)
        {
            var stem = Path.GetFileNameWithoutExtension(path);
            var page = stem + ".html";
            for (var k = 2; !taken.Add(page); k++) page = $"{stem}-{k}.html";
            var title = TitleOf(notebook) ?? Path.GetFileNameWithoutExtension(path);
            AtomicFile.WriteAllText(Path.Combine(siteDirectory, page), RenderPage(notebook, title, plotly));
            entries.Add((page, title, notebook.Metadata["fisherkit"] as JsonObject));
        }
        var index = Path.Combine(siteDirectory, "index.html");
        AtomicFile.WriteAllText(index, RenderIndex(entries));
        return Path.GetFullPath(index);
    }

    private static string? TitleOf(Notebook nb) =>
        nb.Cells.Where(c => c.CellType == "markdown").Select(c => Heading().Match(c.Source)).FirstOrDefault(m => m.Success)?.Groups[1].Value.Trim();

    [GeneratedRegex(@"^#\s+(.+)$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    [GeneratedRegex(@"\x1B\[[0-9;]*[A-Za-z]")]
    private static partial Regex Ansi();

    private static string Head(string title, bool plotly) =>
        $"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>{Enc(title)}</title>\n<style>{Style}</style>\n" +
        (plotly ? "<script type=\"text/javascript\" src=\"assets/plotly.min.js\"></script>\n" : "") + "</head>\n<body>\n";

    private static string RenderIndex(IReadOnlyList<(string Page, string Title, JsonObject? Meta)> entries)
    {
        var sb = new StringBuilder(Head("FisherKit notebooks", plotly: false));
        sb.Append("<h1>FisherKit notebooks</h1>\n<table>\n<thead><tr><th>notebook</th><th>status</th><th>run time</th><th>parameters</th><th>executed</th></tr></thead>\n<tbody>\n");
        foreach (var (page, title, meta) in entries)
        {
            var status = Outputs.StringOrNull(meta?["status"]) ?? "not executed";
            var duration = meta?["duration_s"] is JsonValue d && d.TryGetValue<double>(out var s) ? s.ToString("0.0", CultureInfo.InvariantCulture) + " s" : "";
            var parameters = meta?["parameters"] is JsonObject p && p.Count > 0 ? string.Join(", ", p.Select(kv => $"{kv.Key}={kv.Value}")) : "";
            sb.Append("<tr><td><a href=\"").Append(Enc(Uri.EscapeDataString(page))).Append("\">").Append(Enc(title)).Append("</a></td>")
              .Append("<td class=\"status-").Append(Enc(status.Replace(" ", "", StringComparison.Ordinal))).Append("\">").Append(Enc(status)).Append("</td>")
              .Append("<td>").Append(duration).Append("</td><td>").Append(Enc(parameters)).Append("</td><td>")
              .Append(Enc(Outputs.StringOrNull(meta?["end_time"]) ?? "")).Append("</td></tr>\n");
        }
        sb.Append("</tbody>\n</table>\n</body>\n</html>\n");
        return sb.ToString();
    }

    private static string RenderPage(Notebook notebook, string title, bool plotly)
    {
        var sb = new StringBuilder(Head(title, plotly));
        sb.Append("<p><a href=\"index.html\">← all notebooks</a></p>\n");
        var figure = 0;
        foreach (var cell in notebook.Cells)
        {
            if (cell.CellType == "markdown")
            {
                sb.Append("<div class=\"cell markdown\">").Append(MarkdownRenderer.ToHtml(cell.Source)).Append("</div>\n");
                continue;
            }
            if (!cell.IsCode) continue;
            var source = string.Join('\n', cell.Source.Split('\n').Where(l => !l.TrimStart().StartsWith("#!csharp", StringComparison.Ordinal))).Trim('\n');
            sb.Append("<div class=\"cell code\"><div class=\"prompt\">In [").Append(cell.ExecutionCount?.ToString(CultureInfo.InvariantCulture) ?? " ").Append("]:</div>")
              .Append("<pre><code class=\"language-csharp\">").Append(Enc(source)).Append("</code></pre>\n");
            foreach (var o in cell.Outputs.OfType<JsonObject>())
                sb.Append("<div class=\"output\">").Append(RenderOutput(o, plotly, ref figure)).Append("</div>\n");
            sb.Append("</div>\n");
        }
        sb.Append("</body>\n</html>\n");
        return sb.ToString();
    }

    private static string RenderOutput(JsonObject o, bool plotly, ref int figure)
    {
        switch (Outputs.StringOrNull(o["output_type"]))
        {
            case "stream":
                return $"<pre class=\"stream {Enc(Outputs.StringOrNull(o["name"]) ?? "")}\">{Enc(Ansi().Replace(Outputs.Text(o["text"]), ""))}</pre>";
            case "error":
                var tb = o["traceback"] is JsonArray a ? string.Join('\n', a.Select(l => Outputs.StringOrNull(l) ?? "")) : "";
                return $"<pre class=\"error\">{Enc(Ansi().Replace(tb.Length > 0 ? tb : $"{o["ename"]}: {o["evalue"]}", ""))}</pre>";
            case "display_data" or "execute_result":
                return RenderBundle(Outputs.ReadData(o["data"] as JsonObject), plotly, ref figure);
            default:
                return "";
        }
    }

    private static string RenderBundle(MimeBundle bundle, bool plotly, ref int figure)
    {
        if (plotly && bundle.TryGetValue(MimeTypes.Plotly, out var json))
        {
            try
            {
                var html = FigureHtml.Render(Figure.FromJson(json), includePlotlyJs: false, id: $"report-{figure++}");
                return bundle.TryGetValue(MimeTypes.Png, out var png0)
                    ? FigureHtml.WithStaticImage(html, png0, 800, 450)
                    : html;
            }
            catch (System.Text.Json.JsonException) { }
        }
        if (bundle.TryGetValue(MimeTypes.Png, out var png)) return $"<img src=\"data:image/png;base64,{Enc(png)}\" alt=\"output\"/>";
        if (bundle.TryGetValue(MimeTypes.Html, out var h)) return h;
        if (bundle.TryGetValue(MimeTypes.Svg, out var svg)) return svg;
        if (bundle.TryGetValue(MimeTypes.Markdown, out var md)) return MarkdownRenderer.ToHtml(md);
        if (bundle.TryGetValue(MimeTypes.PlainText, out var text)) return $"<pre>{Enc(text)}</pre>";
        return "";
    }

    private static string Enc(string s) => WebUtility.HtmlEncode(s);
}
