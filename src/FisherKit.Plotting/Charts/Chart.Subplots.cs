using System.Globalization;

namespace FisherKit.Plotting;

public static partial class Chart
{
    /// <summary>
    /// Arranges figures in a grid of <paramref name="rows"/> × <paramref name="columns"/> panels
    /// (row-major, first panel top left) as one figure. Each panel keeps its traces and axis
    /// settings (titles, log scales, reversed image axes) on its own pair of axes; with
    /// <paramref name="shareX"/>/<paramref name="shareY"/> all panels share one range, zoomed
    /// together. Panel titles become annotations above each panel; heatmap colour bars are moved
    /// beside their panel (and, with several rows, centred on its row).
    /// </summary>
    /// <exception cref="ArgumentException">More panels than cells, or a non-positive grid size.</exception>
    public static Figure Grid(int rows, int columns, IReadOnlyList<Figure> panels, bool shareX = false, bool shareY = false,
        string? title = null, double horizontalSpacing = 0.08, double verticalSpacing = 0.12)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        ArgumentNullException.ThrowIfNull(panels);
        if (panels.Count > rows * columns)
            throw new ArgumentException($"{panels.Count} panels do not fit a {rows}x{columns} grid.", nameof(panels));
        var cellW = (1 - horizontalSpacing * (columns - 1)) / columns;
        var cellH = (1 - verticalSpacing * (rows - 1)) / rows;
        var traces = new List<Trace>();
        var axes = new Dictionary<string, Axis>();
        var annotations = new List<Annotation>();
        Axis? x1 = null, y1 = null;
        for (var k = 0; k < panels.Count; k++)
        {
            var panel = panels[k];
            ArgumentNullException.ThrowIfNull(panel, nameof(panels));
            int r = k / columns, c = k % columns;
            var xDomain = new[] { Round(c * (cellW + horizontalSpacing)), Round(c * (cellW + horizontalSpacing) + cellW) };
            var yTop = 1 - r * (cellH + verticalSpacing);
            var yDomain = new[] { Round(yTop - cellH), Round(yTop) };
            var n = k + 1;
            string xs = n == 1 ? "x" : $"x{n}", ys = n == 1 ? "y" : $"y{n}";
            var xAxis = (panel.Layout.XAxis ?? new Axis()) with { Domain = xDomain, Anchor = ys };
            var yAxis = (panel.Layout.YAxis ?? new Axis()) with { Domain = yDomain, Anchor = xs };
            if (xAxis.ScaleAnchor == "y") xAxis = xAxis with { ScaleAnchor = ys };
            if (yAxis.ScaleAnchor == "x") yAxis = yAxis with { ScaleAnchor = xs };
            if (shareX && n > 1) xAxis = xAxis with { Matches = "x" };
            if (shareY && n > 1) yAxis = yAxis with { Matches = "y" };
            if (n == 1) { x1 = xAxis; y1 = yAxis; }
            else { axes[$"xaxis{n}"] = xAxis; axes[$"yaxis{n}"] = yAxis; }
            foreach (var t in panel.Data)
            {
                var moved = t with { XAxis = n == 1 ? null : xs, YAxis = n == 1 ? null : ys };
                // Colour bars go beside their panel: right of it, and (with several rows) centred on its row.
                double? barY = rows > 1 ? Round((yDomain[0] + yDomain[1]) / 2) : null;
                moved = moved switch
                {
                    Heatmap h when h.ShowScale != false => h with { ColorBar = (h.ColorBar ?? new ColorBar()) with { X = Round(xDomain[1] + 0.01), Y = barY ?? h.ColorBar?.Y, Len = Round(cellH) } },
                    Contour h when h.ShowScale != false => h with { ColorBar = (h.ColorBar ?? new ColorBar()) with { X = Round(xDomain[1] + 0.01), Y = barY ?? h.ColorBar?.Y, Len = Round(cellH) } },
                    _ => moved,
                };
                traces.Add(moved);
            }
            if (panel.Layout.Title?.Text is { } panelTitle)
                annotations.Add(new Annotation
                {
                    Text = panelTitle, X = Round((xDomain[0] + xDomain[1]) / 2), Y = yDomain[1], XRef = "paper", YRef = "paper",
                    XAnchor = "center", YAnchor = "bottom", ShowArrow = false,
                });
            foreach (var a in panel.Layout.Annotations ?? [])
                annotations.Add(a with { XRef = a.XRef is null or "x" ? xs : a.XRef, YRef = a.YRef is null or "y" ? ys : a.YRef });
        }
        return new Figure(traces, new Layout
        {
            Title = title, XAxis = x1, YAxis = y1, SubplotAxes = axes.Count == 0 ? null : axes,
            Annotations = annotations.Count == 0 ? null : annotations,
            BarMode = panels.Select(p => p.Layout.BarMode).FirstOrDefault(m => m is not null),
            Height = Math.Max(300, 320 * rows),
        });
    }

    private static double Round(double v) => Math.Round(v, 6, MidpointRounding.AwayFromZero) + 0.0;

    internal static string Invariant(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
