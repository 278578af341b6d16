using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace FisherKit.Notebooks.Tests.Kernel;

/// <summary>Kernel tests start processes and use CPU: they run one at a time.</summary>
[CollectionDefinition("kernel", DisableParallelization = true)]
public sealed class KernelCollection;

/// <summary>
/// Runs <c>kernel_client.py</c> (Jupyter's own client from Debian's python3-jupyter-client) once
/// against a kernel started from this build's kernelspec; each test below reads one of its checks.
/// </summary>
public sealed class KernelClientRun : IDisposable
{
    private readonly JupyterTools.Sandbox? _sandbox;

    public KernelClientRun()
    {
        if (JupyterTools.ClientSkipReason is not null) return;
        _sandbox = new JupyterTools.Sandbox();
        var report = Path.Combine(_sandbox.Root, "report.json");
        var log = Path.Combine(_sandbox.Root, "kernel.log");
        var script = Path.Combine(RepositoryPaths.Root, "tests", "FisherKit.Notebooks.Tests", "Kernel", "kernel_client.py");
        string[] args = [script, "--report", report, "--log", log, "--work", _sandbox.Work, .. FisherKit.Plotting.Output.PlotlyJs.IsAvailable ? ["--plotly"] : Array.Empty<string>()];
        using var client = new ChildProcess(JupyterTools.Python, args, _sandbox.Environment, _sandbox.Work);
        try
        {
            ExitCode = client.WaitAsync(TimeSpan.FromSeconds(270)).GetAwaiter().GetResult();
        }
        catch (TimeoutException e)
        {
            Failure = e.Message;
        }
        Output = client.Output;
        KernelLog = File.Exists(log) ? File.ReadAllText(log) : "";
        if (File.Exists(report)) Report = JsonNode.Parse(File.ReadAllText(report)) as JsonObject;
    }

    public int? ExitCode { get; }
    public string? Failure { get; }
    public string Output { get; } = "";
    public string KernelLog { get; } = "";
    public JsonObject? Report { get; }

    public void Dispose() => _sandbox?.Dispose();
}

[Collection("kernel")]
public sealed class KernelClientTests(KernelClientRun run, ITestOutputHelper output) : IClassFixture<KernelClientRun>
{
    private void Passed(string check)
    {
        var result = run.Report?[check] as JsonObject;
        Assert.True(result is not null,
            $"check '{check}' did not run. {run.Failure}\nclient output:\n{ChildProcess.Tail(run.Output)}\nkernel log:\n{ChildProcess.Tail(run.KernelLog)}");
        output.WriteLine($"{check}: {(string?)result["detail"]} ({(double?)result["seconds"]} s)");
        Assert.True((bool?)result["ok"] == true, $"{check} failed: {(string?)result["detail"]}\nkernel log:\n{ChildProcess.Tail(run.KernelLog)}");
    }

    [JupyterFact] public void Kernel_info_reports_protocol_5_3_and_the_CSharp_language() => Passed("kernel_info");
    [JupyterFact] public void The_heartbeat_echoes() => Passed("heartbeat");
    [JupyterFact] public void Cells_share_state_and_execution_counts_follow_the_requests() => Passed("state_and_counts");
    [JupyterFact] public void Streams_displays_and_in_place_updates_reach_the_client() => Passed("streams_and_displays");
    [JupyterFact] public void An_error_is_published_and_aborts_queued_requests_unless_stop_on_error_is_off() => Passed("errors_and_stop_on_error");
    [JupyterFact] public void Completion_lists_members_from_the_live_state_at_code_point_positions() => Passed("complete");
    [JupyterFact] public void Inspection_shows_signature_documentation_and_current_value() => Passed("inspect");
    [JupyterFact] public void Is_complete_tells_an_open_block_from_a_statement() => Passed("is_complete");
    [JupyterFact] public void Figures_inline_plotly_js_in_the_first_figure_only_and_again_when_its_cell_reruns() => Passed("figures");
    [JupyterFact] public void Interrupt_stops_a_tight_loop_and_the_next_cell_runs_in_the_same_state() => Passed("interrupt_tight_loop");
    [JupyterFact] public void Interrupt_stops_a_long_Thread_Sleep() => Passed("interrupt_sleep");
    [JupyterFact] public void Interrupt_stops_a_long_await() => Passed("interrupt_await");
    [JupyterFact] public void Interrupt_stops_a_loop_inside_a_method_of_an_earlier_cell() => Passed("interrupt_loop_in_a_method");
    [JupyterFact] public void Messages_with_a_bad_signature_or_replayed_are_dropped_and_logged() => Passed("bad_signature");
    [JupyterFact] public void Console_ReadLine_asks_the_client_through_an_input_request() => Passed("input_request");
    [JupyterFact] public void Native_stderr_of_a_cell_reaches_the_cell_and_the_log() => Passed("native_stderr");
    [JupyterFact] public void Restart_starts_a_new_process_with_a_fresh_state() => Passed("restart");
    [JupyterFact] public void After_a_native_abort_and_Jupyters_restart_the_first_cell_names_the_crash_and_quotes_its_text() => Passed("native_crash");
    [JupyterFact] public void After_a_cell_calls_Environment_Exit_and_Jupyters_restart_the_first_cell_says_so() => Passed("exit_in_cell");
    [JupyterFact] public void Shutdown_ends_the_kernel_process_cleanly() => Passed("shutdown");

    [JupyterFact]
    public void The_client_script_ran_every_check_and_exited_cleanly()
    {
        Assert.True(run.ExitCode == 0, $"kernel_client.py exit code {run.ExitCode} {run.Failure}\n{ChildProcess.Tail(run.Output)}");
        Assert.Equal(20, run.Report!.Count);
    }
}
