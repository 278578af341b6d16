using System.CommandLine;
using System.Globalization;
using FisherKit.Notebooks.Execution;
using FisherKit.Notebooks.Model;
using FisherKit.Notebooks.Report;
using FisherKit.Notebooks.Runner;

namespace FisherKit.Notebooks.Cli;

/// <summary>The <c>fisherkit</c> commands.</summary>
public static class CommandLine
{
    private static readonly double MaxTimeoutSeconds = NotebookRunOptions.MaxCellTimeout.TotalSeconds;

    /// <summary>Parses <paramref name="args"/> and runs the command; returns an <see cref="ExitCodes"/> value.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        var output = stdout ?? Console.Out;
        var error = stderr ?? Console.Error;
        // A plain command named "fisherkit" (a RootCommand would take the name of the assembly, FisherKit.Notebooks).
        var root = new Command("fisherkit", "fisherkit: run C# notebooks headless, render them to a static site, or serve them to Jupyter as a kernel.");
        root.Options.Add(new System.CommandLine.Help.HelpOption());
        root.Options.Add(new VersionOption());

        var notebooks = new Argument<string[]>("notebooks") { Arity = ArgumentArity.OneOrMore, Description = "Notebooks (.ipynb) to execute." };
        var outDir = new Option<string?>("--output", "-o") { Description = "Folder for the executed notebooks (default: out/notebooks)." };
        var inPlace = new Option<bool>("--inplace") { Description = "Write the executed notebook over its source." };
        var parameters = new Option<string[]>("--parameter", "-p") { Description = "Set a parameter: -p name=value (repeatable).", AllowMultipleArgumentsPerToken = false };
        var timeout = new Option<double?>("--timeout") { Description = "Per-cell time limit in seconds (a cell that runs longer is stopped)." };
        var allowErrors = new Option<bool>("--allow-errors") { Description = "Go on after a cell error (the run still exits non-zero)." };
        var inProcess = new Option<bool>("--in-process") { Description = "Run cells in this process instead of a supervised worker (no time limit or crash protection)." };
        var packages = new Option<string[]>("--packages") { Description = "Folder of restored NuGet packages for #r \"nuget: ...\" (default ~/.nuget/packages; repeatable)." };
        var noImages = new Option<bool>("--no-images") { Description = "Do not render static PNG copies of figures (no Chromium start)." };
        var run = new Command("run", "Execute notebooks top to bottom and write the executed copies.")
        {
            notebooks, outDir, inPlace, parameters, timeout, allowErrors, inProcess, packages, noImages,
        };

        var reportInputs = new Argument<string[]>("notebooks") { Arity = ArgumentArity.OneOrMore, Description = "Executed notebooks to include." };
        var siteDir = new Option<string>("--output", "-o") { Description = "Folder of the site (default: out/site).", DefaultValueFactory = _ => Path.Combine("out", "site") };
        var report = new Command("report", "Render executed notebooks to a static HTML site: an index and one page per notebook.") { reportInputs, siteDir };

        var worker = new Command("worker", "Internal: serve a notebook engine over standard input/output.") { Hidden = true };

        var connectionFile = new Option<string?>("--connection-file", "-f") { Description = "The connection file Jupyter writes ({connection_file} in the kernelspec)." };
        var kernel = new Command("kernel", "Run the C# Jupyter kernel (Jupyter starts it through the kernelspec 'fisherkit-csharp').") { connectionFile };
        var user = new Option<bool>("--user") { Description = "Install for the current user (the default): ~/.local/share/jupyter/kernels on Linux." };
        var prefix = new Option<string?>("--prefix") { Description = "Install under PREFIX/share/jupyter/kernels (e.g. a virtual environment, sys.prefix)." };
        var install = new Command("install", "Install the kernelspec 'fisherkit-csharp' (\"C# (FisherKit)\") for JupyterLab, the notebook, VS Code and nbclient.") { user, prefix };
        kernel.Subcommands.Add(install);
        kernel.SetAction(_ => ExitCodes.Ok); // runnable without a subcommand; handled below

