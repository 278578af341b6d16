namespace FisherKit.Plotting.Formatting;

/// <summary>The MIME types FisherKit formats values into (the keys of a Jupyter MIME bundle).</summary>
public static class MimeTypes
{
    /// <summary>Plain text, always present.</summary>
    public const string PlainText = "text/plain";

    /// <summary>HTML fragment.</summary>
    public const string Html = "text/html";

    /// <summary>Markdown.</summary>
    public const string Markdown = "text/markdown";

    /// <summary>PNG image (base64 in a notebook).</summary>
    public const string Png = "image/png";

    /// <summary>SVG image.</summary>
    public const string Svg = "image/svg+xml";

    /// <summary>JSON.</summary>
    public const string Json = "application/json";

    /// <summary>A plotly.js figure (<c>{"data": [...], "layout": {...}}</c>), rendered natively by JupyterLab.</summary>
    public const string Plotly = "application/vnd.plotly.v1+json";

    /// <summary>Whether notebook files store this type as JSON rather than as a string.</summary>
    public static bool IsJson(string mimeType)
    {
        ArgumentNullException.ThrowIfNull(mimeType);
        return mimeType == Json || mimeType.EndsWith("+json", StringComparison.Ordinal);
    }
}
