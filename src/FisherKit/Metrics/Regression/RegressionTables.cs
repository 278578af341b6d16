using Microsoft.Data.Analysis;

namespace FisherKit.Metrics.Regression;

/// <summary>
/// Regression metric reports (<see cref="RegressionReport"/>) and coverage results (<see cref="CoverageResult"/>)
/// as DataFrames: one row per method with the columns of <see cref="RegressionReport.Columns"/>, and one row per
/// coverage factor. Numbers keep every digit (for CSV); round them for display with
/// <c>FisherKit.Plotting.Tables.DataFrames.Rounded</c>.
/// </summary>
/// <example>
/// <code>
/// var reports = new Dictionary&lt;string, RegressionReport&gt;
/// {
///     ["ensemble"] = RegressionMetrics.Evaluate(truth, ensemble.Mean, ensemble.Std, mask),
///     ["MC dropout"] = RegressionMetrics.Evaluate(truth, dropout.Mean, dropout.Std, mask),
/// };
/// reports.ToDataFrame().Rounded(3)      // method | n | RMSE | NLL | CRPS | cov k=1 | ... | corr(|e|,u)
/// reports["ensemble"].Coverage.ToDataFrame()
/// </code>
/// </example>
public static class RegressionTables
{
    /// <summary>One row per named report: <c>method</c>, then <see cref="RegressionReport.Columns"/>
    /// (<c>n</c> as an integer column, the rest as doubles).</summary>
    /// <exception cref="ArgumentException">A name is null or empty, or a report is null.</exception>
    public static DataFrame ToDataFrame(this IEnumerable<KeyValuePair<string, RegressionReport>> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var list = reports.ToList();
        foreach (var (name, report) in list)
        {
            if (string.IsNullOrEmpty(name)) throw new ArgumentException("A report has no method name.", nameof(reports));
            if (report is null) throw new ArgumentException($"The report of \"{name}\" is null.", nameof(reports));
        }
        var names = RegressionReport.Columns;
        var columns = new List<DataFrameColumn>
        {
            new StringDataFrameColumn("method", list.Select(r => r.Key)),
            new Int64DataFrameColumn(names[0], list.Select(r => r.Value.Count)),
        };
        for (var c = 1; c < names.Length; c++)
        {
            var index = c;
            columns.Add(new DoubleDataFrameColumn(names[c], list.Select(r => r.Value.Row[index])));
        }
        return new DataFrame(columns);
    }

    /// <summary>One report as a one-row table (see <see cref="ToDataFrame(IEnumerable{KeyValuePair{string, RegressionReport}})"/>).</summary>
    public static DataFrame ToDataFrame(this RegressionReport report, string method)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new[] { KeyValuePair.Create(method, report) }.ToDataFrame();
    }

    /// <summary>
    /// One row per coverage factor: <c>k</c>, <c>nominal</c> (P(|Z| ≤ k)), <c>observed</c>, <c>covered</c>,
    /// <c>n</c>, the bounds of the observation's Wilson interval (<c>lower</c>, <c>upper</c>, at <c>level</c>) and
    /// whether the nominal level lies inside it (<c>consistent</c>).
    /// </summary>
    public static DataFrame ToDataFrame(this IEnumerable<CoverageResult> coverage)
    {
        ArgumentNullException.ThrowIfNull(coverage);
        var list = coverage.ToList();
        return new DataFrame(
            new DoubleDataFrameColumn("k", list.Select(c => c.CoverageFactor)),
            new DoubleDataFrameColumn("nominal", list.Select(c => c.NominalLevel)),
            new DoubleDataFrameColumn("observed", list.Select(c => c.Observed)),
            new Int64DataFrameColumn("covered", list.Select(c => c.Covered)),
            new Int64DataFrameColumn("n", list.Select(c => c.Count)),
            new DoubleDataFrameColumn("lower", list.Select(c => c.Interval.Lower)),
            new DoubleDataFrameColumn("upper", list.Select(c => c.Interval.Upper)),
            new DoubleDataFrameColumn("level", list.Select(c => c.Interval.Confidence)),
            new BooleanDataFrameColumn("consistent", list.Select(c => c.IsConsistentWithNominal)));
    }
}
