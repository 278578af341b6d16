using FisherKit.Plotting;
using FisherKit.Plotting.Output;
using Microsoft.DotNet.Interactive;
using InteractiveFormatter = Microsoft.DotNet.Interactive.Formatting.Formatter;
using MimeTypes = FisherKit.Plotting.Formatting.MimeTypes;

namespace FisherKit.Interactive;

/// <summary>
/// Figures in .NET Interactive: <c>application/vnd.plotly.v1+json</c> (the figure's plotly.js JSON),
/// <c>text/html</c> (a <c>div</c> drawn by plotly.js, which the first figure of a session carries inline, so the
/// notebook works offline; never a CDN) and <c>text/plain</c> — the same bundle as in FisherKit's engine and
/// kernel. The HTML formatter is also registered with FisherKit's own formatter, so a figure shown through
/// <see cref="FisherKit.Plotting.Formatting.Display.Show"/> (live training curves) follows the same
/// once-per-session rule.
/// </summary>
/// <remarks>
/// Jupyter's <c>.net-csharp</c> adapter sends every MIME type but <c>application/json</c> as a string, so the
/// plotly entry reaches the notebook as JSON text; the HTML is what front ends draw.
/// </remarks>
internal static class FigureFormatting
{
    private static readonly object Gate = new();
    private static SubmitCodeRun? _carrier;

    public static void Register()
    {
        InteractiveFormatter.Register<Figure>((figure, writer) => writer.Write(figure.ToJson()), MimeTypes.Plotly);
        InteractiveFormatter.Register<Figure>((figure, writer) => writer.Write(Html(figure)), MimeTypes.Html);
        InteractiveFormatter.Register<Figure>((figure, writer) => writer.Write(figure.ToString()), MimeTypes.PlainText);
        // The type's own formatter source (TypeFormatterSourceAttribute) is read on first use and sets its
        // preferred MIME types then; read it now, so that these, set later, win.
        _ = InteractiveFormatter.GetPreferredMimeTypesFor(typeof(Figure));
        InteractiveFormatter.SetPreferredMimeTypesFor(typeof(Figure), MimeTypes.Plotly, MimeTypes.Html, MimeTypes.PlainText);
        FisherKit.Plotting.Formatting.Formatter.Register<Figure>(MimeTypes.Html, Html);
    }

    /// <summary>
    /// The figure's HTML fragment. plotly.js is inlined into the first figure of the session, and again when the
    /// cell that carried it runs again (same code, a new command): the new output replaces the one that held
    /// plotly.js. A figure shown by the same run of that cell does not repeat it.
    /// </summary>
    internal static string Html(Figure figure)
    {
        var submission = InteractiveIntegration.CurrentSubmission();
        var run = new SubmitCodeRun(submission, submission?.Code);
        bool include;
        lock (Gate)
        {
            include = _carrier is null ||
                      (run.Code is not null && run.Code == _carrier.Code && !ReferenceEquals(run.Command, _carrier.Command));
            if (include) _carrier = run;
        }
        var id = Guid.NewGuid().ToString("N")[..12];
        if (!include || PlotlyJs.IsAvailable) return FigureHtml.Render(figure, include, id);
        return FigureHtml.Render(figure, false, id) +
               "<p>plotly.js (npm plotly.js-dist-min) was not found, so this figure cannot be drawn here: " +
               "run environment/setup.sh or set FISHERKIT_PLOTLYJS to a plotly.min.js.</p>";
    }

    /// <summary>Whether an HTML fragment has plotly.js inline.</summary>
    internal static bool CarriesPlotlyJs(string html) =>
        PlotlyJs.IsAvailable && html.Contains(PlotlyJs.Source.AsSpan(0, Math.Min(256, PlotlyJs.Source.Length)), StringComparison.Ordinal);

    /// <summary>A figure fragment with plotly.js put in, where <see cref="FigureHtml.Render(Figure, bool, string)"/> puts it.</summary>
    internal static string WithPlotlyJs(string html)
    {
        const string figureDiv = "<div class=\"fisherkit-figure\"";
        var start = html.IndexOf(figureDiv, StringComparison.Ordinal);
        var end = start < 0 ? -1 : html.IndexOf("</div>\n", start, StringComparison.Ordinal);
        if (end < 0 || !PlotlyJs.IsAvailable) return html;
        end += "</div>\n".Length;
        return string.Concat(html.AsSpan(0, end), PlotlyJs.InlineScriptTag(), "\n", html.AsSpan(end));
    }

    /// <summary>The output that held plotly.js was replaced by one without it: the next figure carries it again.</summary>
    internal static void CarrierReplaced() => Reset();

    /// <summary>Forgets which cell carried plotly.js (tests).</summary>
    internal static void Reset()
    {
        lock (Gate) _carrier = null;
    }

    private sealed record SubmitCodeRun(object? Command, string? Code);
}
