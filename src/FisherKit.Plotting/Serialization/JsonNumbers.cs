using System.Text.Json;
using System.Text.Json.Serialization;

namespace FisherKit.Plotting;

/// <summary>Writes doubles as plotly.js expects them: finite values as numbers, the rest as null (a gap).</summary>
internal static class JsonNumbers
{
    public static void Write(Utf8JsonWriter writer, double v)
    {
        if (double.IsFinite(v)) writer.WriteNumberValue(v);
        else writer.WriteNullValue();
    }
}

/// <summary>
/// Every other double of a figure (an axis range, an opacity, colour bounds, bin sizes, annotation positions): a
/// non-finite value is written as null, which plotly.js takes as "not set" (its default, an automatic range), as
/// data arrays write theirs; the serializer would throw for the whole figure, so that a NaN bound left over from a
/// diverged run made the figure fail to display. null reads back as NaN.
/// </summary>
internal sealed class FiniteOrNullDoubleConverter : JsonConverter<double>
{
    public override bool HandleNull => true;

    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options) => JsonNumbers.Write(writer, value);
}
