using System.Globalization;
using System.Net;
using System.Text;
using FisherKit.Detection;
using static TorchSharp.torch;

namespace FisherKit.Metrics.Detection;

/// <summary>Scores clean and unusual inputs and summarises the separation, for one score or a table of them.</summary>
public static class DetectionEvaluation
{
    /// <summary>AUROC, AUPR and FPR95 with percentile-bootstrap intervals for given score values.</summary>
    public static DetectionSummary Summarise(string score, IReadOnlyList<double> clean, IReadOnlyList<double> unusual, int resamples = 1000, double level = 0.95, long seed = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(score);
        var auroc = Bootstrap.Interval(clean, unusual, DetectionMetrics.Auroc, resamples, level, seed);
        var aupr = Bootstrap.Interval(clean, unusual, DetectionMetrics.Aupr, resamples, level, seed);
        var fpr = Bootstrap.Interval(clean, unusual, DetectionMetrics.Fpr95, resamples, level, seed);
        return new DetectionSummary(score, clean.Count, unusual.Count, auroc, aupr, fpr);
    }

    /// <summary>Runs every score on the clean and the unusual inputs and summarises each.</summary>
    public static IReadOnlyList<DetectionSummary> Compare(IEnumerable<IDetectionScore> scores, Tensor clean, Tensor unusual, int batchSize = 256, int resamples = 1000, double level = 0.95, long seed = 0)
    {
        ArgumentNullException.ThrowIfNull(scores);
        return scores.Select(s => Summarise(s.Name, s.ScoreAll(clean, batchSize), s.ScoreAll(unusual, batchSize), resamples, level, seed)).ToList();
    }

    /// <summary>A Markdown table: score, AUROC, AUPR, FPR95, each "estimate [lower, upper]".</summary>
    public static string ToMarkdown(IEnumerable<DetectionSummary> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var list = rows.ToList();
        var level = list.Count > 0 ? list[0].Auroc.Level : 0.95;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"| score | AUROC | AUPR | FPR at 95% TPR |\n|---|---|---|---|\n");
        foreach (var r in list) sb.Append(CultureInfo.InvariantCulture, $"| {r.Score} | {r.Auroc} | {r.Aupr} | {r.Fpr95} |\n");
        sb.Append(CultureInfo.InvariantCulture, $"\nIntervals: {level:P0} percentile bootstrap.\n");
        return sb.ToString();
    }

    /// <summary>An HTML table of the same content (for notebook display).</summary>
    public static string ToHtml(IEnumerable<DetectionSummary> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var list = rows.ToList();
        var sb = new StringBuilder("<table><thead><tr><th>score</th><th>clean</th><th>unusual</th><th>AUROC</th><th>AUPR</th><th>FPR at 95% TPR</th></tr></thead><tbody>");
        foreach (var r in list)
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{WebUtility.HtmlEncode(r.Score)}</td><td>{r.Negatives}</td><td>{r.Positives}</td><td>{r.Auroc}</td><td>{r.Aupr}</td><td>{r.Fpr95}</td></tr>");
        sb.Append("</tbody></table>");
        if (list.Count > 0) sb.Append(CultureInfo.InvariantCulture, $"<p>Intervals: {list[0].Auroc.Level:P0} percentile bootstrap ({list[0].Auroc.Resamples} resamples).</p>");
        return sb.ToString();
    }
}
