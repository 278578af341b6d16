using FisherKit.Plotting.Output;

namespace FisherKit.Plotting.Formatting;

/// <summary>
/// Formatters of <see cref="Figure"/>: interactive HTML (plotly.js inlined once per notebook), the
/// plotly.js MIME type (JupyterLab draws it natively) and a one-line text. Found through
/// <see cref="TypeFormatterSourceAttribute"/> by FisherKit's engine and by .NET Interactive.
/// </summary>
public sealed class FigureFormatterSource
{
    /// <summary>The formatters.</summary>
    public IEnumerable<ITypeFormatter> CreateTypeFormatters()
    {
        yield return new TypeFormatter<Figure>(MimeTypes.Html, (f, w) => w.Write(FigureHtml.Render(f)));
        yield return new TypeFormatter<Figure>(MimeTypes.Plotly, (f, w) => w.Write(f.ToJson()));
        yield return new TypeFormatter<Figure>(MimeTypes.PlainText, (f, w) => w.Write(f.ToString()));
    }
}
