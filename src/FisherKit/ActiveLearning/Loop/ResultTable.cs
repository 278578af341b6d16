using FisherKit.Plotting.Output;
using System.Globalization;
using System.Text;
using FisherKit.Files;

namespace FisherKit.ActiveLearning.Loop;

/// <summary>Writes and reads tidy result records as CSV (header method,seed,round,labels,metric,value; invariant culture; round-trip doubles).</summary>
public static class ResultTable
{
    /// <summary>The header line.</summary>
    public const string Header = "method,seed,round,labels,metric,value";

    /// <summary>The records as CSV text.</summary>
    public static string ToCsv(IEnumerable<ResultRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var sb = new StringBuilder(Header).Append('\n');
        foreach (var r in records)
            sb.Append(Quote(r.Method)).Append(',').Append(r.Seed.ToString(CultureInfo.InvariantCulture)).Append(',')
              .Append(r.Round.ToString(CultureInfo.InvariantCulture)).Append(',').Append(r.Labels.ToString(CultureInfo.InvariantCulture)).Append(',')
              .Append(Quote(r.Metric)).Append(',').Append(r.Value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        return sb.ToString();
    }

    /// <summary>Writes the records to <paramref name="path"/> (temporary file, then rename).</summary>
    public static void WriteCsv(string path, IEnumerable<ResultRecord> records)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.WriteAllText(path, ToCsv(records));
    }

    /// <summary>Reads records written by <see cref="WriteCsv"/>.</summary>
    public static IReadOnlyList<ResultRecord> ReadCsv(string path)
    {
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || lines[0] != Header) throw new InvalidDataException($"{path} is not a result table (expected the header \"{Header}\").");
        var result = new List<ResultRecord>();
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            var f = Split(lines[i]);
            if (f.Count != 6) throw new InvalidDataException($"{path}:{i + 1}: expected 6 fields, found {f.Count}.");
            result.Add(new ResultRecord(f[0], long.Parse(f[1], CultureInfo.InvariantCulture), int.Parse(f[2], CultureInfo.InvariantCulture),
                int.Parse(f[3], CultureInfo.InvariantCulture), f[4], double.Parse(f[5], CultureInfo.InvariantCulture)));
        }
        return result;
    }

    private static string Quote(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) < 0 ? s : "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static List<string> Split(string line)
    {
        var fields = new List<string>();
        var sb = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"') { sb.Append('"'); i++; }
                else if (ch == '"') quoted = false;
                else sb.Append(ch);
            }
            else if (ch == '"') quoted = true;
            else if (ch == ',') { fields.Add(sb.ToString()); sb.Clear(); }
            else sb.Append(ch);
        }
        fields.Add(sb.ToString());
        return fields;
    }
}
