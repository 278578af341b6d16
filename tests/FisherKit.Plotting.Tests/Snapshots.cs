namespace FisherKit.Plotting.Tests;

/// <summary>One small figure per trace type and per domain chart, for approval snapshots.</summary>
internal static class Snapshots
{
    private static readonly double[] X = [0, 1, 2, 3];
    private static readonly double[] Y = [1, 0.5, 0.8, 1.2];

    public static readonly IReadOnlyDictionary<string, Func<Figure>> All = new Dictionary<string, Func<Figure>>
    {
        ["scatter-line"] = () => Chart.Line(X, Y, "curve", "A line").WithAxisTitles("x", "y"),
        ["scatter-markers-errors"] = () => Chart.PointsWithErrors(X, Y, new[] { 0.1, 0.2, 0.1, 0.3 }, "measured"),
        ["error-band"] = () => Chart.ErrorBand(X, Y, new[] { 0.1, 0.1, 0.2, 0.2 }, k: 2, title: "Ensemble mean ± 2σ"),
        ["histograms-overlaid"] = () => Chart.Histograms([("in-distribution", new[] { 0.1, 0.2, 0.2, 0.3 }), ("unusual", new[] { 0.6, 0.7, 0.9 })], bins: 4, xTitle: "score"),
        ["heatmap"] = () => Chart.Heatmap(new double[,] { { 1, 2 }, { 3, 4 } }, new[] { "a", "b" }, new[] { "r1", "r2" }, colorBarTitle: "count"),
        ["saliency-signed"] = () => Chart.SaliencyMap(new double[,] { { -1, 0.5 }, { 0.25, 2 } }),
        ["saliency-magnitude"] = () => Chart.SaliencyMap(new double[,] { { 1, 0.5 }, { 0.25, 2 } }, signed: false),
        ["uncertainty-map"] = () => Chart.UncertaintyMap(new double[,] { { 0.1, 0.2 }, { 0.3, 0.4 } }, "nm"),
        ["contour"] = () => Chart.Contour(new[] { 0.0, 1 }, new[] { 0.0, 1, 2 }, new double[,] { { 0, 1 }, { 1, 2 }, { 2, 3 } }, colorBarTitle: "height"),
        ["bar"] = () => Chart.Bar(new[] { "cat", "dog" }, new[] { 3.0, 5 }, "count"),
        ["box"] = () => Chart.Box([("a", new[] { 1.0, 2, 3 }), ("b", new[] { 2.0, 4 })]),
        ["violin"] = () => Chart.Violin([("a", new[] { 1.0, 2, 3 })]),
        ["image-rgb"] = () => new Figure([new Image { Z = [[[255, 0, 0], [0, 255, 0]]] }]),
        ["roc"] = () => Chart.Roc("detector", new[] { 0.9, 0.8, 0.4, 0.3 }, new[] { true, false, true, false }),
        ["reliability"] = () => Chart.Reliability(new[] { 0.95, 0.85, 0.55, 0.65 }, new[] { true, true, false, true }, bins: 4),
        ["calibration"] = () => Chart.Calibration(new[] { 0.5, 0.9 }, [("ensemble", new[] { 0.45, 0.8 })]),
        ["grid-shared"] = () => Chart.Grid(2, 2, [
            Chart.Line(X, Y, "a", "Panel A"), Chart.Line(X, Y, "b", "Panel B").WithLogAxes(y: true),
            Chart.UncertaintyMap(new double[,] { { 1, 2 } }, "nm", "Panel C"), Chart.Bar(new[] { "u" }, new[] { 1.0 })],
            shareX: true, title: "Grid"),
        ["annotated"] = () => Chart.Line(X, Y).AddAnnotation(new Annotation { Text = "peak", X = 3, Y = 1.2, ShowArrow = true }).WithSize(600, 400),
    };
}
