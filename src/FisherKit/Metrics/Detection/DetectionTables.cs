using FisherKit.Plotting.Formatting;
using FisherKit.Plotting.Tables;
using Microsoft.Data.Analysis;

namespace FisherKit.Metrics.Detection;

/// <summary>
/// Detection summaries (<see cref="DetectionSummary"/>: AUROC, AUPR and FPR at 95 % TPR with bootstrap intervals)
/// as DataFrames: every number in its own column for analysis and CSV (<see cref="ToDataFrame"/>), or one readable
/// "estimate [lower, upper]" cell per quantity for display (<see cref="ToSummaryTable"/>).
/// </summary>
/// <example>
/// <code>
/// var rows = DetectionEvaluation.Compare(scores, cleanImages, unusualImages, resamples: 1000);
/// rows.ToSummaryTable()                          // score | clean | unusual | AUROC [95 % interval] | ...: 0.912 [0.897, 0.926]
/// rows.ToDataFrame().WriteCsv("out/tables/detection.csv");   // score, clean, unusual, AUROC, AUROC lower, AUROC upper, ...
/// </code>
/// </example>
public static class DetectionTables
{
    /// <summary>
    /// One row per score: <c>score</c>, <c>clean</c> and <c>unusual</c> (counts), then for AUROC, AUPR and FPR95 the
    /// estimate and the interval's bounds (<c>AUROC</c>, <c>AUROC lower</c>, <c>AUROC upper</c>, ...), and the
    /// interval's <c>level</c> and bootstrap <c>resamples</c>; every digit kept.
    /// </summary>
    public static DataFrame ToDataFrame(this IEnumerable<DetectionSummary> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var list = rows.ToList();
        var columns = new List<DataFrameColumn>
        {
            new StringDataFrameColumn("score", list.Select(r => r.Score)),
            new Int32DataFrameColumn("clean", list.Select(r => r.Negatives)),
            new Int32DataFrameColumn("unusual", list.Select(r => r.Positives)),
        };
        foreach (var (name, pick) in Quantities)
        {
            columns.Add(new DoubleDataFrameColumn(name, list.Select(r => pick(r).Estimate)));
            columns.Add(new DoubleDataFrameColumn(name + " lower", list.Select(r => pick(r).Lower)));
            columns.Add(new DoubleDataFrameColumn(name + " upper", list.Select(r => pick(r).Upper)));
        }
        columns.Add(new DoubleDataFrameColumn("level", list.Select(r => r.Auroc.Level)));
        columns.Add(new Int32DataFrameColumn("resamples", list.Select(r => r.Auroc.Resamples)));
        return new DataFrame(columns);
    }

    /// <summary>
    /// One row per score for reading: <c>score</c>, <c>clean</c>, <c>unusual</c>, then AUROC, AUPR and
    /// FPR at 95 % TPR as "0.912 [0.897, 0.926]" (estimate and percentile-bootstrap interval, with
    /// <paramref name="decimals"/> digits after the point); the interval's level is in the column names.
    /// </summary>
    public static DataFrame ToSummaryTable(this IEnumerable<DetectionSummary> rows, int decimals = 3)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var list = rows.ToList();
        var level = list.Count > 0 ? list[0].Auroc.Level : 0.95;
        var interval = $" [{level.Percent(0)} interval]";
        return new DataFrame(
            new StringDataFrameColumn("score", list.Select(r => r.Score)),
            new Int32DataFrameColumn("clean", list.Select(r => r.Negatives)),
            new Int32DataFrameColumn("unusual", list.Select(r => r.Positives)),
            new StringDataFrameColumn("AUROC" + interval, list.Select(r => Cell(r.Auroc, decimals))),
            new StringDataFrameColumn("AUPR" + interval, list.Select(r => Cell(r.Aupr, decimals))),
            new StringDataFrameColumn("FPR at 95 % TPR" + interval, list.Select(r => Cell(r.Fpr95, decimals))));
    }

    private static readonly (string Name, Func<DetectionSummary, ConfidenceInterval> Pick)[] Quantities =
        [("AUROC", r => r.Auroc), ("AUPR", r => r.Aupr), ("FPR95", r => r.Fpr95)];

    private static string Cell(ConfidenceInterval c, int decimals) =>
        $"{c.Estimate.Fixed(decimals)} [{c.Lower.Fixed(decimals)}, {c.Upper.Fixed(decimals)}]";
}
