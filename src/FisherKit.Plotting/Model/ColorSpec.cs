using System.Text.Json;
using System.Text.Json.Serialization;

namespace FisherKit.Plotting;

/// <summary>
/// A colour attribute that plotly.js accepts either as one CSS colour or as one entry per point
/// (numbers mapped through a colour scale, or CSS colours). Converts implicitly from
/// <c>string</c>, <c>double[]</c> and <c>string[]</c>.
/// </summary>
[JsonConverter(typeof(ColorSpecConverter))]
public sealed record ColorSpec
{
    private ColorSpec(string? single, DataArray? perPoint)
    {
        Single = single;
        PerPoint = perPoint;
    }

    /// <summary>The one colour, when the same for all points.</summary>
    public string? Single { get; }

    /// <summary>The values per point, when they differ.</summary>
    public DataArray? PerPoint { get; }

    /// <summary>One CSS colour for all points.</summary>
    public static implicit operator ColorSpec(string color) => new(color ?? throw new ArgumentNullException(nameof(color)), null);

    /// <summary>A number per point, mapped through the colour scale.</summary>
    public static implicit operator ColorSpec(double[] values) => new(null, values);

    /// <summary>A CSS colour per point.</summary>
    public static implicit operator ColorSpec(string[] colors) => new(null, colors);

    /// <summary>Values per point.</summary>
    public static implicit operator ColorSpec(DataArray values) => new(null, values);

    private sealed class ColorSpecConverter : JsonConverter<ColorSpec>
    {
        public override ColorSpec Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String ? reader.GetString()! : DataArray.Read(ref reader);

        public override void Write(Utf8JsonWriter writer, ColorSpec value, JsonSerializerOptions options)
        {
            if (value.Single is not null) writer.WriteStringValue(value.Single);
            else value.PerPoint!.Write(writer);
        }
    }
}
