using System.Globalization;

namespace FisherKit.Plotting;

public static partial class Chart
{
    /// <summary>ROC curves of several detectors on one plot, with the AUC in each legend entry and the chance diagonal.</summary>
    public static Figure Roc(IEnumerable<(string Name, RocCurve Curve)> curves, string? title = "ROC")
    {
        ArgumentNullException.ThrowIfNull(curves);
        var traces = new List<Trace>
        {
            new Scatter { X = new[] { 0.0, 1.0 }, Y = new[] { 0.0, 1.0 }, Mode = ScatterMode.Lines, Name = "chance", Line = new Line { Dash = Dash.Dash, Color = "#999999", Width = 1 }, ShowLegend = false, HoverTemplate = "chance<extra></extra>" },
        };
        var i = 0;
        foreach (var (name, curve) in curves)
            traces.Add(new Scatter
            {
                X = DataArray.FromNumbers(curve.FalsePositiveRate), Y = DataArray.FromNumbers(curve.TruePositiveRate),
                Mode = ScatterMode.Lines, Line = new Line { Color = Palette.Color(i++), Width = 2 },
                Name = string.Create(CultureInfo.InvariantCulture, $"{name} (AUC {curve.Auc:0.000})"),
            });
        return new Figure(traces, new Layout
        {
            Title = title,
            XAxis = new Axis { Title = "false positive rate", Range = [0, 1] },
            YAxis = new Axis { Title = "true positive rate", Range = [0, 1.02], ScaleAnchor = "x" },
        });
    }

    /// <summary>The ROC curve of one detector from its scores on positives and negatives.</summary>
    public static Figure Roc(string name, IReadOnlyList<double> scores, IReadOnlyList<bool> isPositive, string? title = "ROC") =>
        Roc([(name, RocCurve.FromScores(scores, isPositive))], title);

    /// <summary>
    /// A reliability diagram: accuracy per confidence bin as bars, the diagonal of perfect
    /// calibration, and the expected calibration error in the title.
    /// </summary>
    public static Figure Reliability(ReliabilityBins bins, string? title = "Reliability")
    {
        ArgumentNullException.ThrowIfNull(bins);
        var width = 1.0 / bins.BinCenters.Count;
        var traces = new List<Trace>
        {
            new Bar
            {
                X = DataArray.FromNumbers(bins.BinCenters), Y = DataArray.FromNumbers(bins.Accuracy), Width = width * 0.95, Name = "accuracy",
                Text = DataArray.FromStrings(bins.Counts.Select(c => c.ToString(CultureInfo.InvariantCulture) + " predictions")),
                Marker = new Marker { Color = Palette.Color(0) },
            },
            new Scatter { X = DataArray.FromNumbers(bins.BinCenters), Y = DataArray.FromNumbers(bins.MeanConfidence), Mode = ScatterMode.Markers, Name = "mean confidence", Marker = new Marker { Color = Palette.Color(3), Symbol = "line-ew-open", Size = 14 } },
            new Scatter { X = new[] { 0.0, 1.0 }, Y = new[] { 0.0, 1.0 }, Mode = ScatterMode.Lines, Name = "perfect calibration", Line = new Line { Dash = Dash.Dash, Color = "#999999", Width = 1 } },
        };
        var fullTitle = title is null ? null : string.Create(CultureInfo.InvariantCulture, $"{title} (ECE {bins.ExpectedCalibrationError:0.000})");
        return new Figure(traces, new Layout
        {
            Title = fullTitle,
            XAxis = new Axis { Title = "confidence", Range = [0, 1] },
            YAxis = new Axis { Title = "accuracy", Range = [0, 1] },
        });
    }

    /// <summary>A reliability diagram straight from predictions; see <see cref="ReliabilityBins.FromPredictions"/>.</summary>
    public static Figure Reliability(IReadOnlyList<double> confidence, IReadOnlyList<bool> correct, int bins = 10, string? title = "Reliability") =>
        Reliability(ReliabilityBins.FromPredictions(confidence, correct, bins), title);

    /// <summary>
    /// A calibration diagram for regression: for each nominal coverage p of the predictive
    /// intervals, the fraction of observations that fell inside. Points on the diagonal mean honest
    /// error bars; below it, over-confident ones.
    /// </summary>
    public static Figure Calibration(IReadOnlyList<double> nominalCoverage, IEnumerable<(string Name, IReadOnlyList<double> ObservedCoverage)> methods, string? title = "Calibration")
    {
        ArgumentNullException.ThrowIfNull(nominalCoverage);
        ArgumentNullException.ThrowIfNull(methods);
        var traces = new List<Trace>
        {
            new Scatter { X = new[] { 0.0, 1.0 }, Y = new[] { 0.0, 1.0 }, Mode = ScatterMode.Lines, Name = "ideal", Line = new Line { Dash = Dash.Dash, Color = "#999999", Width = 1 } },
        };
        var i = 0;
        foreach (var (name, observed) in methods)
        {
            if (observed.Count != nominalCoverage.Count)
                throw new ArgumentException($"Method '{name}' has {observed.Count} coverages for {nominalCoverage.Count} nominal levels.", nameof(methods));
            traces.Add(new Scatter { X = DataArray.FromNumbers(nominalCoverage), Y = DataArray.FromNumbers(observed), Mode = ScatterMode.LinesMarkers, Name = name, Line = new Line { Color = Palette.Color(i++) } });
        }
        return new Figure(traces, new Layout
        {
            Title = title,
            XAxis = new Axis { Title = "nominal coverage", Range = [0, 1], TickFormat = ".0%" },
            YAxis = new Axis { Title = "observed coverage", Range = [0, 1], TickFormat = ".0%", ScaleAnchor = "x" },
        });
    }
}
