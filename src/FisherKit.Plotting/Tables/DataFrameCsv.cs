using System.Globalization;
using System.Text;
using FisherKit.Files;
using Microsoft.Data.Analysis;

namespace FisherKit.Plotting.Tables;

/// <summary>
/// DataFrames as CSV (RFC 4180): a header of column names, then one line per row; numbers in invariant culture
/// with every digit (<c>R</c>: they read back to the same double), <c>True</c>/<c>False</c>, an empty field for a
/// missing value, and quotes around text with a comma, a quote or a line break. Files are written through a
/// temporary file and a rename (<see cref="AtomicFile"/>), so an existing file is never left half-written.
/// </summary>
/// <example>
/// <code>
/// var table = DataFrames.FromRows(["method", "note"], [["random", "the reference, \"BL\""]]);
/// table.ToCsv()                        // "method,note\nrandom,\"the reference, \"\"BL\"\"\"\n"
/// table.WriteCsv("out/tables/methods.csv");
/// DataFrameCsv.ReadCsv("out/tables/methods.csv")   // reads it back, in any culture
/// </code>
/// </example>
public static class DataFrameCsv
{
    /// <summary>The table as CSV text (lines end with <c>\n</c>).</summary>
    public static string ToCsv(this DataFrame table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var sb = new StringBuilder();
        sb.AppendJoin(',', table.Columns.Select(c => Quote(c.Name))).Append('\n');
        for (long r = 0; r < table.Rows.Count; r++)
        {
            for (var c = 0; c < table.Columns.Count; c++)
            {
                if (c > 0) sb.Append(',');
                sb.Append(Field(table.Columns[c][r]));
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Writes <see cref="ToCsv"/> to <paramref name="path"/> (UTF-8; temporary file, then rename; folders
    /// are created).</summary>
    public static void WriteCsv(this DataFrame table, string path)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        AtomicFile.WriteAllText(path, table.ToCsv());
    }

    /// <summary>
    /// Reads a file written by <see cref="WriteCsv"/>: <see cref="DataFrame.LoadCsv(string, char, bool, string[], Type[], int, int, bool, Encoding, bool, CultureInfo)"/>
    /// with the invariant culture (by default it reads numbers in the current culture, so in a German kernel
    /// "0.5" becomes 5), and, where <paramref name="dataTypes"/> is not given, columns of numbers read as
    /// <see cref="double"/> (LoadCsv guesses <see cref="float"/>, which drops digits).
    /// </summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="dataTypes">The type of each column; null: <see cref="bool"/>, <see cref="double"/> or
    /// <see cref="string"/>, guessed from the values.</param>
    public static DataFrame ReadCsv(string path, Type[]? dataTypes = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var stream = File.OpenRead(path);
        return DataFrame.LoadCsv(stream, dataTypes: dataTypes, guessRows: int.MaxValue, encoding: Encoding.UTF8,
            cultureInfo: CultureInfo.InvariantCulture, guessTypeFunction: Guess);
    }

    private static Type Guess(IEnumerable<string?> values)
    {
        var present = values.Where(v => !string.IsNullOrEmpty(v)).ToArray();
        if (present.Length > 0 && present.All(v => bool.TryParse(v, out _))) return typeof(bool);
        if (present.All(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _))) return typeof(double);
        return typeof(string);
    }

    /// <summary>One CSV field.</summary>
    internal static string Field(object? value) => value switch
    {
        null => "",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        string s => Quote(s),
        _ => Quote(DataFrames.Text(value) ?? ""),
    };

    private static string Quote(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) < 0 ? s : "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