        root.Subcommands.Add(run);
        root.Subcommands.Add(report);
        root.Subcommands.Add(worker);
        root.Subcommands.Add(kernel);

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors) await error.WriteLineAsync("fisherkit: " + e.Message).ConfigureAwait(false);
            await error.WriteLineAsync("Try 'fisherkit --help'.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        // --help and --version are the parser's own actions.
        if (parse.Action is System.CommandLine.Help.HelpAction || args.Contains("--version")) return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }).ConfigureAwait(false);
        if (parse.CommandResult.Command == worker) return await WorkerHost.RunAsync().ConfigureAwait(false);
        if (parse.CommandResult.Command == kernel || parse.CommandResult.Command == install)
            return await KernelCommand.RunAsync(parse.CommandResult.Command == install, parse.GetValue(connectionFile), parse.GetValue(user), parse.GetValue(prefix), output, error).ConfigureAwait(false);
        if (parse.CommandResult.Command == run)
        {
            var seconds = parse.GetValue(timeout);
            // NaN, Infinity and very large values ended the run with an unhandled OverflowException or ArgumentException.
            if (seconds is { } limit && !(limit > 0 && limit <= MaxTimeoutSeconds))
            {
                await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"fisherkit: --timeout must be a positive number of seconds, at most {MaxTimeoutSeconds} (30 days).")).ConfigureAwait(false);
                return ExitCodes.Usage;
            }
            // Only the worker process can be stopped: with --in-process the limit was ignored without a word.
            if (seconds is not null && parse.GetValue(inProcess))
            {
                await error.WriteLineAsync("fisherkit: --timeout needs the worker process (a cell running in this process cannot be stopped); leave out --in-process.").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
            using var cts = new CancellationTokenSource();
            // The first Ctrl+C cancels the run (the worker is stopped, the notebook written); a cell running in this
            // process (--in-process) cannot be stopped, so a second Ctrl+C ends the process (it used to be swallowed too).
            ConsoleCancelEventHandler cancel = (_, e) =>
            {
                if (cts.IsCancellationRequested) return;
                e.Cancel = true;
                cts.Cancel();
                if (parse.GetValue(inProcess)) error.WriteLine("fisherkit: cancelling after the running cell; press Ctrl+C again to end at once.");
            };
            Console.CancelKeyPress += cancel;
            try
            {
                return await RunNotebooksAsync(parse.GetValue(notebooks)!, parse.GetValue(outDir), parse.GetValue(inPlace), parse.GetValue(parameters) ?? [],
                    seconds is null ? null : TimeSpan.FromSeconds(seconds.Value), parse.GetValue(allowErrors), !parse.GetValue(inProcess),
                    parse.GetValue(packages) is { Length: > 0 } p ? p : null, !parse.GetValue(noImages), output, error, cts.Token).ConfigureAwait(false);
            }
            finally
            {
                Console.CancelKeyPress -= cancel;
            }
        }
        if (parse.CommandResult.Command == report)
            return await ReportAsync(parse.GetValue(reportInputs)!, parse.GetValue(siteDir)!, output, error).ConfigureAwait(false);
        return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }).ConfigureAwait(false);
    }

    private static async Task<int> RunNotebooksAsync(string[] inputs, string? outDir, bool inPlace, string[] parameterArgs, TimeSpan? timeout,
        bool allowErrors, bool worker, string[]? packages, bool images, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<string, string> values;
        try { values = Parameters.ParseAssignments(parameterArgs); }
        catch (ParameterException e)
        {
            await error.WriteLineAsync("fisherkit: " + e.Message).ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        if (inPlace && outDir is not null)
        {
            await error.WriteLineAsync("fisherkit: --inplace and --output exclude each other.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        foreach (var input in inputs)
            if (!File.Exists(input))
            {
                await error.WriteLineAsync($"fisherkit: notebook {input} does not exist.").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
        var folder = outDir ?? Path.Combine("out", "notebooks");
        var outputs = inputs.Select(i => inPlace ? i : Path.Combine(folder, Path.GetFileName(i))).ToArray();
        for (var i = 0; i < inputs.Length; i++)
            if (!inPlace && Path.GetFullPath(outputs[i]) == Path.GetFullPath(inputs[i]))
            {
                await error.WriteLineAsync($"fisherkit: the output {outputs[i]} would overwrite the source notebook; use --inplace to do that on purpose.").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
        // Two sources of the same name (a/x.ipynb b/x.ipynb -o out): the second run replaced the first's executed copy.
        foreach (var clash in inputs.Select((input, i) => (input, output: Path.GetFullPath(outputs[i]))).GroupBy(t => t.output).Where(g => g.Count() > 1))
        {
            await error.WriteLineAsync($"fisherkit: {string.Join(" and ", clash.Select(t => t.input))} would all be written to {clash.Key}; run them with different --output folders.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        // A folder that cannot be made (a file of that name, no permission) was found only when the executed notebook was saved: an unhandled exception after the whole run.
        foreach (var dir in outputs.Select(o => Path.GetDirectoryName(Path.GetFullPath(o))!).Distinct())
            try { Directory.CreateDirectory(dir); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"fisherkit: cannot write executed notebooks to {dir}: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
        var total = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < inputs.Length; i++)
        {
            await output.WriteLineAsync($"▶ {inputs[i]} -> {outputs[i]}").ConfigureAwait(false);
            NotebookRunResult result;
            try
            {
                result = await NotebookRunner.RunAsync(new NotebookRunOptions
                {
                    InputPath = inputs[i], OutputPath = outputs[i], Parameters = values, CellTimeout = timeout, AllowErrors = allowErrors,
                    UseWorkerProcess = worker, PackageFolders = packages, StaticImages = images,
                }, new ConsoleProgress(output), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is NotebookFormatException or ParameterException or FileNotFoundException)
            {
                await error.WriteLineAsync($"fisherkit: {e.Message} (nothing was written; the source is unchanged)").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Reading the source, starting the worker or writing the executed copy: the message names the path.
                await error.WriteLineAsync($"fisherkit: {inputs[i]} → {outputs[i]}: {e.Message} (the source is unchanged)").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
            if (result.Failed is { } f)
            {
                await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"✘ {inputs[i]}: {Describe(result.Status)} in cell {f.CellNumber} (In [{f.ExecutionCount}]): {f.ErrorName}: {f.ErrorValue}")).ConfigureAwait(false);
                await error.WriteLineAsync($"  executed notebook with the error: {result.OutputPath}").ConfigureAwait(false);
                return result.Status switch
                {
                    RunStatus.Timeout => ExitCodes.Timeout,
                    RunStatus.Crashed => ExitCodes.Crashed,
                    RunStatus.Cancelled => ExitCodes.Cancelled,
                    _ => ExitCodes.CellError,
                };
            }
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"✔ {inputs[i]} in {result.Duration.TotalSeconds:0.0} s")).ConfigureAwait(false);
        }
        if (inputs.Length > 1)
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"✔ {inputs.Length} notebooks in {total.Elapsed.TotalSeconds:0.0} s")).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    private static string Describe(RunStatus status) => status switch
    {
        RunStatus.CellError => "error",
        RunStatus.Timeout => "time limit exceeded",
        RunStatus.Crashed => "worker process crashed",
        RunStatus.Cancelled => "cancelled",
        _ => status.ToString(),
    };

    private static async Task<int> ReportAsync(string[] inputs, string site, TextWriter output, TextWriter error)
    {
        try
        {
            var index = SiteBuilder.Build(inputs, site);
            await output.WriteLineAsync($"✔ report of {inputs.Length} notebook{(inputs.Length == 1 ? "" : "s")}: {index}").ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        catch (Exception e) when (e is NotebookFormatException or FileNotFoundException)
        {
            await error.WriteLineAsync("fisherkit: " + e.Message).ConfigureAwait(false);
            return ExitCodes.Usage;
        }
    }
}
