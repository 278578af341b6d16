using System.Globalization;
using FisherKit.Plotting;
using FisherKit.Plotting.Formatting;

namespace FisherKit.Training;

/// <summary>
/// Learning curves of a <see cref="TrainingHistory"/> as a figure: loss (left) and accuracy (right)
/// against epochs, training values as a line through the records, validation values as markers at
/// the end of each epoch. <see cref="Live"/> shows the figure and redraws it in place while a network
/// trains (in a notebook; on the console it prints one line per record).
/// </summary>
public static class TrainingCurves
{
    /// <summary>The two-panel figure of a history (an empty history gives empty panels).</summary>
    public static Figure Figure(TrainingHistory history, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        var records = history.Records;
        var x = records.Select(r => r.EpochProgress).ToArray();
        var ends = history.EpochEnds;
        var ex = ends.Select(r => r.EpochProgress).ToArray();
        var train = Palette.Color(0);
        var valid = Palette.Color(1);
        var xAxis = new Axis { Title = "epoch", Range = [0, Math.Max(1, records.Count == 0 ? 1 : records[^1].Epoch)] };
        var loss = new Figure(
        [
            new Scatter { X = x, Y = records.Select(r => r.TrainLoss).ToArray(), Mode = ScatterMode.Lines, Name = "training", LegendGroup = "training", Line = new Line { Color = train } },
            new Scatter { X = ex, Y = ends.Select(r => r.ValidationLoss ?? double.NaN).ToArray(), Mode = ScatterMode.LinesMarkers, Name = "validation", LegendGroup = "validation", Line = new Line { Color = valid } },
        ], new Layout { Title = "loss (cross-entropy)", XAxis = xAxis, YAxis = new Axis { Title = "nats", Type = AxisType.Log } });
        var accuracy = new Figure(
        [
            new Scatter { X = x, Y = records.Select(r => r.TrainAccuracy).ToArray(), Mode = ScatterMode.Lines, Name = "training", LegendGroup = "training", ShowLegend = false, Line = new Line { Color = train } },
            new Scatter { X = ex, Y = ends.Select(r => r.ValidationAccuracy ?? double.NaN).ToArray(), Mode = ScatterMode.LinesMarkers, Name = "validation", LegendGroup = "validation", ShowLegend = false, Line = new Line { Color = valid } },
        ], new Layout { Title = "accuracy", XAxis = xAxis, YAxis = new Axis { Title = "fraction correct", TickFormat = ".0%" } });
        var grid = Chart.Grid(1, 2, [loss, accuracy], title: title ?? Caption(history), horizontalSpacing: 0.14);
        return grid with { Layout = grid.Layout with { Height = 360 } };
    }

    /// <summary>
    /// A progress callback for <see cref="ClassifierTrainer.Fit"/>: the first call shows the figure
    /// (<see cref="Display.Show"/>), later calls replace it in place, at most every
    /// <paramref name="minimumSeconds"/> seconds except at the end of an epoch.
    /// </summary>
    public static Action<TrainingHistory> Live(string? title = null, double minimumSeconds = 1.0)
    {
        DisplayHandle? handle = null;
        var last = DateTime.MinValue;
        return history =>
        {
            ArgumentNullException.ThrowIfNull(history);
            var now = DateTime.UtcNow;
            var epochEnd = history.Last?.ValidationLoss is not null || history.Last?.EpochProgress == history.Last?.Epoch;
            if (handle is not null && !epochEnd && (now - last).TotalSeconds < minimumSeconds) return;
            last = now;
            var figure = Figure(history, title is null ? Caption(history) : $"{title}: {Caption(history)}");
            if (handle is null) handle = Display.Show(figure);
            else handle.Update(figure);
        };
    }

    private static string Caption(TrainingHistory history)
    {
        if (history.Last is not { } r) return "learning curves";
        var v = history.FinalValidationAccuracy is { } a ? string.Create(CultureInfo.InvariantCulture, $", validation accuracy {a * 100:0.0}%") : "";
        return string.Create(CultureInfo.InvariantCulture, $"epoch {r.EpochProgress:0.##}, training loss {r.TrainLoss:0.000}{v}");
    }
}
