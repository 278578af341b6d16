using System.Diagnostics;
using System.Text;
using FisherKit.Plotting.Formatting;

namespace FisherKit.Notebooks.Execution;

/// <summary>
/// Runs cells in a separate worker process (<c>fisherkit worker</c>, a <see cref="ScriptEngine"/>
/// talking JSON lines over its standard input and output) and supervises it: a cell that runs past
/// its time limit is stopped by ending the process, and a process that dies (a native abort, out of
/// memory) ends the cell with an error instead of hanging the caller. Output that native code
/// writes straight to the process's stdout or stderr is reported as the cell's <c>stderr</c>.
/// </summary>
public sealed class WorkerEngine : IExecutionEngine
{
    private Process? _process;
    private EngineOptions? _options;
    private readonly object _gate = new();
    private Pending? _pending;
    private TaskCompletionSource? _ready;
    private readonly StringBuilder _stderrTail = new();
    private readonly StringBuilder _crashText = new(); // stderr from the last line that starts a crash message (what() and its stack)
    private bool _crashSeen;
    private string _lastStderrLine = "";
    private volatile string? _fatal;
    private Task? _readers;
    private Task? _stderrDone;

    private sealed class Pending(int id, IExecutionObserver observer)
    {
        public int Id { get; } = id;
        public IExecutionObserver Observer { get; } = observer;
        public TaskCompletionSource<CellResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private int _nextId;

    /// <summary>Whether the worker process is running.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <inheritdoc />
    public async Task StartAsync(EngineOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        var psi = WorkerStartInfo();
        psi.WorkingDirectory = Path.GetFullPath(options.NotebookDirectory);
        psi.RedirectStandardInput = true;
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.UseShellExecute = false;
        psi.StandardOutputEncoding = Encoding.UTF8;
        psi.StandardErrorEncoding = Encoding.UTF8;
        psi.StandardInputEncoding = new UTF8Encoding(false);
        _process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start the worker process {psi.FileName}.");
        _ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = _process;
        _stderrDone = Task.Run(() => ReadStderr(process));
        _readers = Task.WhenAll(Task.Run(() => ReadProtocol(process)), _stderrDone);
        await SendAsync(new WorkerMessage
        {
            Type = "start",
            NotebookDirectory = Path.GetFullPath(options.NotebookDirectory),
            PackageFolders = options.PackageFolders.ToArray(),
        }).ConfigureAwait(false);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(options.StartupTimeout);
        try
        {
            await _ready.Task.WaitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Kill();
            throw new TimeoutException($"The worker process did not start within {options.StartupTimeout.TotalSeconds:0} s. {StderrTail()}");
        }
    }

    /// <summary>How to start <c>fisherkit worker</c>: the app host next to this assembly, else <c>dotnet FisherKit.Notebooks.dll</c>.</summary>
    internal static ProcessStartInfo WorkerStartInfo()
    {
        var dll = typeof(WorkerEngine).Assembly.Location;
        var dir = Path.GetDirectoryName(dll)!;
        var name = Path.GetFileNameWithoutExtension(dll);
        var appHost = Path.Combine(dir, OperatingSystem.IsWindows() ? name + ".exe" : name);
        ProcessStartInfo psi;
        if (File.Exists(appHost)) psi = new ProcessStartInfo(appHost);
        else
        {
            var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            psi = new ProcessStartInfo(string.IsNullOrEmpty(dotnet) ? "dotnet" : dotnet);
            psi.ArgumentList.Add(dll);
        }
        psi.ArgumentList.Add("worker");
        return psi;
    }

    /// <inheritdoc />
    public async Task<CellResult> ExecuteAsync(string code, string cellName, IExecutionObserver observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(observer);
        if (_process is null || _options is null) throw new InvalidOperationException("Call StartAsync before ExecuteAsync.");
        if (_process.HasExited)
            return new CellResult(CellStatus.Crashed, null, new CellError("WorkerExited", "The worker process is no longer running; earlier state is lost.", ["The worker process is no longer running."], null));
        var pending = new Pending(Interlocked.Increment(ref _nextId), observer);
        lock (_gate) _pending = pending;
        await SendAsync(new WorkerMessage { Type = "execute", Id = pending.Id, Code = code, CellName = cellName }).ConfigureAwait(false);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (_options.CellTimeout is { } limit) cts.CancelAfter(limit);
        try
        {
            return await pending.Done.Task.WaitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The cell may be stuck in a loop that never looks at a token: end the process.
            Kill();
            await WaitForReaders().ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested)
                return new CellResult(CellStatus.Cancelled, null, new CellError("Cancelled", "The run was cancelled; the worker process was stopped.", ["The run was cancelled."], null));
            var seconds = _options.CellTimeout!.Value.TotalSeconds;
            var message = $"{cellName} did not finish within the per-cell time limit of {seconds:0.###} s and was stopped (option --timeout).";
            return new CellResult(CellStatus.Timeout, null, new CellError("CellTimeoutError", message, [$"CellTimeoutError: {message}"], null));
        }
        finally
        {
            lock (_gate) if (_pending == pending) _pending = null;
        }
    }

    private async Task SendAsync(WorkerMessage message)
    {
        try
        {
            await _process!.StandardInput.WriteLineAsync(message.Serialize()).ConfigureAwait(false);
            await _process.StandardInput.FlushAsync().ConfigureAwait(false);
        }
        catch (IOException) { } // the process died; the protocol reader reports it
    }

