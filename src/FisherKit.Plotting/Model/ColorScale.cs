using System.Text.Json;
using System.Text.Json.Serialization;

namespace FisherKit.Plotting;

/// <summary>
/// A colour scale: a plotly.js named scale (<see cref="Viridis"/>, <see cref="RdBu"/>, ...) or a
/// list of (position in [0, 1], CSS colour) stops.
/// </summary>
[JsonConverter(typeof(ColorScaleConverter))]
public sealed record ColorScale
{
    private ColorScale(string? name, IReadOnlyList<(double Position, string Color)>? stops)
    {
        Name = name;
        Stops = stops;
    }

    /// <summary>The plotly.js name, for a named scale.</summary>
    public string? Name { get; }

    /// <summary>The stops, for a custom scale.</summary>
    public IReadOnlyList<(double Position, string Color)>? Stops { get; }

    /// <summary>A named plotly.js scale (e.g. <c>"Viridis"</c>, <c>"Cividis"</c>, <c>"RdBu"</c>, <c>"Greys"</c>).</summary>
    public static ColorScale Named(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new ColorScale(name, null);
    }

    /// <summary>A custom scale from stops; positions must rise from 0 to 1.</summary>
    /// <exception cref="ArgumentException">Fewer than two stops, or positions not rising from 0 to 1.</exception>
    public static ColorScale FromStops(params (double Position, string Color)[] stops)
    {
        ArgumentNullException.ThrowIfNull(stops);
        if (stops.Length < 2) throw new ArgumentException("A colour scale needs at least two stops.", nameof(stops));
        if (stops[0].Position != 0 || stops[^1].Position != 1)
            throw new ArgumentException($"Colour scale stops must start at 0 and end at 1 (got {stops[0].Position} and {stops[^1].Position}).", nameof(stops));
        for (var i = 1; i < stops.Length; i++)
            if (stops[i].Position < stops[i - 1].Position)
                throw new ArgumentException($"Colour scale stop {i} at {stops[i].Position} comes before the previous stop at {stops[i - 1].Position}.", nameof(stops));
        return new ColorScale(null, stops.ToArray());
    }

    /// <summary>Perceptually uniform, colour-blind safe; the default for magnitudes (uncertainty maps).</summary>
    public static ColorScale Viridis { get; } = Named("Viridis");

    /// <summary>Perceptually uniform and readable with colour-vision deficiency.</summary>
    public static ColorScale Cividis { get; } = Named("Cividis");

    /// <summary>Diverging red–blue, for signed values such as saliency (use with a zero midpoint).</summary>
    public static ColorScale RdBu { get; } = Named("RdBu");

    /// <summary>Grey levels, for images.</summary>
    public static ColorScale Greys { get; } = Named("Greys");

    /// <summary>Black–red–yellow–white, for positive saliency.</summary>
    public static ColorScale Hot { get; } = Named("Hot");

    /// <inheritdoc />
    public bool Equals(ColorScale? other) =>
        other is not null && Name == other.Name &&
        (Stops is null ? other.Stops is null : other.Stops is not null && Stops.SequenceEqual(other.Stops));

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, Stops?.Count);

    private sealed class ColorScaleConverter : JsonConverter<ColorScale>
    {
        public override ColorScale Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.String) return Named(reader.GetString()!);
            using var doc = JsonDocument.ParseValue(ref reader);
            return FromStops(doc.RootElement.EnumerateArray()
                .Select(e => (e[0].GetDouble(), e[1].GetString() ?? "")).ToArray());
        }

        public override void Write(Utf8JsonWriter writer, ColorScale value, JsonSerializerOptions options)
        {
            if (value.Name is not null) { writer.WriteStringValue(value.Name); return; }
            writer.WriteStartArray();
            foreach (var (p, c) in value.Stops!)
            {
                writer.WriteStartArray();
                writer.WriteNumberValue(p);
                writer.WriteStringValue(c);
                writer.WriteEndArray();
            }
            writer.WriteEndArray();
        }
    }
}
