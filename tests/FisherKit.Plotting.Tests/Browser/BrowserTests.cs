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

    [Fact]
    public async Task A_figure_with_non_finite_settings_draws_with_automatic_ranges()
    {
        if (BrowserPage.SkipReason is { } reason) { output.WriteLine(reason); Console.WriteLine(reason); return; }
        var fig = Chart.Line(new[] { 0.0, 1, 2 }, new[] { 1.0, double.NaN, 3 }).AddAnnotation(new Annotation { Text = "a", X = double.NaN, Y = 1 });
        fig = fig with { Layout = fig.Layout with { YAxis = new Axis { Range = [0, double.PositiveInfinity] } } };
        fig = fig.AddTraces(new Scatter { X = new[] { 0.0 }, Y = new[] { 2.0 }, Opacity = double.NaN });
        var dir = Directory.CreateTempSubdirectory("fk-browser-");
        try
        {
            var file = Path.Combine(dir.FullName, "page.html");
            File.WriteAllText(file, HtmlPage.Render([fig, Chart.Histograms([("wide", new[] { -1e308, 0, 1e308 })])]));
            var report = await BrowserPage.LoadAsync(file, "() => JSON.stringify(document.querySelector('.fisherkit-figure')._fullLayout.yaxis.range)");
            output.WriteLine(report.Evaluated);
            Assert.Empty(report.Errors);
            Assert.Equal([2, 1], report.TracesPerFigure);
            var range = System.Text.Json.JsonSerializer.Deserialize<double[]>(report.Evaluated!)!;
            Assert.Equal(0, range[0]);
            Assert.True(range[1] >= 3, $"upper end {range[1]} should be automatic, above the data");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Hostile_labels_show_as_text_and_run_no_script()
    {
        if (BrowserPage.SkipReason is { } reason) { output.WriteLine(reason); Console.WriteLine(reason); return; }
        // Each payload sets window.pwned if it runs: in titles, legend and hover names, categories, annotations.
        const string img = "<img src=x onerror=\"window.pwned='img'\">";
        const string script = "</script><script>window.pwned='script'</script>";
        const string link = "<a href=\"javascript:window.pwned='link'\">click</a>";
        var hostile = $"{img} {script} {link} \"quotes' $\\alpha$ µm \u2028";
        var figure = Chart.Bar(new[] { img, script, link }, new[] { 1.0, 2, 3 }, name: hostile, title: hostile)
            .AddTraces(new Scatter { X = new[] { img, script }, Y = new[] { 1.0, 2 }, Name = link, Text = new[] { script, img }, HoverTemplate = img + "%{text}<extra>" + script + "</extra>" })
            .WithAxisTitles(script, link)
            .AddAnnotation(new Annotation { Text = hostile, X = 1, Y = 2 });
        var dir = Directory.CreateTempSubdirectory("fk-browser-");
        try
        {
            var file = Path.Combine(dir.FullName, "page.html");
            File.WriteAllText(file, HtmlPage.Render([figure], hostile));
            // Hover every point (hover labels are drawn from names and templates), click every link plotly drew.
            var report = await BrowserPage.LoadAsync(file, """
                async () => {
                    const el = document.querySelector('.fisherkit-figure');
                    for (const [c, n] of [[0, 0], [0, 1], [0, 2], [1, 0], [1, 1]]) {
                        window.Plotly.Fx.hover(el, [{ curveNumber: c, pointNumber: n }]);
                        await new Promise(r => setTimeout(r, 50));
                    }
                    for (const a of document.querySelectorAll('a')) a.dispatchEvent(new MouseEvent('click', { bubbles: true }));
                    await new Promise(r => setTimeout(r, 200));
                    const hrefs = [...document.querySelectorAll('a')].map(a => a.getAttribute('href') || a.getAttribute('xlink:href') || '');
                    return JSON.stringify({
                        pwned: window.pwned || null,
                        images: document.querySelectorAll('img').length,
                        scripts: document.querySelectorAll('script').length,
                        javascriptLinks: hrefs.filter(h => /^\s*javascript:/i.test(h)).length,
                        title: document.title,
                        text: document.querySelector('.gtitle')?.textContent || '',
                    });
                }
                """);
            output.WriteLine(report.Evaluated);
            Assert.Empty(report.Errors);
            Assert.Equal([2], report.TracesPerFigure);
            var result = System.Text.Json.Nodes.JsonNode.Parse(report.Evaluated!)!;
            Assert.Null((string?)result["pwned"]);
            Assert.Equal(0, (int)result["images"]!);
            Assert.Equal(0, (int)result["javascriptLinks"]!);
            Assert.Equal(2, (int)result["scripts"]!);   // plotly.js and the figure's own: none injected
            Assert.Equal(hostile, (string?)result["title"]);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
