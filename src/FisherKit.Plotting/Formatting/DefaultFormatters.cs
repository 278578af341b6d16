using System.Collections;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Runtime.CompilerServices;
using FisherKit.Plotting.Tables;
using Microsoft.Data.Analysis;

namespace FisherKit.Plotting.Formatting;

/// <summary>Formatters every value gets: text for anything, an HTML table for sequences and DataFrames, raw HTML and markdown.</summary>
internal static class DefaultFormatters
{
    public static void RegisterAll(List<ITypeFormatter> into)
    {
        into.Add(new TypeFormatter<object>(MimeTypes.PlainText, (o, w) => w.Write(PlainText(o, 0))));
        into.Add(new TypeFormatter<IEnumerable>(MimeTypes.Html, (e, w) =>
        {
            if (e is string) return false;
            w.Write(HtmlTable(e));
            return true;
        }));
        into.Add(new TypeFormatter<HtmlContent>(MimeTypes.Html, (h, w) => w.Write(h.Html)));
        into.Add(new TypeFormatter<MarkdownContent>(MimeTypes.Markdown, (m, w) => w.Write(m.Markdown)));
        into.Add(new TypeFormatter<MarkdownContent>(MimeTypes.PlainText, (m, w) => w.Write(m.Markdown)));
        try
        {
            RegisterDataFrames(into);
        }
        catch (FileNotFoundException)
        {
            // Microsoft.Data.Analysis is not beside FisherKit.Plotting: everything else still formats.
        }
    }

    /// <summary>DataFrames: the HTML table .NET Interactive shows (<see cref="DataFrameHtml"/>) and
    /// <see cref="DataFrameText"/>. Separate, so that a missing Microsoft.Data.Analysis fails here only.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RegisterDataFrames(List<ITypeFormatter> into)
    {
        into.Add(new TypeFormatter<DataFrame>(MimeTypes.Html, (t, w) => w.Write(t.ToHtml())));
        into.Add(new TypeFormatter<DataFrame>(MimeTypes.PlainText, (t, w) => w.Write(t.ToText())));
    }

    /// <summary>Invariant text: numbers round-trip, sequences list their first items.</summary>
    public static string PlainText(object? o, int depth)
    {
        switch (o)
        {
            case null: return "null";
            case string s: return s;
            case double d: return d.ToString("R", CultureInfo.InvariantCulture);
            case float f: return f.ToString("R", CultureInfo.InvariantCulture);
            case bool b: return b ? "true" : "false";
            case IFormattable x: return x.ToString(null, CultureInfo.InvariantCulture);
            case IDictionary dict when depth < 3:
                // Through IDictionaryEnumerator: a generic Dictionary enumerates KeyValuePairs, not DictionaryEntries.
                var entries = new List<string>();
                for (var e = dict.GetEnumerator(); entries.Count < Formatter.ListExpansionLimit && e.MoveNext();)
                    entries.Add($"{PlainText(e.Key, depth + 1)}: {PlainText(e.Value, depth + 1)}");
                return "{ " + string.Join(", ", entries) +
                    (dict.Count > entries.Count ? $"{(entries.Count > 0 ? ", " : "")}... ({dict.Count - entries.Count} more)" : "") + " }";
            case IEnumerable seq when depth < 3 && !HasOwnToString(o.GetType()):
                var items = new List<string>();
                var truncated = false;
                foreach (var item in seq)
                {
                    if (items.Count >= Formatter.ListExpansionLimit) { truncated = true; break; }
                    items.Add(PlainText(item, depth + 1));
                }
                return "[" + string.Join(", ", items) + (truncated ? $"{(items.Count > 0 ? ", " : "")}... ({More(seq, items.Count)})" : "") + "]";
            default: return InvariantToString(o);
        }
    }

