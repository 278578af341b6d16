using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using FisherKit.Plotting.Output;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace FisherKit.Notebooks.Tests.Kernel;

/// <summary>
/// The classic notebook server (Debian's jupyter-notebook) on loopback with a token, opened in
/// headless Chromium: a notebook is run cell by cell from the keyboard, its figures drawn by plotly.js
/// (offline, from the first figure's output) and its display updated in place.
/// </summary>
[Collection("kernel")]
public sealed class BrowserKernelTests(ITestOutputHelper output)
{
    private static readonly string[] Cells =
    [
        "using FisherKit.Plotting;\nvar xs = new double[] { 0, 1, 2, 3 };\n" +
        "new Figure([new Scatter { X = xs, Y = new double[] { 1, 3, 2, 4 }, Name = \"rising\" },\n" +
        "            new Scatter { X = xs, Y = new double[] { 2, 1, 3, 1 }, Name = \"zigzag\" }])",
        "Console.WriteLine(\"between the figures\");\nvar progress = display(\"step 0\");\nfor (int i = 1; i <= 3; i++) progress.Update($\"step {i} of 3\");",
        "Chart.Histograms([(\"first\", new double[] { 1, 2, 2, 3, 3, 3 }), (\"second\", new double[] { 2, 3, 4, 4 })], bins: 4, title: \"two histograms\")",
    ];

    [JupyterFact(notebookServer: true)]
    public async Task A_notebook_runs_from_the_keyboard_in_the_classic_notebook_and_its_figures_render()
    {
        if (Chromium.Find() is null || !PlotlyJs.IsAvailable)
        {
            // Chromium and plotly.js come from environment/setup.d/30-web.sh; without them there is no browser to drive.
            output.WriteLine("Chromium or plotly.js is not installed (environment/setup.d/30-web.sh); browser test skipped.");
            return;
        }
        using var sandbox = new JupyterTools.Sandbox();
        var notebookFile = Path.Combine(sandbox.Work, "browser.ipynb");
        File.WriteAllText(notebookFile, NotebookJson());
        var port = FreePort();
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        using var server = new ChildProcess(JupyterTools.Jupyter,
            ["notebook", "--no-browser", "--allow-root", "--ip=127.0.0.1", $"--port={port}", "--NotebookApp.port_retries=0",
             $"--NotebookApp.token={token}", $"--notebook-dir={sandbox.Work}"], sandbox.Environment, sandbox.Work);
        try
        {
            await WaitForServerAsync(server, port, token);
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Chromium.Find(),
                Headless = true,
                Args = Chromium.HeadlessArguments("unused").Where(a => !a.StartsWith("--user-data-dir", StringComparison.Ordinal) && a != "--headless").ToArray(),
                Timeout = 60_000,
            });
            var page = await browser.NewPageAsync();
            var errors = new List<string>();
            page.PageError += (_, e) => errors.Add("page error: " + e);
            page.Console += (_, m) => { if (m.Type == "error") output.WriteLine("console error: " + m.Text); };
            await page.GotoAsync($"http://127.0.0.1:{port}/notebooks/browser.ipynb?token={token}", new PageGotoOptions { Timeout = 60_000 });
            await page.WaitForFunctionAsync("() => window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected()",
                null, new PageWaitForFunctionOptions { Timeout = 90_000 });

