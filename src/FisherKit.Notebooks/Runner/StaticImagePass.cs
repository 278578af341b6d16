using System.Text.Json.Nodes;
using FisherKit.Notebooks.Model;
using FisherKit.Plotting;
using FisherKit.Plotting.Formatting;
using FisherKit.Plotting.Output;

namespace FisherKit.Notebooks.Runner;

/// <summary>
/// After a run, renders every figure output to PNG in one Chromium start and adds it to the output
/// (<c>image/png</c>, and inside the HTML as the picture shown where JavaScript does not run).
/// </summary>
internal static class StaticImagePass
{
    public static async Task<string?> RunAsync(Notebook notebook, CancellationToken cancellationToken)
    {
        var targets = new List<(JsonObject Data, Figure Figure)>();
        foreach (var cell in notebook.Cells.Where(c => c.IsCode))
            foreach (var o in cell.Outputs.OfType<JsonObject>())
                if (o["data"] is JsonObject data && data[MimeTypes.Plotly] is JsonObject plotly && data[MimeTypes.Png] is null)
                {
                    try { targets.Add((data, Figure.FromJson(plotly.ToJsonString()))); }
                    catch (System.Text.Json.JsonException) { }
                }
        if (targets.Count == 0) return null;
        if (!StaticImageRenderer.IsAvailable)
            return "static images skipped: Chromium or plotly.js is not installed (environment/setup.sh installs both)";
        const int defaultWidth = 800, defaultHeight = 450;
        var images = await StaticImageRenderer.Default.RenderManyAsync(
            targets.Select(t => new ImageRequest(t.Figure, ImageFormat.Png, defaultWidth, defaultHeight)).ToArray(), cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < targets.Count; i++)
        {
            var (data, figure) = targets[i];
            var b64 = Convert.ToBase64String(images[i]);
            data[MimeTypes.Png] = b64;
            if (data[MimeTypes.Html] is { } html)
            {
                var text = Outputs.Text(html);
                data[MimeTypes.Html] = Notebook.ToLines(FigureHtml.WithStaticImage(text, b64, figure.Layout.Width ?? defaultWidth, figure.Layout.Height ?? defaultHeight));
            }
        }
        return $"rendered {targets.Count} static figure image{(targets.Count == 1 ? "" : "s")}";
    }
}
