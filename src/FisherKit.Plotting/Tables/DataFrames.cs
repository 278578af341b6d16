using System.Globalization;
using System.Reflection;
using Microsoft.Data.Analysis;

namespace FisherKit.Plotting.Tables;

/// <summary>
/// Builds <see cref="DataFrame"/>s for result tables: from rows of text (a table written for reading, its numbers
/// formatted with <see cref="Formatting.NumberFormats"/>), from records (one typed column per property), and a
/// copy with rounded numbers for display. A DataFrame shows as an HTML table in every notebook host
/// (<see cref="DataFrameHtml"/>) and saves as CSV (<see cref="DataFrameCsv"/>).
/// </summary>
/// <example>
/// <code>
/// using FisherKit.Plotting.Formatting;
/// using FisherKit.Plotting.Tables;
///
/// // A table for reading: text cells with the shared number formats.
/// var table = DataFrames.FromRows(["score", "AUROC"], [["Fisher form", 0.9123.Fixed(3)], ["entropy", 0.8711.Fixed(3)]]);
///
/// // A table of numbers: one column per property, rounded for display.
/// record Run(string Method, int Labels, double Rmse);
/// var runs = DataFrames.FromRecords([new Run("random", 20, 0.41234), new Run("D-optimal", 20, 0.38761)]);
/// runs.Rounded(3)                   // shows 0.412 and 0.388
/// runs.WriteCsv("out/runs.csv");    // all digits, written atomically
/// </code>
/// </example>
public static class DataFrames
{
    /// <summary>A table of text columns named by <paramref name="header"/>, one row per item of <paramref name="rows"/>.</summary>
    /// <exception cref="ArgumentException">A row has not as many cells as the header, or the header repeats a name
    /// (a DataFrame's columns have distinct names; an empty name is allowed once).</exception>
    public static DataFrame FromRows(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string?>> rows)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        CheckNames(header, nameof(header));
        var cells = header.Select(_ => new List<string?>()).ToArray();
        var index = 0;
        foreach (var row in rows)
        {
            ArgumentNullException.ThrowIfNull(row, nameof(rows));
            if (row.Count != header.Count)
                throw new ArgumentException($"Row {index} has {row.Count} cells, the header {header.Count} ({string.Join(", ", header)}).", nameof(rows));
            for (var c = 0; c < row.Count; c++) cells[c].Add(row[c]);
            index++;
        }
        return new DataFrame(header.Select((name, c) => (DataFrameColumn)new StringDataFrameColumn(name, cells[c])));
    }

    /// <summary>
    /// A table with one column per public instance property of <typeparamref name="T"/> (in declaration order,
    /// named as the property, or as <paramref name="columnNames"/> gives): <see cref="double"/>,
    /// <see cref="float"/>, <see cref="int"/>, <see cref="long"/> and <see cref="bool"/> properties (nullable or
    /// not) become typed columns, everything else a text column (invariant culture; null stays null).
    /// </summary>
    /// <param name="records">The rows.</param>
    /// <param name="columnNames">Column names by property name, for properties whose name is not what a reader
    /// should see; properties not named keep their name.</param>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> has no public property, a record is null, or two
    /// columns get the same name.</exception>
    public static DataFrame FromRecords<T>(IEnumerable<T> records, IReadOnlyDictionary<string, string>? columnNames = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        var properties = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract" && p.CanRead)
            .OrderBy(p => p.MetadataToken).ToArray();
        if (properties.Length == 0) throw new ArgumentException($"{typeof(T).Name} has no public property to make columns of.", nameof(records));
        var rows = records.ToList();
        for (var i = 0; i < rows.Count; i++)
            if (rows[i] is null) throw new ArgumentException($"Record {i} is null.", nameof(records));
        var names = properties.Select(p => columnNames is not null && columnNames.TryGetValue(p.Name, out var n) ? n : p.Name).ToArray();
        CheckNames(names, nameof(columnNames));
        return new DataFrame(properties.Select((p, c) => Column(names[c], p.PropertyType, rows.Select(r => p.GetValue(r)))));
    }

    /// <summary>
    /// A typed column from values of <paramref name="type"/> (see <see cref="FromRecords{T}"/> for the types that
    /// stay numbers).
    /// </summary>
    public static DataFrameColumn Column(string name, Type type, IEnumerable<object?> values)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(values);
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t == typeof(double)) return new DoubleDataFrameColumn(name, values.Select(v => (double?)v));
        if (t == typeof(float)) return new SingleDataFrameColumn(name, values.Select(v => (float?)v));
        if (t == typeof(int)) return new Int32DataFrameColumn(name, values.Select(v => (int?)v));
        if (t == typeof(long)) return new Int64DataFrameColumn(name, values.Select(v => (long?)v));
        if (t == typeof(bool)) return new BooleanDataFrameColumn(name, values.Select(v => (bool?)v));
        return new StringDataFrameColumn(name, values.Select(Text));
    }

    /// <summary>
    /// A copy whose <see cref="double"/> and <see cref="float"/> columns are rounded to <paramref name="decimals"/>
    /// digits after the point (midpoints away from zero), for display: 0.87333333 shows as 0.873. Other columns
    /// are copied as they are; the original keeps every digit (save that one).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="decimals"/> is outside 0…15.</exception>
    public static DataFrame Rounded(this DataFrame table, int decimals)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentOutOfRangeException.ThrowIfNegative(decimals);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(decimals, 15);
        return new DataFrame(table.Columns.Select(c => c switch
        {
            DoubleDataFrameColumn d => new DoubleDataFrameColumn(c.Name, d.Select(v => v is { } x ? Math.Round(x, decimals, MidpointRounding.AwayFromZero) : (double?)null)),
            SingleDataFrameColumn f => new SingleDataFrameColumn(c.Name, f.Select(v => v is { } x ? MathF.Round(x, decimals, MidpointRounding.AwayFromZero) : (float?)null)),
            _ => c.Clone(),
        }));
    }

    /// <summary>The text a non-numeric value gets in a text column: invariant culture, null stays null.</summary>
    internal static string? Text(object? value) => value switch
    {
        null => null,
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => Formatting.DefaultFormatters.InvariantToString(value),
    };

    private static void CheckNames(IReadOnlyList<string> names, string parameter)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i] is null) throw new ArgumentException($"Column {i} has no name (null); an empty name is allowed.", parameter);
            for (var j = 0; j < i; j++)
                if (names[j] == names[i]) throw new ArgumentException($"Two columns are named \"{names[i]}\" ({j} and {i}).", parameter);
        }
    }
}
