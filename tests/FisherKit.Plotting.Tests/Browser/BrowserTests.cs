using FisherKit.Plotting.Output;
using Xunit.Abstractions;

namespace FisherKit.Plotting.Tests.Browser;

/// <summary>Real-browser checks: the offline HTML page draws every figure, with no page errors.</summary>
public class BrowserTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_figure_of_an_offline_page_renders_with_all_its_traces()
    {
        if (BrowserPage.SkipReason is { } reason) { output.WriteLine(reason); Console.WriteLine(reason); return; }
        var figures = Snapshots.All.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => (kv.Key, Figure: kv.Value())).ToArray();
        var dir = Directory.CreateTempSubdirectory("fk-browser-");
        try
        {
            var file = Path.Combine(dir.FullName, "page.html");
            File.WriteAllText(file, HtmlPage.Render(figures.Select(f => f.Figure), "browser test"));
            var report = await BrowserPage.LoadAsync(file);
            output.WriteLine("drawn traces per figure: " + string.Join(", ", figures.Select((f, i) => $"{f.Key}={report.TracesPerFigure[i]}")));
            Assert.Empty(report.Errors);
            Assert.Equal(figures.Length, report.TracesPerFigure.Count);
            for (var i = 0; i < figures.Length; i++)
                Assert.True(figures[i].Figure.Data.Count == report.TracesPerFigure[i],
                    $"{figures[i].Key}: {figures[i].Figure.Data.Count} traces in the figure, {report.TracesPerFigure[i]} drawn");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