    private void ReadProtocol(Process process)
    {
        try
        {
            while (process.StandardOutput.ReadLine() is { } line)
            {
                WorkerMessage? m;
                try { m = WorkerMessage.Deserialize(line); }
                catch (System.Text.Json.JsonException) { m = null; }
                if (m is null) { Current()?.Observer.OnStream("stdout", line + "\n"); continue; }
                Dispatch(m);
            }
        }
        catch (IOException) { }
        catch (ObjectDisposedException) { }
        // End of stream: the process is gone.
        try { process.WaitForExit(5000); } catch (InvalidOperationException) { }
        var code = process.HasExited ? process.ExitCode : -1;
        _ready?.TrySetException(new InvalidOperationException($"The worker process exited with code {code} before it was ready. {StderrTail()}"));
        var pending = Current();
        if (pending is not null)
        {
            // The stderr reader ends too once the process is gone: wait for its last lines (what() comes just before the abort).
            try { _stderrDone?.Wait(TimeSpan.FromSeconds(3)); } catch (AggregateException) { }
            var signal = code > 128 ? $" (signal {code - 128}{SignalName(code - 128)})" : "";
            string? crash;
            lock (_stderrTail) crash = NativeCrashText.Summary(_crashText.ToString());
            // libtorch's message (what()) is quoted on its own: the stack after it can be longer than the tail shown.
            var cause = crash is not null ? " after this error: " + crash.TrimEnd('.')
                // The worker's own failure (it reported it, then exited with 1) is named below as "Worker error".
                : _fatal is not null ? ": the worker failed"
                // A plain exit code (no signal, no crash text, no reported failure) is a process that ended itself.
                : code is >= 0 and < 128 ? ": the process ended itself without an error (Environment.Exit or exit() in the cell or in code it called)"
                : ": a native crash or the process ran out of memory";
            var message = $"The worker process running the cell died with exit code {code}{signal}{cause}. Earlier state is lost. {(_fatal is null ? "" : "Worker error: " + _fatal + " ")}{(crash is null ? StderrTail() : "")}".TrimEnd();
            pending.Done.TrySetResult(new CellResult(CellStatus.Crashed, null, new CellError("WorkerCrashed", message, [$"WorkerCrashed: {message}"], null)));
        }
    }

    private static string SignalName(int signal) => signal switch
    {
        6 => ", SIGABRT", 9 => ", SIGKILL", 11 => ", SIGSEGV", 7 => ", SIGBUS", 8 => ", SIGFPE", _ => "",
    };

    private void ReadStderr(Process process)
    {
        try
        {
            while (process.StandardError.ReadLine() is { } line)
            {
                lock (_stderrTail)
                {
                    _stderrTail.AppendLine(line);
                    if (_stderrTail.Length > 4000) _stderrTail.Remove(0, _stderrTail.Length - 4000);
                    // A crash message starts at "terminate called ..." (then "  what():  ..."), "Process terminated." and the like;
                    // its head is kept (the message precedes the stack).
                    if (NativeCrashText.StartsCrash(line) && !_lastStderrLine.StartsWith("terminate called", StringComparison.Ordinal))
                    {
                        _crashText.Clear();
                        _crashSeen = true;
                    }
                    _lastStderrLine = line;
                    if (_crashSeen && _crashText.Length < 16_000) _crashText.AppendLine(line);
                }
                Current()?.Observer.OnStream("stderr", line + "\n");
            }
        }
        catch (IOException) { }
        catch (ObjectDisposedException) { }
    }

    private string StderrTail()
    {
        lock (_stderrTail)
        {
            var s = _stderrTail.ToString().Trim();
            return s.Length == 0 ? "" : "Last output: " + (s.Length > 1500 ? s[^1500..] : s);
        }
    }

    private Pending? Current()
    {
        lock (_gate) return _pending;
    }

    private void Dispatch(WorkerMessage m)
    {
        var pending = Current();
        switch (m.Type)
        {
            case "ready":
                _ready?.TrySetResult();
                break;
            case "fatal":
                // The worker's own failure (an exception outside a cell's code): keep it for the crash report.
                _fatal = m.Text;
                _ready?.TrySetException(new InvalidOperationException("The worker process failed to start: " + m.Text));
                break;
            case "stream" when pending is not null && m.Id == pending.Id:
                pending.Observer.OnStream(m.Name ?? "stdout", m.Text ?? "");
                break;
            case "display" when pending is not null && m.Id == pending.Id:
                pending.Observer.OnDisplay(ToBundle(m.Data), m.DisplayId ?? "");
                break;
            case "update_display" when pending is not null && m.Id == pending.Id:
                pending.Observer.OnUpdateDisplay(ToBundle(m.Data), m.DisplayId ?? "");
                break;
            case "complete" when pending is not null && m.Id == pending.Id:
                pending.Done.TrySetResult(new CellResult(m.Status ?? CellStatus.Error, m.Data is null ? null : ToBundle(m.Data), m.Error));
                break;
        }
    }

    private static MimeBundle ToBundle(Dictionary<string, string>? data) =>
        (data ?? []).Aggregate(MimeBundle.Empty, (b, kv) => b.With(kv.Key, kv.Value));

    private void Kill()
    {
        try
        {
            if (_process is { HasExited: false }) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException) { }
    }

    private async Task WaitForReaders()
    {
        if (_readers is not null) await _readers.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_process is null) return;
        if (!_process.HasExited)
        {
            await SendAsync(new WorkerMessage { Type = "shutdown" }).ConfigureAwait(false);
            try { await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false); }
            catch (TimeoutException) { Kill(); }
        }
        try { await WaitForReaders().ConfigureAwait(false); } catch (TimeoutException) { }
        _process.Dispose();
        _process = null;
    }
}
