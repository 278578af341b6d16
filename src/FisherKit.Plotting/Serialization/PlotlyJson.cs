using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FisherKit.Plotting.Serialization;

/// <summary>The one set of serializer options for plotly.js JSON: lower-case names, nulls omitted.</summary>
public static class PlotlyJson
{
    /// <summary>Compact options used for HTML and notebook outputs.</summary>
    public static JsonSerializerOptions Options { get; } = Create(indented: false);

    /// <summary>Indented options, for files meant to be read or diffed.</summary>
    public static JsonSerializerOptions IndentedOptions { get; } = Create(indented: true);

    private static JsonSerializerOptions Create(bool indented)
    {
        var o = new JsonSerializerOptions
        {
            PropertyNamingPolicy = new PlotlyNamingPolicy(),
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            WriteIndented = indented,
            // Figures are embedded in <script> blocks: keep '<', '>' and '&' escaped (the default
            // encoder does), but let non-ASCII letters (units such as µm) through unescaped.
            Encoder = JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
            NumberHandling = JsonNumberHandling.Strict,
            Converters = { new FiniteOrNullDoubleConverter() },
        };
        o.MakeReadOnly(populateMissingResolver: true);
        return o;
    }
}
