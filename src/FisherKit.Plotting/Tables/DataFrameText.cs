using System.Globalization;
using System.Text;
using FisherKit.Plotting.Formatting;
using Microsoft.Data.Analysis;

namespace FisherKit.Plotting.Tables;

/// <summary>
/// A DataFrame as plain text (the <c>text/plain</c> of a shown table, and what a console prints): the column
/// names, then one line per row, each column as wide as its widest cell (cells longer than
/// <see cref="MaxCellWidth"/> characters are cut with "…"), two spaces between columns; numbers with every
/// digit, a missing value as <c>&lt;null&gt;</c>; at most <see cref="Formatter.TableRowLimit"/> rows.
/// </summary>
/// <example>
/// <code>
/// DataFrames.FromRows(["score", "AUROC"], [["Fisher form", "0.912"], ["entropy", "0.871"]]).ToText()
/// // score        AUROC
/// // Fisher form  0.912
/// // entropy      0.871
/// </code>
/// </example>
public static class DataFrameText
{
    /// <summary>The widest a cell is written, in characters.</summary>
    public const int MaxCellWidth = 60;

    /// <summary>The table as text, lines separated by <c>\n</c>.</summary>
    public static string ToText(this DataFrame table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var rows = table.Rows.Count;
        var shown = Math.Min(rows, Math.Max(0, Formatter.TableRowLimit));
        var cells = new List<string[]> { table.Columns.Select(c => Cut(c.Name)).ToArray() };
        for (long r = 0; r < shown; r++)
            cells.Add(table.Columns.Select(c => Cut(Cell(c[r]))).ToArray());
        var widths = Enumerable.Range(0, table.Columns.Count).Select(c => cells.Max(row => row[c].Length)).ToArray();
        var sb = new StringBuilder();
        foreach (var row in cells)
        {
            for (var c = 0; c < row.Length; c++)
            {
                if (c == row.Length - 1) sb.Append(row[c]);
                else sb.Append(row[c].PadRight(widths[c] + 2));
            }
            sb.Append('\n');
        }
        if (shown < rows)
            sb.Append("… ").Append((rows - shown).ToString(CultureInfo.InvariantCulture)).Append(" more rows (")
              .Append(rows.ToString(CultureInfo.InvariantCulture)).Append(" in all)\n");
        return sb.ToString().TrimEnd('\n');
    }

    /// <summary>The text of one value (the same as in <see cref="DataFrameHtml"/>).</summary>
    internal static string Cell(object? value) => value switch
    {
        null => "<null>",
        string s => s,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        _ => DataFrames.Text(value) ?? "",
    };

    private static string Cut(string text)
    {
        // Line breaks and tabs would break the columns: each becomes a space.
        var oneLine = text.ReplaceLineEndings(" ").Replace('\t', ' ');
        return oneLine.Length <= MaxCellWidth ? oneLine : string.Concat(oneLine.AsSpan(0, MaxCellWidth - 1), "…");
    }
}
