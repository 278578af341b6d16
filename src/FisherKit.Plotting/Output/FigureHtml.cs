using System.Net;
using FisherKit.Plotting.Formatting;

namespace FisherKit.Plotting.Output;

/// <summary>How a figure's HTML fragment gets plotly.js.</summary>
public enum PlotlyScriptMode
{
    /// <summary>Inline the bundle in the first fragment of the current scope (or process), then not again.</summary>
    InlineOnce,
    /// <summary>Inline the bundle in every fragment.</summary>
    InlineAlways,
    /// <summary>Never include it: the page loads plotly.js itself (the report site).</summary>
    None,
}

/// <summary>
/// The HTML fragment of a figure: a <c>div</c> plus a script that draws it with plotly.js. The
/// fragment holds a placeholder (<see cref="StaticImagePlaceholder"/>) where a static picture can
/// be put, so viewers that run no JavaScript still show the figure.
/// </summary>
public static class FigureHtml
{
    /// <summary>Marks where the static picture goes inside the fragment.</summary>
    public const string StaticImagePlaceholder = "<!--fisherkit:static-image-->";

    private static readonly AsyncLocal<PlotlyScriptScope?> CurrentScope = new();
    private static readonly PlotlyScriptScope ProcessScope = new(PlotlyScriptMode.InlineOnce);

    /// <summary>How fragments include plotly.js on this asynchronous flow.</summary>
    public static PlotlyScriptMode Mode => CurrentScope.Value?.Mode ?? ProcessScope.Mode;

    /// <summary>Starts a scope (one notebook run) in which plotly.js is inlined according to
    /// <paramref name="mode"/>; with <see cref="PlotlyScriptMode.InlineOnce"/>, once in the scope.</summary>
    public static IDisposable BeginScope(PlotlyScriptMode mode = PlotlyScriptMode.InlineOnce) => Use(new PlotlyScriptScope(mode));

    /// <summary>Makes <paramref name="scope"/> current on this asynchronous flow until the result is
    /// disposed; an engine enters the same scope for every cell of a notebook.</summary>
    public static IDisposable Use(PlotlyScriptScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var previous = CurrentScope.Value;
        CurrentScope.Value = scope;
        return new Restore(() => CurrentScope.Value = previous);
    }

    /// <summary>The fragment for <paramref name="figure"/>, following the current scope's script mode.</summary>
    public static string Render(Figure figure)
    {
        ArgumentNullException.ThrowIfNull(figure);
        var scope = CurrentScope.Value ?? ProcessScope;
        bool include;
        lock (scope)
        {
            include = scope.Mode == PlotlyScriptMode.InlineAlways || (scope.Mode == PlotlyScriptMode.InlineOnce && !scope.Emitted);
            if (include) scope.Emitted = true;
        }
        return Render(figure, include, Guid.NewGuid().ToString("N")[..12]);
    }

    /// <summary>The fragment, with or without the plotly.js bundle, with a given element id.</summary>
    /// <exception cref="ArgumentException"><paramref name="id"/> is empty or has a character other than a letter, digit,
    /// '-' or '_' (it is written into both an HTML attribute and a JavaScript string).</exception>
    public static string Render(Figure figure, bool includePlotlyJs, string id)
    {
        ArgumentNullException.ThrowIfNull(figure);
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        // HTML-encoding alone left a figure that never drew: the script looked up "a&#39;b" for the element "a'b".
        if (!id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            throw new ArgumentException($"A figure id may hold ASCII letters, digits, '-' and '_' only, got \"{id}\".", nameof(id));
        var height = figure.Layout.Height ?? 450;
        var width = figure.Layout.Width is { } w ? $"{w}px" : "100%";
        var elementId = "fk-figure-" + id;
        var sb = new System.Text.StringBuilder();
        sb.Append("<div class=\"fisherkit-figure\" id=\"").Append(elementId)
          .Append("\" style=\"width:").Append(width).Append(";height:").Append(height).Append("px;\">")
          .Append(StaticImagePlaceholder).Append("</div>\n");
        if (includePlotlyJs) sb.Append(PlotlyJs.InlineScriptTag()).Append('\n');
        sb.Append("<script type=\"text/javascript\">(function(){")
          .Append("var el=document.getElementById('").Append(elementId).Append("');")
          .Append("var fig=").Append(figure.ToJson()).Append(';')
          .Append("function draw(){el.innerHTML='';window.Plotly.newPlot(el,fig.data,fig.layout,{responsive:true,displaylogo:false});}")
          .Append("if(window.Plotly){draw();}else{window.addEventListener('load',function(){if(window.Plotly){draw();}});}")
          .Append("})();</script>");
        return sb.ToString();
    }

    /// <summary>Puts a static picture into a fragment's placeholder.</summary>
    public static string WithStaticImage(string fragment, string pngBase64, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(fragment);
        ArgumentNullException.ThrowIfNull(pngBase64);
        return fragment.Replace(StaticImagePlaceholder,
            $"<img src=\"data:image/png;base64,{pngBase64}\" width=\"{width}\" height=\"{height}\" alt=\"figure\"/>", StringComparison.Ordinal);
    }

    private sealed class Restore(Action restore) : IDisposable
    {
        private Action? _restore = restore;
        public void Dispose() => Interlocked.Exchange(ref _restore, null)?.Invoke();
    }
}
