using System.Globalization;
using System.Net;
using System.Text;
using FisherKit.Plotting.Formatting;
using Microsoft.Data.Analysis;

namespace FisherKit.Plotting.Tables;

/// <summary>
/// A DataFrame as an HTML table, in the markup .NET Interactive gives it (the <c>Microsoft.Data.Analysis</c>
/// kernel extension, 0.24.0): an <i>index</i> column, one column per DataFrame column, text as it is, numbers and
/// other values in a <c>dni-plaintext</c> block with every digit (0.8733333333333333; round the table with
/// <see cref="DataFrames.Rounded"/> for display), a missing value as <c>&lt;null&gt;</c>. FisherKit shows every
/// DataFrame this way in <c>./fisherkit run</c>, its Jupyter kernel, the static report and, through FisherKit's
/// .NET Interactive registration, in <c>.net-csharp</c>, so a saved notebook looks the same whichever ran it.
/// </summary>
/// <remarks>
/// Differences from .NET Interactive: the table id is derived from the content (a saved notebook does not change
/// when nothing else did), the style sheet that follows is scoped to the table, and at most
/// <see cref="Formatter.TableRowLimit"/> rows are written, followed by a line saying how many were left out.
/// </remarks>
/// <example>
/// <code>
/// var html = DataFrames.FromRows(["score", "AUROC"], [["Fisher form", "0.912"]]).ToHtml();
/// // &lt;table id="table_…" class="fisherkit-dataframe"&gt;&lt;thead&gt;&lt;tr&gt;&lt;th&gt;&lt;i&gt;index&lt;/i&gt;&lt;/th&gt;&lt;th&gt;score&lt;/th&gt;…
/// </code>
/// </example>
public static class DataFrameHtml
{
    /// <summary>The style written after each table: cells aligned to the start and top, values without the
    /// margins, padding and background that a page's <c>pre</c> style may give them.</summary>
    public const string Style =
        "<style>\ntable.fisherkit-dataframe td, table.fisherkit-dataframe th { text-align: start; vertical-align: top; }\n" +
        "table.fisherkit-dataframe td pre { margin: 0 !important; padding: 0; background: none; border: none; font-size: inherit; white-space: pre-wrap; }\n</style>";

    /// <summary>The table as an HTML fragment (table, then <see cref="Style"/>).</summary>
    public static string ToHtml(this DataFrame table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var rows = table.Rows.Count;
        var shown = Math.Min(rows, Math.Max(0, Formatter.TableRowLimit));
        var body = new StringBuilder();
        body.Append("<thead><tr><th><i>index</i></th>");
        foreach (var c in table.Columns) body.Append("<th>").Append(WebUtility.HtmlEncode(c.Name)).Append("</th>");
        body.Append("</tr></thead><tbody>");
        for (long r = 0; r < shown; r++)
        {
            body.Append("<tr><td><i>").Append(Plain(r.ToString(CultureInfo.InvariantCulture))).Append("</i></td>");
            foreach (var c in table.Columns) body.Append("<td>").Append(Cell(c[r])).Append("</td>");
            body.Append("</tr>");
        }
        body.Append("</tbody></table>");
        var content = body.ToString();
        var sb = new StringBuilder();
        sb.Append("<table id=\"table_").Append(Id(content)).Append("\" class=\"fisherkit-dataframe\">").Append(content);
        if (shown < rows)
            sb.Append("<p>… ").Append((rows - shown).ToString(CultureInfo.InvariantCulture)).Append(" more rows (")
              .Append(rows.ToString(CultureInfo.InvariantCulture)).Append(" in all)</p>");
        sb.Append(Style);
        return sb.ToString();
    }

    /// <summary>The markup of one value: text as it is, anything else as .NET Interactive's plain text.</summary>
    internal static string Cell(object? value) => value is string s ? WebUtility.HtmlEncode(s) : Plain(DataFrameText.Cell(value));

    private static string Plain(string text) => $"<div class=\"dni-plaintext\"><pre>{WebUtility.HtmlEncode(text)}</pre></div>";

    private static string Id(string content)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(content));
        return Convert.ToHexString(hash, 0, 8).ToLowerInvariant();
    }
}
