using System.Text.Json.Serialization;

namespace FisherKit.Plotting.Serialization;

/// <summary>Writes an enum as plotly.js spells it: the lower-cased member name, unless the member
/// carries a <see cref="JsonStringEnumMemberNameAttribute"/>.</summary>
internal sealed class PlotlyEnumConverter<T> : JsonStringEnumConverter<T> where T : struct, Enum
{
    public PlotlyEnumConverter() : base(new PlotlyNamingPolicy(), allowIntegerValues: false) { }
}
