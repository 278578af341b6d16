using System.Text.Json;
using System.Text.Json.Serialization;
using FisherKit.Plotting.Formatting;
using FisherKit.Plotting.Output;
using FisherKit.Plotting.Serialization;
using FisherKit.Files;

namespace FisherKit.Plotting;

/// <summary>
/// A plotly.js figure: traces (<see cref="Data"/>) and a <see cref="Layout"/>. Immutable: change it
/// with <c>with</c> expressions or the <c>With…</c> helpers. Serialises to plotly.js JSON
/// (<see cref="ToJson"/>), renders to an offline HTML page (<see cref="ToHtmlPage"/>) and to static
/// PNG/SVG through headless Chromium (<see cref="SavePngAsync"/>, <see cref="SaveSvgAsync"/>).
/// In a notebook, a figure displays itself (interactive HTML plus a static image).
/// </summary>
[TypeFormatterSource(typeof(FigureFormatterSource), PreferredMimeTypes = [MimeTypes.Html])]
public sealed record Figure
{
    /// <summary>Makes a figure.</summary>
    public Figure(IEnumerable<Trace> data, Layout? layout = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        Data = data.ToArray();
        for (var i = 0; i < Data.Count; i++)
            if (Data[i] is null) throw new ArgumentException($"Trace {i} is null.", nameof(data));
        Layout = layout ?? new Layout();
    }

    /// <summary>The traces, drawn in order.</summary>
    [JsonPropertyName("data")]
    public IReadOnlyList<Trace> Data { get; init; }

    /// <summary>Titles, axes, legend and size.</summary>
    [JsonPropertyName("layout")]
    public Layout Layout { get; init; }

    /// <summary>plotly.js JSON: <c>{"data": [...], "layout": {...}}</c>.</summary>
    public string ToJson(bool indented = false) =>
        JsonSerializer.Serialize(this, indented ? PlotlyJson.IndentedOptions : PlotlyJson.Options);

    /// <summary>Reads plotly.js JSON written by <see cref="ToJson"/>.</summary>
    /// <exception cref="JsonException">The text is not a figure.</exception>
    public static Figure FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            var dto = JsonSerializer.Deserialize<FigureJson>(json, PlotlyJson.Options) ?? throw new JsonException("The JSON text is null, not a figure.");
            return new Figure(dto.Data ?? throw new JsonException("The figure has no 'data' array."), dto.Layout);
        }
        catch (Exception e) when (e is NotSupportedException or ArgumentException)
        {
            // A trace without "type" (the serializer's NotSupportedException), a null trace, rows of z of unequal length.
            throw new JsonException("The text is not a figure FisherKit can read: " + e.Message, e);
        }
    }

    private sealed record FigureJson(IReadOnlyList<Trace>? Data, Layout? Layout);

    /// <summary>A self-contained HTML page showing the figure; plotly.js is inlined, so it works offline.</summary>
    public string ToHtmlPage(string? title = null) => HtmlPage.Render([this], title ?? Layout.Title?.Text ?? "Figure");

    /// <summary>Writes <see cref="ToHtmlPage"/> to <paramref name="path"/> (temporary file, then rename).</summary>
    public void SaveHtml(string path) => AtomicFile.WriteAllText(path, ToHtmlPage());

    /// <summary>Renders a PNG with headless Chromium and writes it to <paramref name="path"/>.</summary>
    public async Task SavePngAsync(string path, int width = 800, int height = 500, double scale = 1, CancellationToken cancellationToken = default)
    {
        var bytes = await StaticImageRenderer.Default.RenderAsync(this, ImageFormat.Png, width, height, scale, cancellationToken).ConfigureAwait(false);
        AtomicFile.WriteAllBytes(path, bytes);
    }

    /// <summary>Renders an SVG with headless Chromium and writes it to <paramref name="path"/>.</summary>
    public async Task SaveSvgAsync(string path, int width = 800, int height = 500, CancellationToken cancellationToken = default)
    {
        var bytes = await StaticImageRenderer.Default.RenderAsync(this, ImageFormat.Svg, width, height, 1, cancellationToken).ConfigureAwait(false);
        AtomicFile.WriteAllBytes(path, bytes);
    }

    /// <summary>The same figure with another title.</summary>
    public Figure WithTitle(string title) => this with { Layout = Layout with { Title = title } };

    /// <summary>The same figure with titles on the first x and y axes.</summary>
    public Figure WithAxisTitles(string? x, string? y) => this with
    {
        Layout = Layout with
        {
            XAxis = (Layout.XAxis ?? new Axis()) with { Title = x is null ? null : new Title { Text = x } },
            YAxis = (Layout.YAxis ?? new Axis()) with { Title = y is null ? null : new Title { Text = y } },
        },
    };

    /// <summary>The same figure with a logarithmic first x axis and/or y axis.</summary>
    public Figure WithLogAxes(bool x = false, bool y = true) => this with
    {
        Layout = Layout with
        {
            XAxis = x ? (Layout.XAxis ?? new Axis()) with { Type = AxisType.Log } : Layout.XAxis,
            YAxis = y ? (Layout.YAxis ?? new Axis()) with { Type = AxisType.Log } : Layout.YAxis,
        },
    };

    /// <summary>The same figure with a fixed size in pixels.</summary>
    public Figure WithSize(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        return this with { Layout = Layout with { Width = width, Height = height } };
    }

    /// <summary>The same figure with a fixed height in pixels (the width follows the page).</summary>
    /// <example><code>Chart.Grid(1, 3, panels).WithHeight(300)</code></example>
    public Figure WithHeight(int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        return this with { Layout = Layout with { Height = height } };
    }

    /// <summary>
    /// The same figure without colour bars (heat maps and contours): for pictures, and for panels of a grid that
    /// share one colour scale, so that it is shown once.
    /// </summary>
    /// <example><code>
    /// // three panels on one scale, the bar beside the last one only
    /// Chart.Grid(1, 3, [a.WithoutColorBars(), b.WithoutColorBars(), c])
    /// </code></example>
    public Figure WithoutColorBars() => this with
    {
        Data = Data.Select(t => t switch
        {
            Heatmap h => h with { ShowScale = false },
            Contour c => c with { ShowScale = false },
            _ => t,
        }).ToArray(),
    };

    /// <summary>The same figure with more traces drawn on top.</summary>
    public Figure AddTraces(params Trace[] traces)
    {
        ArgumentNullException.ThrowIfNull(traces);
        return this with { Data = Data.Concat(traces).ToArray() };
    }

    /// <summary>The same figure with an annotation added.</summary>
    public Figure AddAnnotation(Annotation annotation)
    {
        ArgumentNullException.ThrowIfNull(annotation);
        return this with { Layout = Layout with { Annotations = (Layout.Annotations ?? []).Append(annotation).ToArray() } };
    }

    /// <summary>A one-line summary: trace types and title.</summary>
    public override string ToString() =>
        $"Figure({Data.Count} trace{(Data.Count == 1 ? "" : "s")}: {string.Join(", ", Data.Select(TraceType))}" +
        (Layout.Title?.Text is { } t ? $"; \"{t}\")" : ")");

    internal static string TraceType(Trace t) => t.GetType().Name.ToLowerInvariant();

    /// <inheritdoc />
    public bool Equals(Figure? other) => other is not null && ToJson() == other.ToJson();

    /// <inheritdoc />
    public override int GetHashCode() => ToJson().GetHashCode(StringComparison.Ordinal);
}
