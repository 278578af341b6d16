using System.Net;

namespace FisherKit.Plotting.Output;

/// <summary>Self-contained HTML pages of figures: plotly.js inlined once, no network needed.</summary>
public static class HtmlPage
{
    /// <summary>A page showing <paramref name="figures"/> one below the other.</summary>
    public static string Render(IEnumerable<Figure> figures, string title = "Figures")
    {
        ArgumentNullException.ThrowIfNull(figures);
        var sb = new System.Text.StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>")
          .Append(WebUtility.HtmlEncode(title)).Append("</title>\n")
          .Append("<style>body{font-family:sans-serif;margin:1.5em;} .fisherkit-figure{margin-bottom:1.5em;}</style>\n")
          .Append(PlotlyJs.InlineScriptTag()).Append("\n</head>\n<body>\n");
        var i = 0;
        foreach (var figure in figures)
            sb.Append(FigureHtml.Render(figure, includePlotlyJs: false, id: $"page-{i++}")).Append('\n');
        sb.Append("</body>\n</html>\n");
        return sb.ToString();
    }
}
