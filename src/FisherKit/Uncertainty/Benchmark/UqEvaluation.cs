using FisherKit.Metrics.Regression;
using FisherKit.Uncertainty.Regression;
using Microsoft.Data.Analysis;

namespace FisherKit.Uncertainty.Benchmark;

/// <summary>
/// The benchmark's measures (Schmähling, Martin &amp; Elster 2022 judge reliability by coverage and accuracy by the
/// size of the uncertainty; the exact definitions of the paper could not be checked, these are FisherKit's):
/// coverage of the true f(x) by the central intervals of the epistemic part at the nominal levels 68/95/99 %
/// (normal, or Student-t where the prediction has finite degrees of freedom), the pointwise ratio of the epistemic
/// standard uncertainty to the reference's (median and geometric mean), the RMSE against f, and for the noisy
/// observations the Gaussian NLL and the 95 % coverage of the predictive interval. Built on the regression metrics
/// of notebook 03 (<see cref="RegressionMetrics"/>), aggregated over replicates with confidence intervals.
/// </summary>
public static class UqEvaluation
{
    /// <summary>The nominal levels 0.68, 0.95, 0.99.</summary>
    public static IReadOnlyList<double> Levels { get; } = [0.68, 0.95, 0.99];

    /// <summary>
    /// The measures of <paramref name="prediction"/> at test points with true function values
    /// <paramref name="truth"/> (null where unknown) and observations <paramref name="observations"/>, against
    /// <paramref name="reference"/> (null: no ratio).
    /// </summary>
    /// <exception cref="ArgumentException">Arrays whose lengths differ from the prediction's.</exception>
    public static UqScore Score(RegressionPrediction prediction, double[]? truth, double[] observations, RegressionPrediction? reference = null,
                                string setting = "", int replicate = 0)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(observations);
        int n = prediction.Count;
        if (observations.Length != n) throw new ArgumentException($"{observations.Length} observations for {n} predictions.", nameof(observations));
        if (truth is not null && truth.Length != n) throw new ArgumentException($"{truth.Length} true values for {n} predictions.", nameof(truth));
        if (reference is not null && reference.Count != n) throw new ArgumentException($"The reference has {reference.Count} points, the prediction {n}.", nameof(reference));
        var ep = prediction.EpistemicStd;
        double[] cov = [double.NaN, double.NaN, double.NaN];
        if (truth is not null)
            for (int j = 0; j < 3; j++)
                cov[j] = RegressionMetrics.Coverage(truth, prediction.Mean, ep, prediction.IntervalFactor(Levels[j])).Observed;
        double median = double.NaN, geo = double.NaN;
        if (reference is not null)
        {
            var refStd = reference.EpistemicStd;
            var ratio = Enumerable.Range(0, n).Select(i => ep[i] / refStd[i]).Where(r => r > 0 && double.IsFinite(r)).OrderBy(r => r).ToArray();
            if (ratio.Length > 0)
            {
                median = ratio.Length % 2 == 1 ? ratio[ratio.Length / 2] : 0.5 * (ratio[ratio.Length / 2 - 1] + ratio[ratio.Length / 2]);
                geo = Math.Exp(ratio.Average(Math.Log));
            }
        }
        double rmse = RegressionMetrics.Rmse(truth ?? observations, prediction.Mean);
        double nll = prediction.Variance.All(v => v > 0) ? RegressionMetrics.GaussianNll(observations, prediction.Mean, prediction.Variance) : double.NaN;
        double covY = RegressionMetrics.Coverage(observations, prediction.Mean, prediction.Std, prediction.ObservationIntervalFactor(0.95)).Observed;
        return new UqScore(setting, prediction.Method, replicate, n, rmse, cov[0], cov[1], cov[2], median, geo, nll, covY);
    }

    /// <summary>Averages scores per (setting, method), in order of first appearance, with 95 % intervals of the means.</summary>
    public static IReadOnlyList<UqSummary> Aggregate(IEnumerable<UqScore> scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var result = new List<UqSummary>();
        foreach (var group in scores.GroupBy(s => (s.Setting, s.Method)))
        {
            var list = group.ToList();
            int m = UqScore.Measures.Length;
            var mean = new double[m];
            var lo = new double[m];
            var hi = new double[m];
            for (int j = 0; j < m; j++)
            {
                var v = list.Select(s => s.Values[j]).Where(double.IsFinite).ToArray();
                (mean[j], lo[j], hi[j]) = MeanInterval(v);
            }
            result.Add(new UqSummary(group.Key.Setting, group.Key.Method, list.Count, mean, lo, hi));
        }
        return result;
    }

    /// <summary>The mean of <paramref name="values"/> and its 95 % t interval (NaN bounds for fewer than 2 values; all NaN for none).</summary>
    public static (double Mean, double Lower, double Upper) MeanInterval(IReadOnlyList<double> values, double level = 0.95)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0) return (double.NaN, double.NaN, double.NaN);
        double mean = values.Average();
        if (values.Count < 2) return (mean, double.NaN, double.NaN);
        double sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
        double half = StudentTDistribution.CoverageFactor(level, values.Count - 1) * sd / Math.Sqrt(values.Count);
        return (mean, mean - half, mean + half);
    }

    /// <summary>One row per score: setting, method, replicate, n, then <see cref="UqScore.Measures"/>.</summary>
    public static DataFrame ToDataFrame(this IEnumerable<UqScore> scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var list = scores.ToList();
        var columns = new List<DataFrameColumn>
        {
            new StringDataFrameColumn("setting", list.Select(s => s.Setting)),
            new StringDataFrameColumn("method", list.Select(s => s.Method)),
            new Int32DataFrameColumn("replicate", list.Select(s => s.Replicate)),
            new Int32DataFrameColumn("n", list.Select(s => s.Count)),
        };
        for (int j = 0; j < UqScore.Measures.Length; j++)
        {
            int index = j;
            columns.Add(new DoubleDataFrameColumn(UqScore.Measures[j], list.Select(s => s.Values[index])));
        }
        return new DataFrame(columns);
    }

    /// <summary>
    /// One row per summary: setting, method, replicates, then per measure its mean and, unless
    /// <paramref name="intervals"/> is off, the bounds of its 95 % interval (columns "NAME lo", "NAME hi");
    /// <paramref name="measures"/> picks measures (default all).
    /// </summary>
    public static DataFrame ToDataFrame(this IEnumerable<UqSummary> summaries, IReadOnlyList<string>? measures = null, bool intervals = true)
    {
        ArgumentNullException.ThrowIfNull(summaries);
        var list = summaries.ToList();
        measures ??= UqScore.Measures;
        var columns = new List<DataFrameColumn>
        {
            new StringDataFrameColumn("setting", list.Select(s => s.Setting)),
            new StringDataFrameColumn("method", list.Select(s => s.Method)),
            new Int32DataFrameColumn("replicates", list.Select(s => s.Replicates)),
        };
        foreach (var name in measures)
        {
            columns.Add(new DoubleDataFrameColumn(name, list.Select(s => s.Interval(name).Mean)));
            if (!intervals) continue;
            columns.Add(new DoubleDataFrameColumn(name + " lo", list.Select(s => s.Interval(name).Lower)));
            columns.Add(new DoubleDataFrameColumn(name + " hi", list.Select(s => s.Interval(name).Upper)));
        }
        return new DataFrame(columns);
    }
}
