using System.Text.Json;
using System.Text.Json.Serialization;

namespace FisherKit.Plotting;

/// <summary>
/// A column of data for a trace: numbers or category names. Converts implicitly from the usual
/// arrays, so <c>new Scatter { X = xs, Y = ys }</c> works with <c>double[]</c>, <c>float[]</c>,
/// <c>int[]</c>, <c>long[]</c> or <c>string[]</c>. Non-finite numbers (NaN, ±∞) are written as
/// <c>null</c>, which plotly.js draws as a gap.
/// </summary>
[JsonConverter(typeof(DataArrayConverter))]
public sealed class DataArray : IEquatable<DataArray>
{
    private readonly double[]? _numbers;
    private readonly string?[]? _strings;

    private DataArray(double[]? numbers, string?[]? strings)
    {
        _numbers = numbers;
        _strings = strings;
    }

    /// <summary>Number of entries.</summary>
    public int Count => _numbers?.Length ?? _strings!.Length;

    /// <summary>True when the entries are numbers, false when they are category names.</summary>
    public bool IsNumeric => _numbers is not null;

    /// <summary>The numbers (empty when the array holds categories).</summary>
    public IReadOnlyList<double> Numbers => _numbers ?? [];

    /// <summary>The category names (empty when the array holds numbers).</summary>
    public IReadOnlyList<string?> Strings => _strings ?? [];

    /// <summary>Makes a numeric column (the values are copied).</summary>
    public static DataArray FromNumbers(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new DataArray(values.ToArray(), null);
    }

    /// <summary>Makes a categorical column (the names are copied).</summary>
    public static DataArray FromStrings(IEnumerable<string?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new DataArray(null, values.ToArray());
    }

    /// <summary>Converts numbers.</summary>
    public static implicit operator DataArray(double[] values) => FromNumbers(values);
    /// <summary>Converts numbers.</summary>
    public static implicit operator DataArray(float[] values) => FromNumbers(values.Select(v => (double)v));
    /// <summary>Converts numbers.</summary>
    public static implicit operator DataArray(int[] values) => FromNumbers(values.Select(v => (double)v));
    /// <summary>Converts numbers.</summary>
    public static implicit operator DataArray(long[] values) => FromNumbers(values.Select(v => (double)v));
    /// <summary>Converts numbers.</summary>
    public static implicit operator DataArray(List<double> values) => FromNumbers(values);
    /// <summary>Converts category names.</summary>
    public static implicit operator DataArray(string[] values) => FromStrings(values);
    /// <summary>Converts category names.</summary>
    public static implicit operator DataArray(List<string> values) => FromStrings(values);

    /// <inheritdoc />
    public bool Equals(DataArray? other) =>
        other is not null &&
        (_numbers is not null
            ? other._numbers is not null && _numbers.AsSpan().SequenceEqual(other._numbers)
            : other._strings is not null && _strings!.AsSpan().SequenceEqual(other._strings));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as DataArray);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Count, IsNumeric);

    /// <inheritdoc />
    public override string ToString() => $"DataArray[{Count}{(IsNumeric ? "" : ", categories")}]";

    internal void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartArray();
        if (_numbers is not null)
            foreach (var v in _numbers) JsonNumbers.Write(writer, v);
        else
            foreach (var s in _strings!)
                if (s is null) writer.WriteNullValue(); else writer.WriteStringValue(s);
        writer.WriteEndArray();
    }

    internal static DataArray Read(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("A data array must be a JSON array.");
        var numbers = new List<double>();
        var strings = new List<string?>();
        var anyString = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.Number: numbers.Add(reader.GetDouble()); strings.Add(reader.GetDouble().ToString("R", System.Globalization.CultureInfo.InvariantCulture)); break;
                case JsonTokenType.Null: numbers.Add(double.NaN); strings.Add(null); break;
                case JsonTokenType.String: anyString = true; strings.Add(reader.GetString()); numbers.Add(double.NaN); break;
                default: throw new JsonException($"Unexpected {reader.TokenType} in a data array.");
            }
        }
        return anyString ? FromStrings(strings) : FromNumbers(numbers);
    }
}

internal sealed class DataArrayConverter : JsonConverter<DataArray>
{
    public override DataArray Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DataArray.Read(ref reader);

    public override void Write(Utf8JsonWriter writer, DataArray value, JsonSerializerOptions options) => value.Write(writer);
}
