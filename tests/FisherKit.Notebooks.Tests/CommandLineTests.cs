using FisherKit.Notebooks.Cli;

namespace FisherKit.Notebooks.Tests;

/// <summary>The command line: exit codes, messages naming the failing cell, the report site.</summary>
[Collection("engine")]
public sealed class CommandLineTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private static async Task<(int Code, string Out, string Err)> Cli(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = await CommandLine.RunAsync(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    [Fact]
    public async Task Usage_errors_and_missing_files_exit_with_the_usage_code()
    {
        Assert.Equal(ExitCodes.Usage, (await Cli("run")).Code);
        Assert.Equal(ExitCodes.Usage, (await Cli("frobnicate")).Code);
        var (code, _, err) = await Cli("run", _dir.File("missing.ipynb"));
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("does not exist", err);
        Assert.Equal(ExitCodes.Usage, (await Cli("run", "-p", "novalue", _dir.File("x.ipynb"))).Code);
        foreach (var limit in new[] { "0", "-1", "NaN", "Infinity", "1e308", "1e7" })
        {
            (code, _, err) = await Cli("run", _dir.File("x.ipynb"), "--timeout", limit);
            Assert.Equal(ExitCodes.Usage, code);
            Assert.Contains("--timeout must be a positive number of seconds", err);
        }
        // A time limit cannot stop a cell that runs in this process: refused, not ignored.
        File.WriteAllText(_dir.File("one.ipynb"), Notebooks.Json(Notebooks.Cell("1")));
        (code, _, err) = await Cli("run", _dir.File("one.ipynb"), "-o", _dir.File("out"), "--in-process", "--timeout", "5", "--no-images");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--in-process", err);
    }

    [Fact]
    public async Task Output_paths_that_cannot_be_written_or_would_clash_are_refused_before_running()
    {
        var json = Notebooks.Json(Notebooks.Cell("System.IO.File.WriteAllText(\"ran.txt\", \"x\");"));
        Directory.CreateDirectory(_dir.File("a"));
        Directory.CreateDirectory(_dir.File("b"));
        File.WriteAllText(_dir.File("a/x.ipynb"), json);
        File.WriteAllText(_dir.File("b/x.ipynb"), json);
        var (code, _, err) = await Cli("run", _dir.File("a/x.ipynb"), _dir.File("b/x.ipynb"), "-o", _dir.File("out"), "--in-process", "--no-images");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("would all be written to", err);
        File.WriteAllText(_dir.File("file"), "not a folder");
        (code, _, err) = await Cli("run", _dir.File("a/x.ipynb"), "-o", _dir.File("file"), "--in-process", "--no-images");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("cannot write executed notebooks to", err);
        Assert.False(File.Exists(_dir.File("a/ran.txt")));
        Assert.Equal("not a folder", File.ReadAllText(_dir.File("file")));
    }

    [Fact]
    public async Task A_second_ctrl_c_ends_a_run_whose_cell_cannot_be_stopped()
    {
        if (OperatingSystem.IsWindows()) return;
        var input = _dir.File("loop.ipynb");
        File.WriteAllText(input, Notebooks.Json(Notebooks.Cell("Console.WriteLine(\"started\");"), Notebooks.Cell("while (true) { }")));
        var worker = FisherKit.Notebooks.Execution.WorkerEngine.WorkerStartInfo();
        // SIGINT as a terminal sends it: 'env --default-signal' undoes an ignored SIGINT inherited from the test host.
        string[] command = [worker.FileName, .. worker.ArgumentList.SkipLast(1), "run", input, "-o", _dir.File("out"), "--in-process", "--no-images"];
        using var child = new Kernel.ChildProcess("env", ["--default-signal=INT", .. command]);
        await child.WaitForOutputAsync(o => o.Contains("ok", StringComparison.Ordinal) ? o : null, TimeSpan.FromSeconds(60));
        await Task.Delay(1000);
        for (var i = 0; i < 2 && !child.HasExited; i++)
        {
            using (var kill = System.Diagnostics.Process.Start("kill", ["-INT", child.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
            await Task.Delay(1000);
        }
        Assert.NotEqual(0, await child.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Contains("press Ctrl+C again", child.Output);
    }

    [Fact]
    public async Task Report_gives_every_notebook_its_own_page_whatever_its_file_name()
    {
        string[] names = ["a/x.ipynb", "b/x.ipynb", "c/index.ipynb", "d/a #1.ipynb"];
        foreach (var (name, i) in names.Select((n, i) => (n, i)))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_dir.File(name))!);
            File.WriteAllText(_dir.File(name), Notebooks.Json(Notebooks.Cell($"\"notebook {i}\"")));
        }
        var (code, _, _) = await Cli(["report", .. names.Select(_dir.File), "-o", _dir.File("site")]);
        Assert.Equal(ExitCodes.Ok, code);
        var index = File.ReadAllText(_dir.File("site/index.html"));
        Assert.Contains("<h1>FisherKit notebooks</h1>", index);
        var links = System.Text.RegularExpressions.Regex.Matches(index, "href=\"([^\"]+)\"").Select(m => Uri.UnescapeDataString(System.Net.WebUtility.HtmlDecode(m.Groups[1].Value))).ToArray();
        Assert.Equal(names.Length, links.Distinct().Count());
        Assert.DoesNotContain("index.html", links);
        for (var i = 0; i < names.Length; i++)
            Assert.Contains($"notebook {i}", File.ReadAllText(Path.Combine(_dir.File("site"), links[i])));
    }

    [Fact]
    public async Task Report_renders_an_executed_notebook_whose_outputs_are_damaged()
    {
        // Numbers where nbformat has text (hand-edited, or written by another tool) made the report end with an unhandled exception.
        var input = _dir.File("damaged.ipynb");
        File.WriteAllText(input, """
            {"nbformat": 4, "metadata": {"fisherkit": {"status": 5, "end_time": 3}},
             "cells": [{"cell_type": "code", "source": "1", "metadata": {}, "execution_count": 1, "outputs": [
               {"output_type": "stream", "name": 5, "text": [1, "kept text\n"]},
               {"output_type": "error", "ename": 1, "evalue": null, "traceback": [3, "kept trace"]},
               {"output_type": 7},
               {"output_type": "display_data", "data": {"text/plain": 5}}, 5, null]}]}
            """);
        var (code, _, err) = await Cli("report", input, "-o", _dir.File("site"));
        Assert.True(code == ExitCodes.Ok, err);
        var page = File.ReadAllText(_dir.File("site/damaged.html"));
        Assert.Contains("kept text", page);
        Assert.Contains("kept trace", page);
        Assert.Contains("<pre>5</pre>", page);
    }

    [Fact]
    public async Task Help_names_the_command_fisherkit()
    {
        var (code, output, _) = await Cli("run", "--help");
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("fisherkit run <notebooks>...", output);
    }

    [Fact]
    public async Task A_malformed_notebook_gives_a_clear_message_and_leaves_the_source_untouched()
    {
        var input = _dir.File("bad.ipynb");
        File.WriteAllText(input, "{ not json");
        var (code, _, err) = await Cli("run", input, "-o", _dir.File("out"), "--in-process");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("not valid JSON", err);
        Assert.Equal("{ not json", File.ReadAllText(input));
    }

    [Fact]
    public async Task A_failing_cell_exits_non_zero_naming_the_cell_and_the_error()
    {
        var input = _dir.File("fails.ipynb");
        var json = Notebooks.Json(Notebooks.Cell("var ok = 1;"), Notebooks.Cell("var boom = undefinedName;"));
        File.WriteAllText(input, json);
        var (code, output, err) = await Cli("run", input, "-o", _dir.File("out"), "--in-process", "--no-images");
        Assert.Equal(ExitCodes.CellError, code);
        Assert.Contains("cell 3 (In [2])", err);
        Assert.Contains("CS0103", err);
        Assert.Contains("[1/2] cell 2", output);
        Assert.True(File.Exists(_dir.File("out/fails.ipynb")));
        Assert.Equal(json, File.ReadAllText(input));
    }

    [Fact]
    public async Task A_time_limit_exceeded_has_its_own_exit_code()
    {
        var input = _dir.File("slow.ipynb");
        File.WriteAllText(input, Notebooks.Json(Notebooks.Cell("System.Threading.Thread.Sleep(60_000);")));
        var (code, _, err) = await Cli("run", input, "-o", _dir.File("out"), "--timeout", "2", "--no-images");
        Assert.Equal(ExitCodes.Timeout, code);
        Assert.Contains("time limit", err);
    }

    [Fact]
    public async Task Report_writes_an_index_and_a_page_per_notebook_with_markdown_and_figures()
    {
        var input = _dir.File("fig.ipynb");
        var plotting = typeof(FisherKit.Plotting.Figure).Assembly.Location;
        File.WriteAllText(input, Notebooks.Json(Notebooks.Cell($"#r \"{plotting}\"\nusing FisherKit.Plotting;\nChart.Line(new[] {{ 0.0, 1 }}, new[] {{ 1.0, 2 }})")));
        Assert.Equal(ExitCodes.Ok, (await Cli("run", input, "-o", _dir.File("out"), "--in-process", "--no-images")).Code);
        var (code, output, _) = await Cli("report", _dir.File("out/fig.ipynb"), "-o", _dir.File("site"));
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("index.html", output);
        var index = File.ReadAllText(_dir.File("site/index.html"));
        Assert.Contains("href=\"fig.html\"", index);
        Assert.Contains("succeeded", index);
        var page = File.ReadAllText(_dir.File("site/fig.html"));
        Assert.Contains("<h1", page);
        Assert.Contains("<em>text</em>", page);
        if (FisherKit.Plotting.Output.PlotlyJs.IsAvailable)
        {
            Assert.Contains("src=\"assets/plotly.min.js\"", page);
            Assert.Contains("class=\"fisherkit-figure\"", page);
            Assert.True(File.Exists(_dir.File("site/assets/plotly.min.js")));
            Assert.DoesNotContain("plotly.js v", page); // loaded from the asset, not inlined per page
        }
    }
}
