using System.Text.Json;
using System.Text.Json.Serialization;

namespace FisherKit.Plotting.Serialization;

/// <summary>
/// plotly.js attributes whose values mix booleans and words (<c>visible: true | false | "legendonly"</c>,
/// <c>boxpoints: "all" | "outliers" | false</c>). Members named <c>Visible</c> become <c>true</c>,
/// <c>Hidden</c> and <c>None</c> become <c>false</c>, the rest their lower-case name.
/// </summary>
internal sealed class BooleanOrStringEnumConverter<T> : JsonConverter<T> where T : struct, Enum
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.True:
                return Enum.TryParse<T>("Visible", out var v) ? v : throw new JsonException($"true is not a {typeof(T).Name}.");
            case JsonTokenType.False:
                return Enum.TryParse<T>("Hidden", out var h) ? h : Enum.TryParse<T>("None", out var n) ? n : throw new JsonException($"false is not a {typeof(T).Name}.");
            case JsonTokenType.String:
                var s = reader.GetString();
                foreach (var name in Enum.GetNames<T>())
                    if (string.Equals(name, s, StringComparison.OrdinalIgnoreCase)) return Enum.Parse<T>(name);
                throw new JsonException($"'{s}' is not a {typeof(T).Name}.");
            default:
                throw new JsonException($"Unexpected {reader.TokenType} for {typeof(T).Name}.");
        }
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        var name = value.ToString();
        switch (name)
        {
            case "Visible": writer.WriteBooleanValue(true); break;
            case "Hidden" or "None": writer.WriteBooleanValue(false); break;
            default: writer.WriteStringValue(name.ToLowerInvariant()); break;
        }
    }
}