    /// <summary><paramref name="o"/>'s own <c>ToString()</c> under the invariant culture: records and tuples format
    /// their members with the current culture (1,5 in German), which would differ from host to host.</summary>
    internal static string InvariantToString(object o)
    {
        var culture = CultureInfo.CurrentCulture;
        if (ReferenceEquals(culture, CultureInfo.InvariantCulture)) return o.ToString() ?? o.GetType().Name;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        try { return o.ToString() ?? o.GetType().Name; }
        finally { CultureInfo.CurrentCulture = culture; }
    }

    /// <summary>"5 more" where the sequence knows its count, else "more": the items after those shown are not
    /// enumerated, since a lazy query (a model applied to a data set) or an endless generator would run for them.</summary>
    private static string More(IEnumerable sequence, int shown)
    {
        int? count = sequence switch
        {
            ICollection c => c.Count,
            _ => sequence.GetType().GetInterfaces()
                .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IReadOnlyCollection<>))
                ?.GetProperty(nameof(IReadOnlyCollection<int>.Count))?.GetValue(sequence) as int?,
        };
        return count is { } n ? (n - shown).ToString(CultureInfo.InvariantCulture) + " more" : "more";
    }

    private static bool HasOwnToString(Type t) =>
        t.GetMethod(nameof(ToString), Type.EmptyTypes)?.DeclaringType is { } d &&
        d != typeof(object) && !(d.Namespace ?? "").StartsWith("System", StringComparison.Ordinal);

    /// <summary>One row per item; one column per public property of records and classes, one value
    /// column for scalars; at most <see cref="Formatter.TableRowLimit"/> rows.</summary>
    public static string HtmlTable(IEnumerable sequence)
    {
        var rows = new List<object?>();
        var truncated = false;
        foreach (var item in sequence)
        {
            if (rows.Count >= Formatter.TableRowLimit) { truncated = true; break; }
            rows.Add(item);
        }
        var elementType = ElementType(sequence.GetType()) ?? rows.FirstOrDefault(r => r is not null)?.GetType() ?? typeof(object);
        var columns = IsScalar(elementType) || elementType == typeof(object)
            ? []
            : elementType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract").ToArray();
        var sb = new System.Text.StringBuilder();
        sb.Append("<table class=\"fisherkit-table\"><thead><tr><th>#</th>");
        if (columns.Length == 0) sb.Append("<th>value</th>");
        foreach (var c in columns) sb.Append("<th>").Append(WebUtility.HtmlEncode(c.Name)).Append("</th>");
        sb.Append("</tr></thead><tbody>");
        for (var i = 0; i < rows.Count; i++)
        {
            sb.Append("<tr><td>").Append(i.ToString(CultureInfo.InvariantCulture)).Append("</td>");
            if (columns.Length == 0)
                sb.Append("<td>").Append(WebUtility.HtmlEncode(PlainText(rows[i], 1))).Append("</td>");
            else
                foreach (var c in columns)
                {
                    object? v;
                    try { v = rows[i] is null ? null : c.GetValue(rows[i]); }
                    catch (TargetInvocationException e) { v = $"({e.InnerException?.GetType().Name})"; }
                    sb.Append("<td>").Append(WebUtility.HtmlEncode(PlainText(v, 1))).Append("</td>");
                }
            sb.Append("</tr>");
        }
        sb.Append("</tbody></table>");
        if (truncated) sb.Append("<p>... (").Append(More(sequence, rows.Count)).Append(" rows)</p>");
        return sb.ToString();
    }

    private static bool IsScalar(Type t) =>
        t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(DateTime) ||
        t == typeof(DateTimeOffset) || t == typeof(TimeSpan) || t == typeof(Guid) ||
        (Nullable.GetUnderlyingType(t) is { } u && IsScalar(u));

    private static Type? ElementType(Type sequenceType)
    {
        if (sequenceType.IsArray) return sequenceType.GetElementType();
        return sequenceType.GetInterfaces().Append(sequenceType)
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))
            ?.GetGenericArguments()[0];
    }
}
