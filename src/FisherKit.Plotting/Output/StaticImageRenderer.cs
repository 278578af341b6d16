using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace FisherKit.Plotting.Output;

/// <summary>
/// Renders figures to PNG or SVG with plotly.js in headless Chromium (<c>Plotly.toImage</c>).
/// Many figures render in one browser start (<see cref="RenderManyAsync"/>), which is what the
/// notebook engine does at the end of a run.
/// </summary>
public sealed partial class StaticImageRenderer
{
    /// <summary>A renderer with default limits.</summary>
    public static StaticImageRenderer Default { get; } = new();

    /// <summary>Makes a renderer.</summary>
    /// <param name="timeout">Wall-clock limit for one browser run (default 120 s).</param>
    public StaticImageRenderer(TimeSpan? timeout = null) => Timeout = timeout ?? TimeSpan.FromSeconds(120);

    /// <summary>Wall-clock limit for one browser run.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>Whether Chromium and plotly.js are both installed.</summary>
    public static bool IsAvailable => Chromium.Find() is not null && PlotlyJs.IsAvailable;

    /// <summary>Renders one figure.</summary>
    public async Task<byte[]> RenderAsync(Figure figure, ImageFormat format = ImageFormat.Png, int width = 800, int height = 500, double scale = 1, CancellationToken cancellationToken = default)
    {
        var result = await RenderManyAsync([new ImageRequest(figure, format, width, height, scale)], cancellationToken).ConfigureAwait(false);
        return result[0];
    }

    /// <summary>The largest image side in pixels (width or height times scale).</summary>
    public const int MaxPixelsPerSide = 16_384;

    /// <summary>Renders several figures in one browser run; results are in request order.</summary>
    /// <exception cref="FileNotFoundException">Chromium or plotly.js is not installed.</exception>
    /// <exception cref="InvalidOperationException">plotly.js failed on a figure (the message names it).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A width or height is not positive, a scale is not a finite number above 0, or a side would exceed <see cref="MaxPixelsPerSide"/> pixels.</exception>
    public async Task<IReadOnlyList<byte[]>> RenderManyAsync(IReadOnlyList<ImageRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        if (requests.Count == 0) return [];
        foreach (var r in requests)
        {
            ArgumentNullException.ThrowIfNull(r?.Figure, nameof(requests));
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(r.Width, nameof(requests));
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(r.Height, nameof(requests));
            // Written into the page's script as a number: NaN, ∞ or ≤ 0 failed inside plotly.js, or asked for an endless image.
            if (!(double.IsFinite(r.Scale) && r.Scale > 0))
                throw new ArgumentOutOfRangeException(nameof(requests), r.Scale, $"The scale of an image must be a finite number above 0, got {r.Scale.ToString("R", CultureInfo.InvariantCulture)}.");
            // Chromium draws no canvas beyond 32,767 pixels a side; a huge finite scale failed late and slowly.
            if (r.Width * r.Scale > MaxPixelsPerSide || r.Height * r.Scale > MaxPixelsPerSide)
                throw new ArgumentOutOfRangeException(nameof(requests), r.Scale, string.Create(CultureInfo.InvariantCulture,
                    $"{r.Width}×{r.Height} at scale {r.Scale:R} is {r.Width * r.Scale:0}×{r.Height * r.Scale:0} pixels; at most {MaxPixelsPerSide} a side."));
        }
        var plotly = PlotlyJs.Locate();
        var dir = Directory.CreateTempSubdirectory("fisherkit-render-");
        try
        {
            var page = Path.Combine(dir.FullName, "render.html");
            await File.WriteAllTextAsync(page, BuildPage(requests, plotly), cancellationToken).ConfigureAwait(false);
            var budget = TimeSpan.FromSeconds(30 + 5 * requests.Count);
            var dom = await Chromium.DumpDomAsync(page, budget, Timeout, cancellationToken).ConfigureAwait(false);
            if (ErrorPattern().Match(dom) is { Success: true } err)
                throw new InvalidOperationException("plotly.js could not render a figure: " + WebUtility.HtmlDecode(err.Groups[1].Value));
            var results = new byte[requests.Count][];
            foreach (Match m in OutputPattern().Matches(dom))
            {
                var i = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                results[i] = Decode(WebUtility.HtmlDecode(m.Groups[2].Value));
            }
            for (var i = 0; i < results.Length; i++)
                if (results[i] is null)
                    throw new InvalidOperationException($"Chromium returned no image for figure {i} ({requests[i].Figure}); the page did not finish rendering in time.");
            return results;
        }
        finally
        {
            try { dir.Delete(recursive: true); } catch (IOException) { }
        }
    }

    private static byte[] Decode(string dataUrl)
    {
        const string png = "data:image/png;base64,";
        const string svg = "data:image/svg+xml,";
        if (dataUrl.StartsWith(png, StringComparison.Ordinal)) return Convert.FromBase64String(dataUrl[png.Length..]);
        if (dataUrl.StartsWith(svg, StringComparison.Ordinal)) return Encoding.UTF8.GetBytes(Uri.UnescapeDataString(dataUrl[svg.Length..]));
        throw new InvalidOperationException($"Unexpected image data from plotly.js: {dataUrl[..Math.Min(40, dataUrl.Length)]}...");
    }

    private static string BuildPage(IReadOnlyList<ImageRequest> requests, string plotlyPath)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"/>")
          .Append("<script type=\"text/javascript\" src=\"").Append(new Uri(plotlyPath).AbsoluteUri).Append("\"></script>")
          .Append("</head><body><script type=\"text/javascript\">\nvar jobs=[\n");
        foreach (var r in requests)
        {
            var w = r.Figure.Layout.Width ?? r.Width;
            var h = r.Figure.Layout.Height ?? r.Height;
            sb.Append("{fig:").Append(r.Figure.ToJson())
              .Append(",opts:{format:'").Append(r.Format == ImageFormat.Png ? "png" : "svg")
              .Append("',width:").Append(w.ToString(CultureInfo.InvariantCulture))
              .Append(",height:").Append(h.ToString(CultureInfo.InvariantCulture))
              .Append(",scale:").Append(r.Scale.ToString("R", CultureInfo.InvariantCulture)).Append("}},\n");
        }
        sb.Append("];\n(async function(){\n")
          .Append(" if(!window.Plotly){throw new Error('plotly.js did not load');}\n")
          .Append(" for(var i=0;i<jobs.length;i++){\n")
          .Append("  var url=await Plotly.toImage(jobs[i].fig,jobs[i].opts);\n")
          .Append("  var t=document.createElement('textarea');t.id='fk-out-'+i;t.textContent=url;document.body.appendChild(t);\n")
          .Append(" }\n document.body.setAttribute('data-fk-done','1');\n")
          .Append("})().catch(function(e){var p=document.createElement('pre');p.id='fk-error';p.textContent=String(e&&e.stack||e);document.body.appendChild(p);});\n")
          .Append("</script></body></html>");
        return sb.ToString();
    }

    [GeneratedRegex("<textarea id=\"fk-out-(\\d+)\">([^<]*)</textarea>")]
    private static partial Regex OutputPattern();

    [GeneratedRegex("<pre id=\"fk-error\">([^<]*)</pre>")]
    private static partial Regex ErrorPattern();
}
