using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FisherKit.Notebooks.Model;
using FisherKit.Notebooks.Runner;

namespace FisherKit.Notebooks.Tests;

/// <summary>Running whole notebooks: parameters, recorded outputs, nbformat validity, re-runs, failures.</summary>
[Collection("engine")]
public sealed class RunnerTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<(NotebookRunResult Result, JsonObject Output)> Run(string json, bool worker = false, TimeSpan? timeout = null,
        IReadOnlyDictionary<string, string>? parameters = null, string name = "nb.ipynb", bool allowErrors = false)
    {
        var input = _dir.File(name);
        File.WriteAllText(input, json);
        var output = _dir.File("out/" + name);
        var result = await NotebookRunner.RunAsync(new NotebookRunOptions
        {
            InputPath = input, OutputPath = output, UseWorkerProcess = worker, CellTimeout = timeout,
            Parameters = parameters ?? new Dictionary<string, string>(), StaticImages = false, AllowErrors = allowErrors,
        });
        return (result, JsonNode.Parse(File.ReadAllText(output))!.AsObject());
    }

    private static JsonArray CodeCells(JsonObject nb) => new(nb["cells"]!.AsArray().Where(c => (string?)c!["cell_type"] == "code").Select(c => c!.DeepClone()).ToArray());

    [Fact]
    public async Task A_cell_time_limit_that_cannot_hold_is_refused_before_running()
    {
        // The command line refused these already; a library caller's limit was ignored in process and threw in the timer past 49 days.
        var json = Notebooks.Json(Notebooks.Cell("1"));
        await Assert.ThrowsAsync<ArgumentException>(() => Run(json, worker: false, timeout: TimeSpan.FromSeconds(5)));
        foreach (var bad in new[] { TimeSpan.Zero, TimeSpan.FromSeconds(-1), TimeSpan.FromDays(60) })
            await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Run(json, worker: true, timeout: bad));
        Assert.False(File.Exists(_dir.File("out/nb.ipynb")));
    }

    [Fact]
    public async Task Parameters_are_injected_after_the_parameters_cell_and_recorded()
    {
        var json = Notebooks.Json(Notebooks.Cell("bool quick = false;\nint n = 3;", "parameters"), Notebooks.Cell("$\"{quick} {n}\""));
        var (result, nb) = await Run(json, parameters: new Dictionary<string, string> { ["quick"] = "true", ["n"] = "7" });
        Assert.Equal(RunStatus.Succeeded, result.Status);
        var cells = CodeCells(nb);
        Assert.Equal("injected-parameters", (string?)cells[1]!["metadata"]!["tags"]![0]);
        Assert.Equal("True 7", Outputs.Text(cells[2]!["outputs"]![0]!["data"]!["text/plain"]));
        Assert.Equal("7", (string?)nb["metadata"]!["fisherkit"]!["parameters"]!["n"]);
    }

    [Fact]
    public async Task Executed_notebooks_are_valid_nbformat_4_and_run_again_to_the_same_outputs()
    {
        var json = Notebooks.Json(
            Notebooks.Cell("bool quick = false;", "parameters"),
            Notebooks.Cell("Console.WriteLine(\"a\"); Console.WriteLine(\"b\");\nvar h = display(\"x\"); h.Update(\"y\");\n1 + 1"),
            Notebooks.Cell("new[] { (k: 1, v: 0.5) }.Select(t => new { t.k, t.v })"));
        var (first, nb1) = await Run(json, parameters: new Dictionary<string, string> { ["quick"] = "true" });
        Assert.Equal(RunStatus.Succeeded, first.Status);
        NbformatCheck.AssertValid(nb1);
        var cell = CodeCells(nb1)[2]!;
        Assert.Equal(3, (int)cell["execution_count"]!);
        var outputs = cell["outputs"]!.AsArray();
        Assert.Equal("a\nb\n", Outputs.Text(outputs[0]!["text"])); // two writes coalesced into one stream output
        Assert.Equal("y", Outputs.Text(outputs[1]!["data"]!["text/plain"])); // updated in place
        Assert.Equal("execute_result", (string?)outputs[2]!["output_type"]);
        Assert.Equal("ok", (string?)cell["metadata"]!["fisherkit"]!["status"]);

        // The executed notebook is itself a valid input: run it again (with the same parameter).
        var (second, nb2) = await Run(nb1.ToJsonString(), parameters: new Dictionary<string, string> { ["quick"] = "true" }, name: "again.ipynb");
        Assert.Equal(RunStatus.Succeeded, second.Status);
        Assert.Equal(Normalise(nb1), Normalise(nb2));
    }

    [Fact]
    public async Task A_failing_cell_stops_the_run_and_the_notebook_is_written_with_a_banner()
    {
        var json = Notebooks.Json(Notebooks.Cell("var a = 1;"), Notebooks.Cell("var b = a +;"), Notebooks.Cell("Console.WriteLine(\"never\");"));
        var (result, nb) = await Run(json);
        Assert.Equal(RunStatus.CellError, result.Status);
        Assert.Equal(3, result.Failed!.CellNumber);
        Assert.Equal("CompilationError", result.Failed.ErrorName);
        Assert.Contains("(cell 3, line 2", result.Failed.ErrorValue); // line 1 is the #!csharp magic
        var cells = nb["cells"]!.AsArray();
        Assert.Contains("fisherkit-error-cell", Outputs.Text(cells[0]!["source"]));
        Assert.Equal("not-run", (string?)CodeCells(nb)[2]!["metadata"]!["fisherkit"]!["status"]);
        Assert.Throws<NotebookExecutionException>(() => result.EnsureSuccess());
    }

    [Fact]
    public async Task Errors_in_cells_tagged_raises_exception_or_with_allow_errors_do_not_stop_the_run()
    {
        var json = Notebooks.Json(Notebooks.Cell("throw new Exception(\"expected\");", "raises-exception"), Notebooks.Cell("throw new Exception(\"also\");"), Notebooks.Cell("42"));
        var (result, nb) = await Run(json, allowErrors: true);
        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal("42", Outputs.Text(CodeCells(nb)[2]!["outputs"]![0]!["data"]!["text/plain"]));
    }

    [Theory]
    [InlineData("{ \"cells\": [", "not valid JSON")]
    [InlineData("{\"nbformat\": 3, \"cells\": []}", "only nbformat 4")]
    [InlineData("{\"nbformat\": 4, \"nbformat\": 4, \"cells\": []}", "nbformat")]
    [InlineData("{\"nbformat\": 4, \"cells\": [{\"cell_type\": \"code\", \"source\": 5}]}", "cell 1 has no source")]
    [InlineData("{\"nbformat\": 4, \"cells\": [{\"cell_type\": \"code\", \"source\": [\"1 +\", 2]}]}", "cell 1 has no source")]
    [InlineData("{\"nbformat\": 4, \"cells\": [{\"cell_type\": 7, \"source\": \"1\"}]}", "cell 1 is not an object with a cell_type")]
    [InlineData("{\"nbformat\": 4, \"cells\": [{\"cell_type\": \"code\", \"source\": \"1\", \"metadata\": {\"tags\": [1]}}]}", "tags of cell 1")]
    public async Task Malformed_notebooks_are_refused_and_nothing_is_written(string json, string message)
    {
        var e = await Assert.ThrowsAsync<NotebookFormatException>(() => Run(json));
        Assert.Contains(message, e.Message);
        Assert.Equal(json, File.ReadAllText(_dir.File("nb.ipynb")));
        Assert.False(File.Exists(_dir.File("out/nb.ipynb")));
    }

    [Fact]
    public async Task A_kernelspec_with_fields_that_are_not_text_does_not_stop_the_run()
    {
        var json = "{\"nbformat\": 4, \"metadata\": {\"kernelspec\": {\"name\": 5, \"language\": [\"C#\"]}}, \"cells\": [{\"cell_type\": \"code\", \"source\": \"1 + 1\"}]}";
        var (result, _) = await Run(json);
        Assert.Equal(RunStatus.Succeeded, result.Status);
    }

    [Fact]
    public async Task Notebooks_of_another_kernel_language_are_refused_by_name()
    {
        var json = Notebooks.Json("python3", "python", Notebooks.Cell("print(1)"));
        var e = await Assert.ThrowsAsync<NotebookFormatException>(() => Run(json));
        Assert.Contains("python", e.Message);
        Assert.Contains("C# notebooks", e.Message);
    }

    [Fact]
    public async Task A_cell_that_never_ends_is_stopped_by_the_time_limit_and_the_notebook_still_written()
    {
        var json = Notebooks.Json(Notebooks.Cell("Console.WriteLine(\"before\");"), Notebooks.Cell("Console.WriteLine(\"looping\");\nwhile (true) { }"), Notebooks.Cell("1"));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var (result, nb) = await Run(json, worker: true, timeout: TimeSpan.FromSeconds(12));   // the limit holds for every cell; a cold worker runs the first in about 2 s on an idle machine
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"took {watch.Elapsed}");
        Assert.Equal(RunStatus.Timeout, result.Status);
        Assert.Equal("CellTimeoutError", result.Failed!.ErrorName);
        var cell = CodeCells(nb)[1]!;
        Assert.Equal("timeout", (string?)cell["metadata"]!["fisherkit"]!["status"]);
        Assert.Contains("looping", Outputs.Text(cell["outputs"]![0]!["text"]));
    }

    [Fact]
    public async Task A_crash_of_the_worker_process_ends_the_run_with_a_clear_error()
    {
        var json = Notebooks.Json(Notebooks.Cell("var x = 1;"), Notebooks.Cell("Environment.FailFast(\"native abort simulated\");"));
        var (result, nb) = await Run(json, worker: true, timeout: TimeSpan.FromSeconds(60));
        Assert.Equal(RunStatus.Crashed, result.Status);
        Assert.Equal("WorkerCrashed", result.Failed!.ErrorName);
        Assert.Contains("exit code", result.Failed.ErrorValue);
        Assert.Contains("native abort simulated", result.Failed.ErrorValue);
        NbformatCheck.AssertValid(nb);
    }

    [Fact]
    public async Task A_cell_that_calls_Environment_Exit_is_reported_as_such_not_as_a_native_crash()
    {
        var json = Notebooks.Json(Notebooks.Cell("var x = 1;"), Notebooks.Cell("Environment.Exit(3);"), Notebooks.Cell("2"));
        var (result, nb) = await Run(json, worker: true, timeout: TimeSpan.FromSeconds(60));
        Assert.Equal(RunStatus.Crashed, result.Status);
        Assert.Equal(3, result.Failed!.CellNumber);
        Assert.Contains("exit code 3", result.Failed.ErrorValue);
        Assert.Contains("Environment.Exit", result.Failed.ErrorValue);
        Assert.DoesNotContain("native crash", result.Failed.ErrorValue);
        Assert.Equal("not-run", (string?)CodeCells(nb)[2]!["metadata"]!["fisherkit"]!["status"]);
    }

    [Fact]
    public async Task The_worker_keeps_the_order_of_stdout_and_stderr_text_without_newlines()
    {
        var json = Notebooks.Json(Notebooks.Cell("Console.Write(\"a\"); Console.Error.Write(\"b\"); Console.Write(\"c\"); Console.Error.WriteLine(\"d\"); Console.WriteLine(\"e\");"));
        var (result, nb) = await Run(json, worker: true, timeout: TimeSpan.FromSeconds(60));
        Assert.Equal(RunStatus.Succeeded, result.Status);
        var streams = CodeCells(nb)[0]!["outputs"]!.AsArray().Select(o => $"{(string?)o!["name"]}:{Outputs.Text(o["text"])}");
        Assert.Equal(["stdout:a", "stderr:b", "stdout:c", "stderr:d\n", "stdout:e\n"], streams);
    }

    [Fact]
    public async Task A_stack_overflow_in_the_worker_is_named_with_the_recursing_method()
    {
        var json = Notebooks.Json(Notebooks.Cell("int Down(int n) => Down(n + 1) + 1;\nDown(0)"));
        var (result, _) = await Run(json, worker: true, timeout: TimeSpan.FromSeconds(60));
        Assert.Equal(RunStatus.Crashed, result.Status);
        Assert.Contains("after this error: Stack overflow.", result.Failed!.ErrorValue);
        Assert.Contains("Down(Int32)", result.Failed.ErrorValue);
        Assert.DoesNotContain("native crash", result.Failed.ErrorValue);
    }

    [Fact]
    public async Task A_native_abort_in_the_worker_quotes_libtorchs_what_text_even_after_a_long_stack()
    {
        // What libtorch prints before abort(): the what() text, then a stack longer than the tail a message can show.
        var json = Notebooks.Json(Notebooks.Cell(NativeCrashCells.Declarations), Notebooks.Cell(NativeCrashCells.LibtorchAbort("worker shapes cannot be multiplied (2x3 and 4x5)")));
        var (result, nb) = await Run(json, worker: true, timeout: TimeSpan.FromSeconds(60));
        Assert.Equal(RunStatus.Crashed, result.Status);
        Assert.Equal("WorkerCrashed", result.Failed!.ErrorName);
        Assert.Contains("SIGABRT", result.Failed.ErrorValue);
        Assert.Contains("after this error: worker shapes cannot be multiplied (2x3 and 4x5)", result.Failed.ErrorValue);
        Assert.DoesNotContain("frame #", result.Failed.ErrorValue);
        // The whole text is the cell's stderr.
        var outputs = CodeCells(nb)[1]!["outputs"]!.AsArray();
        var stderr = string.Concat(outputs.Where(o => (string?)o!["name"] == "stderr").Select(o => Outputs.Text(o!["text"])));
        Assert.Contains("frame #59", stderr);
        NbformatCheck.AssertValid(nb);
    }

    [Fact]
    public async Task The_worker_process_loads_an_assembly_named_FisherKit()
    {
        // Assembly names compare case-insensitively: a worker assembly named "fisherkit" made #r of FisherKit.dll fail.
        TinyAssemblies.BuildNamed(_dir.File("lib"), "FisherKit");
        var json = Notebooks.Json(Notebooks.Cell("#r \"lib/FisherKit.dll\"\nProbe.Api.Hello()"));
        var (result, nb) = await Run(json, worker: true, timeout: TimeSpan.FromSeconds(60));
        Assert.True(result.Status == RunStatus.Succeeded, result.Failed?.ErrorValue);
        Assert.Equal("hello from FisherKit", Outputs.Text(CodeCells(nb)[0]!["outputs"]![0]!["data"]!["text/plain"]));
    }

    [Fact]
    public async Task The_worker_process_runs_cells_with_the_notebook_folder_as_working_directory()
    {
        var json = Notebooks.Json(Notebooks.Cell("System.IO.File.WriteAllText(\"made-by-cell.txt\", \"x\");\nSystem.IO.Directory.GetCurrentDirectory()"));
        var (result, nb) = await Run(json, worker: true);
        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.True(File.Exists(_dir.File("made-by-cell.txt")));
    }

    private static string Normalise(JsonObject nb)
    {
        var text = nb.ToJsonString();
        text = Regex.Replace(text, "\"(start_time|end_time|shell\\.execute_reply(\\.started)?)\":\"[^\"]*\"", "\"$1\":\"T\"");
        text = Regex.Replace(text, "\"(duration_s)\":[0-9.eE+-]+", "\"$1\":0");
        text = Regex.Replace(text, "\"(input_path|output_path)\":\"[^\"]*\"", "\"$1\":\"P\"");
        text = Regex.Replace(text, "\"display_id\":\"[0-9a-f]+\"", "\"display_id\":\"D\"");
        text = Regex.Replace(text, "\"id\":\"[0-9a-f]{8}\"", "\"id\":\"I\"");
        return text;
    }
}
