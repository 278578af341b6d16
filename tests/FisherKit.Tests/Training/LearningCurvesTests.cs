using FisherKit.Plotting;
using FisherKit.Plotting.Formatting;
using FisherKit.Training;

namespace FisherKit.Tests.Training;

public sealed class LearningCurvesTests
{
    private static TrainingHistory History(int epochs) => new(Enumerable.Range(1, epochs).SelectMany(e => new[]
    {
        new TrainingRecord(e, 2 * e - 1, e - 0.5, 1.0 / e, 0.5 + 0.1 * e, null, null, 1e-3, e),
        new TrainingRecord(e, 2 * e, e, 0.9 / e, 0.55 + 0.1 * e, 1.1 / e, 0.5 + 0.1 * e, 1e-3, e + 0.5) { EndOfEpoch = true },
    }));

    [Fact]
    public void The_figure_has_training_lines_and_validation_points_at_epoch_ends()
    {
        var figure = TrainingCurves.Figure(History(3));
        var traces = figure.Data.Cast<Scatter>().ToArray();
        Assert.Equal(4, traces.Length);
        Assert.Equal([0.5, 1, 1.5, 2, 2.5, 3], traces[0].X!.Numbers);
        Assert.Equal(new[] { 1.0, 0.9, 0.5, 0.45, 1.0 / 3, 0.3 }.Select(v => Math.Round(v, 9)), traces[0].Y!.Numbers.Select(v => Math.Round(v, 9)));
        Assert.Equal([1.0, 2, 3], traces[1].X!.Numbers);
        Assert.Equal(new[] { 1.1, 0.55, 1.1 / 3 }.Select(v => Math.Round(v, 9)), traces[1].Y!.Numbers.Select(v => Math.Round(v, 9)));
        Assert.Equal([0.6, 0.7, 0.8], traces[3].Y!.Numbers.Select(v => Math.Round(v, 9)));
        Assert.Contains("validation accuracy 80.0%", figure.Layout.Title!.Text);
        Assert.Empty(TrainingCurves.Figure(new TrainingHistory()).Data.Cast<Scatter>().SelectMany(t => t.X!.Numbers));
    }

    [Fact]
    public void A_history_without_accuracies_gets_the_loss_panel_alone()
    {
        var h = new TrainingHistory([
            new TrainingRecord(1, 4, 1, -0.5, null, -0.25, null, 1e-3, 1) { EndOfEpoch = true, EpochTrainLoss = -0.5 },
            new TrainingRecord(2, 8, 2, -0.75, null, -0.5, null, 1e-3, 2) { EndOfEpoch = true, EpochTrainLoss = -0.75 },
        ], loss: "Gaussian NLL");
        var figure = TrainingCurves.Figure(h);
        Assert.Equal(2, figure.Data.Count);
        Assert.Contains("Gaussian NLL", figure.Layout.Title!.Text);
        Assert.Null(figure.Layout.YAxis!.Type);   // negative losses: no log axis
    }

    [Fact]
    public void Live_curves_show_one_output_and_update_it_in_place()
    {
        var host = new RecordingHost();
        using (Display.UseHost(host))
        {
            var live = TrainingCurves.Live("net", minimumSeconds: 0);
            var history = new TrainingHistory();
            foreach (var r in History(2).Records)
            {
                live.Report(new TrainingProgress(TrainingEvent.Step, 0, r.Epoch, 2, r.Step, 4, 0.5, history, TimeSpan.Zero));   // steps draw nothing
                history.Add(r);
                live.Report(new TrainingProgress(r.EndOfEpoch ? TrainingEvent.EpochEnd : TrainingEvent.Record, 0, r.Epoch, 2, r.Step, 4, double.NaN, history, TimeSpan.Zero));
            }
            live.Report(new TrainingProgress(TrainingEvent.LoadedFromCache, 0, 2, 2, 4, 4, double.NaN, history, TimeSpan.Zero));   // nor does a model loaded from the cache
        }
        Assert.Single(host.Shown);
        Assert.Equal(3, host.Updates.Count);
        Assert.All(host.Updates, u => Assert.Equal(host.Shown[0].Id, u.Id));
        Assert.Contains("application/vnd.plotly.v1+json", host.Updates[^1].Bundle.Keys);
    }

    private sealed class RecordingHost : IDisplayHost
    {
        public List<(MimeBundle Bundle, string Id)> Shown { get; } = [];
        public List<(MimeBundle Bundle, string Id)> Updates { get; } = [];
        public void Display(MimeBundle bundle, string displayId) => Shown.Add((bundle, displayId));
        public void UpdateDisplay(MimeBundle bundle, string displayId) => Updates.Add((bundle, displayId));
    }
}
