using System.Globalization;
using System.Text;
using FisherKit.Files;
using FisherKit.Plotting.Tables;
using Microsoft.Data.Analysis;

namespace FisherKit.ActiveLearning.Loop;

/// <summary>
/// Result tables of active learning: tidy records (<see cref="ResultRecord"/>), mean learning curves
/// (<see cref="CurvePoint"/>) and labels needed to reach a target (<see cref="LabelsToReach"/>) as DataFrames
/// (shown as HTML tables in notebooks, saved with <see cref="DataFrameCsv"/>), and the records as CSV with the header
/// method,seed,round,labels,metric,value (invariant culture, round-trip doubles) written and read back.
/// </summary>
/// <example>
/// <code>
/// var results = WuProtocol.Run(data, WuProtocolSettings.Quick);
/// results.Records.ToDataFrame()                               // method | seed | round | labels | metric | value
/// results.Curves("pool RMSE").ToDataFrame().Rounded(4)         // method | labels | mean | sd | min | max | seeds
/// results.LabelsNeeded("pool RMSE", 0.5, higherIsBetter: false).ToDataFrame()
/// ResultTable.WriteCsv("out/al-results/wu.csv", results.Records);   // and ResultTable.ReadCsv to read it back
/// </code>
/// </example>
public static class ResultTable
{
    /// <summary>The header line.</summary>
    public const string Header = "method,seed,round,labels,metric,value";

    /// <summary>The records as a DataFrame with the columns of <see cref="Header"/>.</summary>
    public static DataFrame ToDataFrame(this IEnumerable<ResultRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var list = records.ToList();
        return new DataFrame(
            new StringDataFrameColumn("method", list.Select(r => r.Method)),
            new Int64DataFrameColumn("seed", list.Select(r => r.Seed)),
            new Int32DataFrameColumn("round", list.Select(r => r.Round)),
            new Int32DataFrameColumn("labels", list.Select(r => r.Labels)),
            new StringDataFrameColumn("metric", list.Select(r => r.Metric)),
            new DoubleDataFrameColumn("value", list.Select(r => r.Value)));
    }

    /// <summary>Mean learning curves as a DataFrame: method, labels, mean, sd (sample standard deviation over
    /// seeds), min, max, seeds.</summary>
    public static DataFrame ToDataFrame(this IEnumerable<CurvePoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var list = points.ToList();
        return new DataFrame(
            new StringDataFrameColumn("method", list.Select(p => p.Method)),
            new Int32DataFrameColumn("labels", list.Select(p => p.Labels)),
            new DoubleDataFrameColumn("mean", list.Select(p => p.Mean)),
            new DoubleDataFrameColumn("sd", list.Select(p => p.StdDev)),
            new DoubleDataFrameColumn("min", list.Select(p => p.Min)),
            new DoubleDataFrameColumn("max", list.Select(p => p.Max)),
            new Int32DataFrameColumn("seeds", list.Select(p => p.Seeds)));
    }

    /// <summary>
    /// Labels needed to reach a target as a DataFrame: method, target, labels on the mean curve, median over seeds
    /// (both empty where the target was not reached within the budget; the median counts seeds that did not reach
    /// it as needing more than any that did), seeds that reached it, seeds.
    /// </summary>
    public static DataFrame ToDataFrame(this IEnumerable<LabelsToReach> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var list = rows.ToList();
        return new DataFrame(
            new StringDataFrameColumn("method", list.Select(r => r.Method)),
            new DoubleDataFrameColumn("target", list.Select(r => r.Target)),
            new Int32DataFrameColumn("labels (mean curve)", list.Select(r => r.MeanCurve)),
            new Int32DataFrameColumn("labels (median over seeds)", list.Select(MedianOverSeeds)),
            new Int32DataFrameColumn("seeds that reach it", list.Select(r => r.SeedsReached)),
            new Int32DataFrameColumn("seeds", list.Select(r => r.PerSeed.Count)));
    }

    /// <summary>The median over seeds of the labels needed (the lower median for an even count); null when that
    /// seed did not reach the target.</summary>
    public static int? MedianOverSeeds(this LabelsToReach reach)
    {
        ArgumentNullException.ThrowIfNull(reach);
        if (reach.PerSeed.Count == 0) return null;
        var sorted = reach.PerSeed.Values.Select(v => v ?? int.MaxValue).Order().ToArray();
        var median = sorted[(sorted.Length - 1) / 2];
        return median == int.MaxValue ? null : median;
    }

    /// <summary>The records as CSV text (<see cref="ToDataFrame(IEnumerable{ResultRecord})"/> through
    /// <see cref="DataFrameCsv.ToCsv"/>).</summary>
    public static string ToCsv(IEnumerable<ResultRecord> records) => records.ToDataFrame().ToCsv();

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
