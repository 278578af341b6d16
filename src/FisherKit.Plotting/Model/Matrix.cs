using System.Text.Json;
using System.Text.Json.Serialization;

namespace FisherKit.Plotting;

/// <summary>
/// A rectangular grid of numbers (rows × columns) for heatmaps and contours; row 0 is drawn at the
/// bottom unless the y axis is reversed. Converts implicitly from <c>double[,]</c>,
/// <c>float[,]</c> and <c>double[][]</c> (rows must have equal length). Non-finite values are
/// written as <c>null</c> (a hole in the map).
/// </summary>
[JsonConverter(typeof(MatrixConverter))]
public sealed class Matrix : IEquatable<Matrix>
{
    private readonly double[] _values;

    /// <summary>Makes a matrix from row-major values.</summary>
    /// <exception cref="ArgumentException">The number of values is not rows × columns.</exception>
    public Matrix(int rows, int columns, IEnumerable<double> rowMajorValues)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        ArgumentNullException.ThrowIfNull(rowMajorValues);
        _values = rowMajorValues.ToArray();
        if (_values.Length != rows * columns)
            throw new ArgumentException($"A {rows}x{columns} matrix needs {rows * columns} values, got {_values.Length}.", nameof(rowMajorValues));
        Rows = rows;
        Columns = columns;
    }

    /// <summary>Number of rows (the y direction).</summary>
    public int Rows { get; }

    /// <summary>Number of columns (the x direction).</summary>
    public int Columns { get; }

    /// <summary>The value at row <paramref name="row"/>, column <paramref name="column"/>.</summary>
    public double this[int row, int column] => _values[row * Columns + column];

    /// <summary>Converts a 2-D array.</summary>
    public static implicit operator Matrix(double[,] values) => new(values.GetLength(0), values.GetLength(1), values.Cast<double>());

    /// <summary>Converts a 2-D array.</summary>
    public static implicit operator Matrix(float[,] values) => new(values.GetLength(0), values.GetLength(1), values.Cast<float>().Select(v => (double)v));

    /// <summary>Converts a jagged array whose rows have equal length.</summary>
    public static implicit operator Matrix(double[][] rows) => FromRows(rows);

    /// <summary>Makes a matrix from rows of equal length.</summary>
    /// <exception cref="ArgumentException">Rows differ in length.</exception>
    public static Matrix FromRows(IReadOnlyList<IReadOnlyList<double>> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var columns = rows.Count == 0 ? 0 : rows[0].Count;
        for (var i = 0; i < rows.Count; i++)
            if (rows[i].Count != columns)
                throw new ArgumentException($"Row {i} has {rows[i].Count} values but row 0 has {columns}; a matrix needs rows of equal length.", nameof(rows));
        return new Matrix(rows.Count, columns, rows.SelectMany(r => r));
    }

    /// <inheritdoc />
    public bool Equals(Matrix? other) =>
        other is not null && Rows == other.Rows && Columns == other.Columns && _values.AsSpan().SequenceEqual(other._values);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Matrix);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Rows, Columns);

    /// <inheritdoc />
    public override string ToString() => $"Matrix[{Rows}x{Columns}]";

    internal void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartArray();
        for (var r = 0; r < Rows; r++)
        {
            writer.WriteStartArray();
            for (var c = 0; c < Columns; c++) JsonNumbers.Write(writer, _values[r * Columns + c]);
            writer.WriteEndArray();
        }
        writer.WriteEndArray();
    }
}

internal sealed class MatrixConverter : JsonConverter<Matrix>
{
    public override Matrix Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var rows = JsonSerializer.Deserialize<double?[][]>(ref reader) ?? [];
        return Matrix.FromRows(rows.Select(r => (IReadOnlyList<double>)r.Select(v => v ?? double.NaN).ToArray()).ToArray());
    }

    public override void Write(Utf8JsonWriter writer, Matrix value, JsonSerializerOptions options) => value.Write(writer);
}
