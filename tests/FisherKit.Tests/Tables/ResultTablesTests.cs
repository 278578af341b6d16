using FisherKit.ActiveLearning.Loop;
using FisherKit.Metrics.Detection;
using FisherKit.Metrics.Regression;
using FisherKit.Plotting.Formatting;
using FisherKit.Plotting.Tables;
using Microsoft.Data.Analysis;

namespace FisherKit.Tests.Tables;

/// <summary>The library's result tables as DataFrames: columns, values, CSV and display.</summary>
public class ResultTablesTests
{
    private static readonly DetectionSummary[] Detection =
    [
        new("Fisher form", 100, 80, new(0.91234, 0.89, 0.93456, 0.95, 200), new(0.8, 0.75, 0.85, 0.95, 200), new(0.3, 0.2, 0.4, 0.95, 200)),
        new("1 − max softmax", 100, 80, new(0.7, 0.65, 0.75, 0.95, 200), new(0.6, 0.55, 0.65, 0.95, 200), new(0.5, 0.4, 0.6, 0.95, 200)),
    ];

    [Fact]
    public void Detection_summaries_give_every_number_a_column_and_a_readable_table()
    {
        var numbers = Detection.ToDataFrame();
        Assert.Equal(["score", "clean", "unusual", "AUROC", "AUROC lower", "AUROC upper", "AUPR", "AUPR lower", "AUPR upper",
                      "FPR95", "FPR95 lower", "FPR95 upper", "level", "resamples"], numbers.Columns.Select(c => c.Name));
        Assert.Equal(0.91234, numbers["AUROC"][0]);
        Assert.Equal(0.93456, numbers["AUROC upper"][0]);
        Assert.Equal(0.4, numbers["FPR95 upper"][0]);
        Assert.Equal(80, numbers["unusual"][1]);
        Assert.Equal(200, numbers["resamples"][1]);

        var shown = Detection.ToSummaryTable();
        Assert.Equal(["score", "clean", "unusual", "AUROC [95 % interval]", "AUPR [95 % interval]", "FPR at 95 % TPR [95 % interval]"],
                     shown.Columns.Select(c => c.Name));
        Assert.Equal("0.912 [0.890, 0.935]", shown["AUROC [95 % interval]"][0]);
        Assert.Equal("0.91 [0.89, 0.93]", Detection.ToSummaryTable(decimals: 2)["AUROC [95 % interval]"][0]);
        Assert.Contains("<td>0.912 [0.890, 0.935]</td>", Formatter.ToDisplayString(shown, MimeTypes.Html), StringComparison.Ordinal);
        Assert.Equal(0, Array.Empty<DetectionSummary>().ToSummaryTable().Rows.Count);
    }

