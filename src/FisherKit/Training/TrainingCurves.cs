using System.Globalization;
using FisherKit.Plotting;
using FisherKit.Plotting.Formatting;

namespace FisherKit.Training;

/// <summary>
/// Learning curves of a <see cref="TrainingHistory"/> as a figure: loss (left) and, for a classifier,
/// accuracy (right) against epochs, training values as a line through the records, validation values as
/// markers at the end of each epoch. <see cref="Live"/> is a progress sink for <see cref="TrainingLoop"/>
/// that shows the figure and redraws it in place while a network trains (in a notebook; on the console it
/// prints one line per record).
/// </summary>
public static class TrainingCurves
{
    /// <summary>The figure of a history: loss and accuracy panels, or the loss alone when the records carry no accuracy (an empty history gives empty panels).</summary>
    public static Figure Figure(TrainingHistory history, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        var records = history.Records;
        var x = records.Select(r => r.EpochProgress).ToArray();
        var ends = history.EpochEnds.Where(r => r.ValidationLoss is not null).ToList();
        bool accuracies = records.Count == 0 || records.Any(r => r.TrainAccuracy is not null);
        bool positive = records.All(r => r.TrainLoss > 0 && r.ValidationLoss is null or > 0);
        var ex = ends.Select(r => r.EpochProgress).ToArray();
        var train = Palette.Color(0);
        var valid = Palette.Color(1);
        var xAxis = new Axis { Title = "epoch", Range = [0, Math.Max(1, records.Count == 0 ? 1 : records[^1].Epoch)] };
        var loss = new Figure(
        [
            new Scatter { X = x, Y = records.Select(r => r.TrainLoss).ToArray(), Mode = ScatterMode.Lines, Name = "training", LegendGroup = "training", Line = new Line { Color = train } },
            new Scatter { X = ex, Y = ends.Select(r => r.ValidationLoss ?? double.NaN).ToArray(), Mode = ScatterMode.LinesMarkers, Name = "validation", LegendGroup = "validation", Line = new Line { Color = valid } },
        ], new Layout { Title = $"loss ({history.Loss ?? "cross-entropy"})", XAxis = xAxis, YAxis = new Axis { Title = accuracies ? "nats" : "loss", Type = positive ? AxisType.Log : null } });
        if (!accuracies)
            return loss with { Layout = loss.Layout with { Title = $"{title ?? Caption(history)} ({history.Loss ?? "loss"})", Height = 360 } };   // one panel: its title names the loss
        var accuracy = new Figure(
        [
            new Scatter { X = x, Y = records.Select(r => r.TrainAccuracy ?? double.NaN).ToArray(), Mode = ScatterMode.Lines, Name = "training", LegendGroup = "training", ShowLegend = false, Line = new Line { Color = train } },
            new Scatter { X = ex, Y = ends.Select(r => r.ValidationAccuracy ?? double.NaN).ToArray(), Mode = ScatterMode.LinesMarkers, Name = "validation", LegendGroup = "validation", ShowLegend = false, Line = new Line { Color = valid } },
        ], new Layout { Title = "accuracy", XAxis = xAxis, YAxis = new Axis { Title = "fraction correct", TickFormat = ".0%" } });
        var grid = Chart.Grid(1, 2, [loss, accuracy], title: title ?? Caption(history), horizontalSpacing: 0.14);
        return grid with { Layout = grid.Layout with { Height = 360 } };
    }

    /// <summary>
    /// A progress sink for <see cref="TrainingLoop"/> runs: at the first record it shows the figure
    /// (<see cref="Display.Show"/>), at later records it replaces it in place, at most every
    /// <paramref name="minimumSeconds"/> seconds except at the end of an epoch. Step reports and models
    /// loaded from the cache draw nothing.
    /// </summary>
    public static IProgress<TrainingProgress> Live(string? title = null, double minimumSeconds = 1.0)
    {
        DisplayHandle? handle = null;
        var last = DateTime.MinValue;
        return new ProgressCallback<TrainingProgress>(p =>
        {
            ArgumentNullException.ThrowIfNull(p);
            if (p.Event is not (TrainingEvent.Record or TrainingEvent.EpochEnd)) return;
            var now = DateTime.UtcNow;
            if (handle is not null && p.Event != TrainingEvent.EpochEnd && (now - last).TotalSeconds < minimumSeconds) return;
            last = now;
            var history = p.History;
            var figure = Figure(history, title is null ? Caption(history) : $"{title}: {Caption(history)}");
            if (handle is null) handle = Display.Show(figure);
            else handle.Update(figure);
        });
    }

    private static string Caption(TrainingHistory history)
    {
        if (history.Last is not { } r) return "learning curves";
        var v = history.FinalValidationAccuracy is { } a ? string.Create(CultureInfo.InvariantCulture, $", validation accuracy {a * 100:0.0}%") : "";
        return string.Create(CultureInfo.InvariantCulture, $"epoch {r.EpochProgress:0.##}, training loss {r.TrainLoss:0.000}{v}");
    }
}
