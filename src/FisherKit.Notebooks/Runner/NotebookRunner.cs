using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using FisherKit.Notebooks.Execution;
using FisherKit.Notebooks.Model;

namespace FisherKit.Notebooks.Runner;

/// <summary>
/// Runs a notebook from top to bottom, as papermill does: load, inject parameters, execute every
/// code cell in one state, record outputs, status and timings per cell, and write the executed
/// notebook (temporary file, then rename) in every case, with a banner pointing at the failing cell
/// when one fails. The input file is only read.
/// </summary>
/// <remarks>
/// Cell tags: <c>parameters</c> and <c>injected-parameters</c> (see <see cref="Parameters"/>),
/// <c>skip-execution</c> (not run), <c>raises-exception</c> (an error there is expected and does not
/// stop the run). Per-cell metadata: <c>fisherkit.status</c>, <c>fisherkit.duration_s</c> and
/// nbclient's <c>execution</c> timestamps; notebook metadata <c>fisherkit</c> records the
/// parameters, times and outcome.
/// </remarks>
public static class NotebookRunner
{
    private const string BannerTag = "fisherkit-error-banner";
    private const string AnchorTag = "fisherkit-error-anchor";
    private const string AnchorId = "fisherkit-error-cell";

    /// <summary>Runs the notebook and writes the executed copy.</summary>
    /// <exception cref="FileNotFoundException">The input does not exist.</exception>
    /// <exception cref="NotebookFormatException">The input is not a C# nbformat-4 notebook.</exception>
    /// <exception cref="ParameterException">A parameter value does not fit its declared type.</exception>
    public static async Task<NotebookRunResult> RunAsync(NotebookRunOptions options, IRunProgress? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.CellTimeout is { } limit && !(limit > TimeSpan.Zero && limit <= NotebookRunOptions.MaxCellTimeout))
            throw new ArgumentOutOfRangeException(nameof(options), limit, $"CellTimeout must be positive and at most {NotebookRunOptions.MaxCellTimeout.TotalDays} days.");
        if (options.CellTimeout is not null && !options.UseWorkerProcess)
            throw new ArgumentException("CellTimeout needs UseWorkerProcess: a cell running in this process cannot be stopped.", nameof(options));
        var watch = Stopwatch.StartNew();
        var notebook = Notebook.Load(options.InputPath);
        var warnings = new List<string>();
        Prepare(notebook);
        InjectParameters(notebook, options.Parameters, warnings);
        foreach (var w in warnings) progress?.Note("warning: " + w);
        var started = DateTimeOffset.UtcNow;
        var meta = new JsonObject
        {
            ["input_path"] = Path.GetFullPath(options.InputPath),
            ["output_path"] = Path.GetFullPath(options.OutputPath),
            ["parameters"] = new JsonObject(options.Parameters.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
            ["start_time"] = Stamp(started),
            ["engine"] = options.UseWorkerProcess ? "worker process" : "in process",
        };
        notebook.Metadata["fisherkit"] = meta;

        var engineOptions = new EngineOptions
        {
            NotebookDirectory = Path.GetDirectoryName(Path.GetFullPath(options.InputPath))!,
            PackageFolders = options.PackageFolders ?? EngineOptions.DefaultPackageFolders(),
            CellTimeout = options.CellTimeout,
        };
        var status = RunStatus.Succeeded;
        FailedCell? failed = null;
        await using (IExecutionEngine engine = options.UseWorkerProcess ? new WorkerEngine() : new ScriptEngine())
        {
            await engine.StartAsync(engineOptions, cancellationToken).ConfigureAwait(false);
            var collector = new OutputCollector();
            var codeCells = notebook.Cells.Select((c, i) => (Cell: c, Number: i + 1)).Where(t => t.Cell.IsCode).ToArray();
            var count = 0;
            var lastSave = Stopwatch.StartNew();
            for (var k = 0; k < codeCells.Length; k++)
            {
                var (cell, number) = codeCells[k];
                if (cell.HasTag("skip-execution") || string.IsNullOrWhiteSpace(cell.Source))
                {
                    cell.Metadata["fisherkit"] = new JsonObject { ["status"] = cell.HasTag("skip-execution") ? "skipped" : "empty" };
                    continue;
                }
                cell.ExecutionCount = ++count;
                progress?.CellStarted(number, k + 1, codeCells.Length, FirstLine(cell.Source));
                var begin = DateTimeOffset.UtcNow;
                var cellWatch = Stopwatch.StartNew();
                collector.Begin(cell);
                CellResult result;
                try
                {
                    result = await engine.ExecuteAsync(cell.Source, $"cell {number}", collector, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    collector.End();
                }
                cellWatch.Stop();
                if (result.Value is { } value) cell.Outputs.Add(Outputs.ExecuteResult(value, count));
                if (result.Error is { } error) cell.Outputs.Add(Outputs.Error(error.Name, error.Value, error.Traceback));
                cell.Metadata["execution"] = new JsonObject
                {
                    ["shell.execute_reply.started"] = Stamp(begin),
                    ["shell.execute_reply"] = Stamp(DateTimeOffset.UtcNow),
                };
                cell.Metadata["fisherkit"] = new JsonObject
                {
                    ["status"] = result.Status.ToString().ToLowerInvariant(),
                    ["duration_s"] = Math.Round(cellWatch.Elapsed.TotalSeconds, 3),
                };
                progress?.CellFinished(number, result.Status, cellWatch.Elapsed);
                var expected = result.Status == CellStatus.Error && (options.AllowErrors || cell.HasTag("raises-exception"));
                if (result.Status != CellStatus.Ok && !expected)
                {
                    status = result.Status switch
                    {
                        CellStatus.Timeout => RunStatus.Timeout,
                        CellStatus.Crashed => RunStatus.Crashed,
                        CellStatus.Cancelled => RunStatus.Cancelled,
                        _ => RunStatus.CellError,
                    };
                    var e = result.Error ?? new CellError(result.Status.ToString(), "", [], null);
                    failed = new FailedCell(number, count, cell.Source, e.Name, e.Value, e.Traceback);
                    foreach (var (rest, _) in codeCells.Skip(k + 1))
                        rest.Metadata["fisherkit"] = new JsonObject { ["status"] = "not-run" };
                    break;
                }
                if (lastSave.Elapsed >= options.AutosaveInterval)
                {
                    notebook.Save(options.OutputPath);
                    lastSave.Restart();
                }
            }
        }

        if (options.StaticImages && status is RunStatus.Succeeded or RunStatus.CellError)
        {
            try
            {
                if (await StaticImagePass.RunAsync(notebook, cancellationToken).ConfigureAwait(false) is { } note)
                {
                    progress?.Note(note);
                    if (note.StartsWith("static images skipped", StringComparison.Ordinal)) warnings.Add(note);
                }
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException)
            {
                warnings.Add("static images skipped: " + e.Message);
                progress?.Note("warning: static images skipped: " + e.Message);
            }
        }
        if (failed is not null) AddBanner(notebook, failed, status);
        meta["end_time"] = Stamp(DateTimeOffset.UtcNow);
        meta["duration_s"] = Math.Round(watch.Elapsed.TotalSeconds, 3);
        meta["status"] = status.ToString().ToLowerInvariant();
        if (failed is not null) meta["failed_cell"] = failed.CellNumber;
        if (warnings.Count > 0) meta["warnings"] = new JsonArray(warnings.Select(w => (JsonNode?)w).ToArray());
        notebook.Save(options.OutputPath);
        return new NotebookRunResult(Path.GetFullPath(options.OutputPath), status, failed, watch.Elapsed, warnings);
    }

    /// <summary>Removes what an earlier run added (banner, anchors, outputs), so an executed notebook runs again cleanly.</summary>
    private static void Prepare(Notebook notebook)
    {
        for (var i = notebook.Cells.Count - 1; i >= 0; i--)
            if (notebook.Cells[i].HasTag(BannerTag) || notebook.Cells[i].HasTag(AnchorTag)) notebook.RemoveCell(i);
        foreach (var cell in notebook.Cells) cell.ClearOutputs();
        notebook.Metadata.Remove("fisherkit");
    }

    /// <summary>Replaces an earlier injected-parameters cell by one that sets <paramref name="values"/>, right after the cell tagged "parameters" (as papermill does).</summary>
    internal static void InjectParameters(Notebook notebook, IReadOnlyDictionary<string, string> values, List<string> warnings)
    {
        for (var i = notebook.Cells.Count - 1; i >= 0; i--)
            if (notebook.Cells[i].HasTag(Parameters.InjectedTag)) notebook.RemoveCell(i);
        if (values.Count == 0) return;
        var index = notebook.Cells.ToList().FindIndex(c => c.IsCode && c.HasTag(Parameters.ParametersTag));
        var (source, w) = Parameters.InjectedCell(index < 0 ? null : notebook.Cells[index].Source, values);
        warnings.AddRange(w);
        notebook.InsertCell(index < 0 ? 0 : index + 1, "code", source, Parameters.InjectedTag);
    }

    private static void AddBanner(Notebook notebook, FailedCell failed, RunStatus status)
    {
        var index = failed.CellNumber - 1;
        notebook.InsertCell(index, "markdown", $"<span id=\"{AnchorId}\" style=\"color:red; font-size:1.5em\">Execution using fisherkit stopped here ({status}): {Escape(failed.ErrorName)}</span>", AnchorTag);
        notebook.InsertCell(0, "markdown",
            $"<span style=\"color:red; font-family:Helvetica Neue, Helvetica, Arial, sans-serif; font-size:1.5em;\">**{status}** in [cell {failed.CellNumber}, In [{failed.ExecutionCount}]](#{AnchorId}): {Escape(failed.ErrorName)}: {Escape(Shorten(failed.ErrorValue))}</span>",
            BannerTag);
    }

    private static string Escape(string s) => System.Net.WebUtility.HtmlEncode(s);

    private static string Shorten(string s) => s.Length > 300 ? s[..300] + "…" : s;

    private static string FirstLine(string source) =>
        source.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0 && !l.StartsWith("#!", StringComparison.Ordinal)) ?? "";

    private static string Stamp(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