    [Fact]
    public void Active_learning_records_curves_and_labels_to_reach_are_tables()
    {
        var records = new List<ResultRecord>
        {
            new("A", 0, 0, 10, "err", 0.5), new("A", 0, 1, 20, "err", 0.3), new("A", 1, 0, 10, "err", 0.7), new("A", 1, 1, 20, "err", 0.1),
            new("B, \"quoted\"", 0, 0, 10, "err", 0.4), new("B, \"quoted\"", 0, 1, 20, "err", 0.35),
        };
        var table = records.ToDataFrame();
        Assert.Equal(ResultTable.Header, string.Join(',', table.Columns.Select(c => c.Name)));
        Assert.Equal(6, table.Rows.Count);
        Assert.Equal(0.35, table["value"][5]);
        Assert.Equal(1L, table["seed"][2]);
        Assert.Equal(ResultTable.Header + "\nA,0,0,10,err,0.5\n", ResultTable.ToCsv(records.Take(1)));
        Assert.Equal(table.ToCsv(), ResultTable.ToCsv(records));
        Assert.Equal(6, new ExperimentResults([]).ToDataFrame().Columns.Count);

        var curves = LearningCurves.Summarize(records, "err").ToDataFrame();
        Assert.Equal(["method", "labels", "mean", "sd", "min", "max", "seeds"], curves.Columns.Select(c => c.Name));
        var a20 = curves.Rows.Single(r => (string)r[0] == "A" && (int)r[1] == 20);
        Assert.Equal(0.2, (double)a20[2], 12);
        Assert.Equal(2, a20[6]);

        var reach = LearningCurves.LabelsNeeded(records, "err", 0.36, higherIsBetter: false);
        var needed = reach.ToDataFrame();
        Assert.Equal(["method", "target", "labels (mean curve)", "labels (median over seeds)", "seeds that reach it", "seeds"],
                     needed.Columns.Select(c => c.Name));
        var a = needed.Rows.Single(r => (string)r[0] == "A");
        Assert.Equal(20, a[2]);
        Assert.Equal(20, a[3]);        // seed 0 reaches 0.36 at 20 labels (0.3), seed 1 at 20 (0.1)
        Assert.Equal(2, a[4]);
        var never = LearningCurves.LabelsNeeded(records, "err", 0.01, higherIsBetter: false).ToDataFrame();
        Assert.All(never.Rows, r => { Assert.Null(r[2]); Assert.Null(r[3]); Assert.Equal(0, r[4]); });
    }

    [Fact]
    public void The_median_over_seeds_counts_a_seed_that_missed_the_target_as_needing_more()
    {
        var reach = new LabelsToReach("m", 0.5, 30, new Dictionary<long, int?> { [0] = 20, [1] = null, [2] = 40 });
        Assert.Equal(40, reach.MedianOverSeeds());
        Assert.Null((reach with { PerSeed = new Dictionary<long, int?> { [0] = null, [1] = null, [2] = 10 } }).MedianOverSeeds());
        Assert.Equal(10, (reach with { PerSeed = new Dictionary<long, int?> { [0] = 10, [1] = 30 } }).MedianOverSeeds());
    }

    [Fact]
    public void Regression_reports_are_one_row_per_method_with_the_report_columns()
    {
        double[] truth = [0, 1, 2, 3, 4, 5, 6, 7], mean = [0.1, 0.9, 2.2, 2.7, 4.1, 5.3, 5.8, 7.1];
        double[] narrow = Enumerable.Repeat(0.05, 8).ToArray(), wide = Enumerable.Repeat(0.5, 8).ToArray();
        var reports = new Dictionary<string, RegressionReport>
        {
            ["narrow"] = RegressionMetrics.Evaluate(truth, mean, narrow),
            ["wide"] = RegressionMetrics.Evaluate(truth, mean, wide),
        };
        var table = reports.ToDataFrame();
        Assert.Equal(new[] { "method" }.Concat(RegressionReport.Columns), table.Columns.Select(c => c.Name));
        Assert.IsType<Int64DataFrameColumn>(table["n"]);
        Assert.Equal(8L, table["n"][0]);
        for (var c = 1; c < RegressionReport.Columns.Length; c++)
            Assert.Equal(reports["wide"].Row[c], table[RegressionReport.Columns[c]][1]);
        Assert.Equal(reports["narrow"].Rmse, reports["narrow"].ToDataFrame("narrow")["RMSE"][0]);
        Assert.Equal(Math.Round(reports["wide"].Nll, 3), table.Rounded(3)["NLL"][1]);
        Assert.Throws<ArgumentException>(() => new[] { KeyValuePair.Create("", reports["wide"]) }.ToDataFrame());

        var coverage = reports["wide"].Coverage.ToDataFrame();
        Assert.Equal(["k", "nominal", "observed", "covered", "n", "lower", "upper", "level", "consistent"], coverage.Columns.Select(c => c.Name));
        Assert.Equal(3, coverage.Rows.Count);
        Assert.Equal(2.0, coverage["k"][1]);
        Assert.Equal(reports["wide"].Coverage[1].IsConsistentWithNominal, coverage["consistent"][1]);
    }
}
