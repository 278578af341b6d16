using System.Text.Json;

namespace FisherKit.Plotting.Serialization;

/// <summary>
/// plotly.js spells its attributes in lower case without separators (<c>showlegend</c>,
/// <c>fillcolor</c>, <c>colorscale</c>); C# properties are PascalCase. This policy lower-cases the
/// name; the few attributes with an underscore (<c>error_y</c>, <c>plot_bgcolor</c>) carry an
/// explicit <see cref="System.Text.Json.Serialization.JsonPropertyNameAttribute"/>.
/// </summary>
internal sealed class PlotlyNamingPolicy : JsonNamingPolicy
{
    public override string ConvertName(string name) => name.ToLowerInvariant();
}
