using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FisherKit.Plotting.Serialization;

/// <summary>Writes an enum as plotly.js spells it: the lower-cased member name, unless the member
/// carries a <see cref="JsonStringEnumMemberNameAttribute"/> (which may be empty, as plotly.js's
/// <c>histnorm: ""</c> is).</summary>
internal sealed class PlotlyEnumConverter<T> : JsonConverter<T> where T : struct, Enum
{
    private static readonly Dictionary<T, string> Names = Enum.GetValues<T>().ToDictionary(v => v, v =>
        typeof(T).GetField(v.ToString())!.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? v.ToString().ToLowerInvariant());

    private static readonly Dictionary<string, T> Values = Names.ToDictionary(kv => kv.Value, kv => kv.Key, StringComparer.OrdinalIgnoreCase);

    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var s = reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw new JsonException($"Expected a string for {typeof(T).Name}.");
        return Values.TryGetValue(s, out var v) ? v : throw new JsonException($"'{s}' is not a {typeof(T).Name}.");
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(Names[value]);
}