            // Run every cell as a user does: command mode on the first cell, then Shift+Enter per cell.
            await page.EvaluateAsync("() => { Jupyter.notebook.select(0); Jupyter.notebook.command_mode(); }");
            var cellCount = await page.EvaluateAsync<int>("() => Jupyter.notebook.ncells()");
            // Shift+Enter runs a cell and moves on; on the last cell Ctrl+Enter runs it without adding a new one.
            for (var i = 0; i < cellCount; i++) await page.Keyboard.PressAsync(i < cellCount - 1 ? "Shift+Enter" : "Control+Enter");
            await page.WaitForFunctionAsync(
                "() => Jupyter.notebook.get_cells().filter(c => c.cell_type === 'code').every(c => typeof c.input_prompt_number === 'number')",
                null, new PageWaitForFunctionOptions { Timeout = 120_000 });
            await page.WaitForFunctionAsync(
                "() => { const f = document.querySelectorAll('.output_area .fisherkit-figure'); return f.length === 2 && [...f].every(e => e.querySelector('svg.main-svg')); }",
                null, new PageWaitForFunctionOptions { Timeout = 60_000 });
            var traces = await page.EvaluateAsync<int[]>(
                "() => [...document.querySelectorAll('.output_area .fisherkit-figure')].map(e => e.querySelectorAll('g.trace').length)");
            var counts = await page.EvaluateAsync<int[]>("() => Jupyter.notebook.get_cells().filter(c => c.cell_type === 'code').map(c => c.input_prompt_number)");
            var texts = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('.code_cell .output_wrapper')].map(e => e.innerText)");
            output.WriteLine($"traces drawn per figure: {string.Join(", ", traces)}; execution counts {string.Join(", ", counts)}");
            Assert.Equal([1, 2, 3], counts);
            Assert.Equal([2, 2], traces);
            Assert.Contains("between the figures", texts[1]);
            Assert.Contains("step 3 of 3", texts[1]);
            Assert.DoesNotContain("step 0", texts[1]);
            Assert.Empty(errors);

            // The notebook saved from the browser holds the outputs, plotly.js inlined once (first figure).
            await page.EvaluateAsync("() => Jupyter.notebook.save_notebook()");
            var saved = await WaitForAsync(() =>
            {
                var text = File.ReadAllText(notebookFile);
                return text.Contains("application/vnd.plotly.v1+json", StringComparison.Ordinal) ? text : null;
            }, TimeSpan.FromSeconds(30));
            var outputs = JsonNode.Parse(saved)!["cells"]!.AsArray().Select(c => c!["outputs"]?.AsArray().Count ?? 0).ToArray();
            Assert.All(outputs, n => Assert.True(n > 0));
            Assert.Equal(1, saved.Split("plotly.js v").Length - 1);
        }
        finally
        {
            output.WriteLine(ChildProcess.Tail(server.Output, 3000));
            server.Kill();
        }
    }

    private static string NotebookJson() => new JsonObject
    {
        ["cells"] = new JsonArray(Cells.Select(source => (JsonNode?)new JsonObject
        {
            ["cell_type"] = "code", ["id"] = Guid.NewGuid().ToString("N")[..8], ["execution_count"] = null, ["metadata"] = new JsonObject(), ["outputs"] = new JsonArray(), ["source"] = source,
        }).ToArray()),
        ["metadata"] = new JsonObject
        {
            ["kernelspec"] = new JsonObject { ["name"] = "fisherkit-csharp", ["display_name"] = "C# (FisherKit)", ["language"] = "C#" },
        },
        ["nbformat"] = 4,
        ["nbformat_minor"] = 5,
    }.ToJsonString();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitForServerAsync(ChildProcess server, int port, string token)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await WaitForAsync(async () =>
        {
            if (server.HasExited) throw new InvalidOperationException("the notebook server exited:\n" + ChildProcess.Tail(server.Output));
            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/api/status?token={token}"));
                return response.IsSuccessStatusCode ? "up" : null;
            }
            catch (HttpRequestException) { return null; }
            catch (TaskCanceledException) { return null; }
        }, TimeSpan.FromSeconds(60));
    }

    private static Task<T> WaitForAsync<T>(Func<T?> probe, TimeSpan limit) where T : class => WaitForAsync(() => Task.FromResult(probe()), limit);

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, TimeSpan limit) where T : class
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } found) return found;
            await Task.Delay(200);
        }
        throw new TimeoutException($"gave up after {limit.TotalSeconds:0} s");
    }
}
