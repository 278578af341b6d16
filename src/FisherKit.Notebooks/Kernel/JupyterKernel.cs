using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using FisherKit.Files;
using FisherKit.Notebooks.Execution;
using Microsoft.CodeAnalysis.CSharp;

namespace FisherKit.Notebooks.Kernel;

/// <summary>
/// A Jupyter kernel for C# (messaging protocol 5.3 over ZeroMQ) on FisherKit's notebook engine:
/// cells run in this process in one Roslyn script state (<see cref="ScriptEngine"/>), with the same
/// formatters and display handles as the headless engine.
/// </summary>
/// <remarks>
/// <para>Threads: the socket threads of <see cref="KernelSockets"/>; one shell thread that handles
/// shell requests in order and runs the cells; one control thread that answers interrupt,
/// shutdown and kernel_info at once, also while a cell runs.</para>
/// <para>Interrupt (see <see cref="CellInterrupt"/>): cells are compiled with a check in every loop
/// and through every <c>await</c>, so an interrupt stops <c>while (true) {}</c> and long awaits of
/// the notebook's own code; a blocking wait (<c>Thread.Sleep</c>, <c>Wait()</c>, <c>Console.ReadLine</c>)
/// on the thread the cell started on is broken with <see cref="Thread.Interrupt"/>. Code the kernel
/// cannot reach (a long call into a library or native code, a blocking wait after the cell's first
/// <c>await</c>) stops when it returns; the kernel says so after a few seconds, and a restart ends
/// it at once. The state survives an interrupt: variables assigned before it keep their values.</para>
/// <para>A crash of native code (an abort in libtorch) ends the kernel process like any kernel's, and
/// Jupyter restarts it with the same connection file. Native stderr goes to a file (<see cref="NativeStderr"/>),
/// so the message written before the abort survives the process: the restarted kernel shows it in the
/// first cell it runs. Native stderr of a cell that does not crash reaches the cell as <c>stderr</c>.</para>
/// </remarks>
internal sealed partial class JupyterKernel
{
    private readonly ConnectionInfo _info;
    private readonly Action<string> _log;
    private readonly string _session = Guid.NewGuid().ToString();
    private readonly ScriptEngine _engine = new();
    private readonly CodeAssistant _assistant;
    private readonly BlockingCollection<JupyterMessage> _shellQueue = new();
    private readonly BlockingCollection<JupyterMessage> _controlQueue = new();
    private readonly TaskCompletionSource _stop = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _runGate = new();
    private readonly object _inputGate = new();
    private KernelSockets? _sockets;
    private volatile RunningCell? _current;
    private int _executionCount;
    private readonly List<JupyterMessage> _queuedAtError = [];
    private string? _figureScriptCell;
    private Task _warmUp = Task.CompletedTask;
    private NativeStderr? _native;
    private string? _crashNotice; // the previous process's crash, shown in the first cell this process runs

    private JupyterKernel(ConnectionInfo info, Action<string> log)
    {
        _info = info;
        _log = log;
        _assistant = new CodeAssistant(_engine);
    }

    /// <summary>Serves the kernel described by <paramref name="connectionFile"/> until a shutdown request
    /// (or the Jupyter process that started it exits); returns the exit code.</summary>
    public static async Task<int> RunAsync(string connectionFile, TextWriter log, CancellationToken cancellationToken)
    {
        var info = ConnectionInfo.Load(connectionFile);
        // Native stderr (fd 2) goes to a file from here on; managed Console.Error and this log keep the original one.
        var consoleError = Console.Error;
        using var native = NativeStderr.Start(connectionFile, out var problem);
        if (native is not null)
        {
            Console.SetError(native.OriginalError);
            if (ReferenceEquals(log, consoleError)) log = native.OriginalError;
        }
        var writer = TextWriter.Synchronized(log);
        void Log(string message)
        {
            try { writer.WriteLine($"[fisherkit kernel {DateTime.Now:HH:mm:ss}] {message}"); writer.Flush(); }
            catch (IOException) { }
        }
        if (native is null) Log($"native stderr is not captured ({problem}): a native crash ends the kernel without a report in the notebook");
        else if (native.Predecessor is { } crash) Log($"the previous kernel process of this connection file ended without a shutdown; the first cell will say so:\n{crash.Notice()}");
        var kernel = new JupyterKernel(info, Log) { _native = native, _crashNotice = native?.Predecessor?.Notice() };
        return await kernel.ServeAsync(connectionFile, cancellationToken).ConfigureAwait(false);
    }

    private async Task<int> ServeAsync(string connectionFile, CancellationToken cancellationToken)
    {
        await _engine.StartAsync(new EngineOptions { NotebookDirectory = Environment.CurrentDirectory }, cancellationToken).ConfigureAwait(false);
        _sockets = new KernelSockets(_info, new WireFormat(_info.Key), OnMessage, _log);
        using var sockets = _sockets;
        // The connection file holds the signing key: Jupyter makes it private (0600), and the rewrite keeps its mode.
        if (sockets.Bound != _info) AtomicFile.WriteAllText(connectionFile, sockets.Bound.ToJson());
        Console.SetIn(new KernelStdin(ReadInput));
        StartThread("fisherkit-kernel-shell", () => Loop(_shellQueue, HandleShell));
        StartThread("fisherkit-kernel-control", () => Loop(_controlQueue, HandleControl));
        sockets.Start();
        Publish("status", new JsonObject { ["execution_state"] = "starting" }, null);
        _warmUp = Task.Run(WarmUp, CancellationToken.None);
        WatchParent();
        using var sigint = OperatingSystem.IsWindows() ? null : PosixSignalRegistration.Create(PosixSignal.SIGINT, c =>
        {
            c.Cancel = true;
            Interrupt();
        });
        _log($"listening on {_info.Transport}://{_info.IP} (shell {sockets.Bound.ShellPort}, iopub {sockets.Bound.IOPubPort}, " +
             $"stdin {sockets.Bound.StdinPort}, control {sockets.Bound.ControlPort}, heartbeat {sockets.Bound.HeartbeatPort}); messages {(_info.Key.Length > 0 ? "signed" : "NOT signed (empty key)")}");
        try { await _stop.Task.WaitAsync(cancellationToken).ConfigureAwait(false); }
        catch (OperationCanceledException) { }
        _shellQueue.CompleteAdding();
        _controlQueue.CompleteAdding();
        _log("shut down");
        return 0;
    }

    private static void StartThread(string name, Action body) =>
        new Thread(() => body()) { IsBackground = true, Name = name }.Start();

    private void Loop(BlockingCollection<JupyterMessage> queue, Action<JupyterMessage> handle)
    {
        foreach (var message in queue.GetConsumingEnumerable())
        {
            try { handle(message); }
            catch (Exception e) when (e is not OutOfMemoryException) { _log($"failed to handle {message}: {e}"); }
        }
    }

    private void OnMessage(KernelChannel channel, JupyterMessage message)
    {
        switch (channel)
        {
            case KernelChannel.Shell: TryAdd(_shellQueue, message); break;
            case KernelChannel.Control: TryAdd(_controlQueue, message); break;
            case KernelChannel.Stdin: HandleInputReply(message); break;
        }
    }

    private static void TryAdd(BlockingCollection<JupyterMessage> queue, JupyterMessage message)
    {
        try { queue.Add(message); }
        catch (InvalidOperationException) { } // shutting down
    }

    private void HandleShell(JupyterMessage request)
    {
        // Roslyn compilations of one script state must not run concurrently (a binding race was seen): wait for the warm-up.
        if (!_warmUp.IsCompleted) _warmUp.Wait();
        Publish("status", new JsonObject { ["execution_state"] = "busy" }, request);
        try
        {
            switch (request.Type)
            {
                case "execute_request": Execute(request); break;
                case "kernel_info_request": Reply(KernelChannel.Shell, request, KernelInfo()); break;
                case "complete_request": Reply(KernelChannel.Shell, request, Complete(request.Content)); break;
                case "inspect_request": Reply(KernelChannel.Shell, request, Inspect(request.Content)); break;
                case "is_complete_request": Reply(KernelChannel.Shell, request, IsComplete(request.Content)); break;
                case "history_request": Reply(KernelChannel.Shell, request, new JsonObject { ["status"] = "ok", ["history"] = new JsonArray() }); break;
                case "comm_info_request": Reply(KernelChannel.Shell, request, new JsonObject { ["status"] = "ok", ["comms"] = new JsonObject() }); break;
                case "comm_open":
                    // No comm targets (widgets) exist here: close the comm, as Jupyter expects.
                    Publish("comm_close", new JsonObject { ["comm_id"] = Str(request.Content, "comm_id", ""), ["data"] = new JsonObject() }, request);
                    break;
                case "comm_msg" or "comm_close": break;
                case "shutdown_request": Shutdown(KernelChannel.Shell, request); break;
                case "interrupt_request": Interrupt(); Reply(KernelChannel.Shell, request, Ok()); break;
                default: _log($"unsupported message type {request.Type} on shell; ignored"); break;
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _log($"error handling {request}: {e}");
            if (request.Type.EndsWith("_request", StringComparison.Ordinal))
                Reply(KernelChannel.Shell, request, new JsonObject
                {
                    ["status"] = "error", ["ename"] = e.GetType().Name, ["evalue"] = e.Message, ["traceback"] = new JsonArray(e.ToString()),
                });
        }
        finally
        {
            Publish("status", new JsonObject { ["execution_state"] = "idle" }, request);
        }
        if (_queuedAtError.Count > 0) AbortQueuedExecutions();
    }

    private void HandleControl(JupyterMessage request)
    {
        switch (request.Type)
        {
            case "kernel_info_request": Reply(KernelChannel.Control, request, KernelInfo()); break;
            case "interrupt_request":
                Interrupt();
                Reply(KernelChannel.Control, request, Ok());
                break;
            case "shutdown_request": Shutdown(KernelChannel.Control, request); break;
            default: _log($"unsupported message type {request.Type} on control; ignored"); break;
        }
    }

    private void Shutdown(KernelChannel channel, JupyterMessage request)
    {
        var restart = Bool(request.Content, "restart", false);
        Reply(channel, request, new JsonObject { ["status"] = "ok", ["restart"] = restart });
        _log($"shutdown requested{(restart ? " (restart)" : "")}");
        Interrupt();
        _stop.TrySetResult();
    }

    private JsonObject KernelInfo()
    {
        var version = typeof(JupyterKernel).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        if (plus > 0) version = version[..plus];
        var csharp = LanguageVersionFacts.MapSpecifiedToEffectiveVersion(LanguageVersion.Latest).ToDisplayString();
        return new JsonObject
        {
            ["status"] = "ok",
            ["protocol_version"] = JupyterMessage.ProtocolVersion,
            ["implementation"] = "fisherkit",
            ["implementation_version"] = version,
            ["language_info"] = new JsonObject
            {
                ["name"] = KernelSpec.Language,
                ["version"] = csharp,
                ["mimetype"] = "text/x-csharp",
                ["file_extension"] = ".cs",
                ["pygments_lexer"] = "csharp",
                ["codemirror_mode"] = "text/x-csharp",
            },
            ["banner"] = $"FisherKit C# kernel {version} (Roslyn scripting, C# {csharp}, .NET {Environment.Version})",
            ["help_links"] = new JsonArray(),
            ["debugger"] = false,
        };
    }

    private JsonObject Complete(JsonObject content)
    {
        var code = Str(content, "code", "");
        var cursor = TextPositions.ToUtf16(code, Int(content, "cursor_pos", code.Length));
        var (items, start, end) = _assistant.Complete(code, cursor);
        return new JsonObject
        {
            ["status"] = "ok",
            ["matches"] = new JsonArray(items.Select(i => (JsonNode?)i.Text).ToArray()),
            ["cursor_start"] = TextPositions.ToCodePoints(code, start),
            ["cursor_end"] = TextPositions.ToCodePoints(code, end),
            ["metadata"] = new JsonObject
            {
                ["_jupyter_types_experimental"] = new JsonArray(items.Select(i => (JsonNode?)new JsonObject
                {
                    ["start"] = TextPositions.ToCodePoints(code, start), ["end"] = TextPositions.ToCodePoints(code, end),
                    ["text"] = i.Text, ["type"] = i.Kind, ["signature"] = i.Signature,
                }).ToArray()),
            },
        };
    }

    private JsonObject Inspect(JsonObject content)
    {
        var code = Str(content, "code", "");
        var cursor = TextPositions.ToUtf16(code, Int(content, "cursor_pos", code.Length));
        var text = _assistant.Inspect(code, cursor, Int(content, "detail_level", 0) > 0);
        return new JsonObject
        {
            ["status"] = "ok",
            ["found"] = text is not null,
            ["data"] = text is null ? new JsonObject() : new JsonObject { ["text/plain"] = text },
            ["metadata"] = new JsonObject(),
        };
    }

    private static JsonObject IsComplete(JsonObject content)
    {
        var (status, indent) = CodeAssistant.IsComplete(Str(content, "code", ""));
        var reply = new JsonObject { ["status"] = status };
        if (status == "incomplete") reply["indent"] = indent;
        return reply;
    }

    private void WarmUp()
    {
        // Compiles a throw-away cell so that the first real cell does not pay for loading the compiler.
        try { _engine.AnalysisCompilation("var warmUp = 1 + 1;").Emit(Stream.Null); }
        catch (Exception e) when (e is not OutOfMemoryException) { _log("warm-up failed: " + e.Message); }
    }

    /// <summary>Ends the kernel when the Jupyter process that started it has gone (it sets <c>JPY_PARENT_PID</c>).</summary>
    private void WatchParent()
    {
        if (OperatingSystem.IsWindows() || string.IsNullOrEmpty(Environment.GetEnvironmentVariable("JPY_PARENT_PID"))) return;
        var parent = GetParentProcessId();
        StartThread("fisherkit-kernel-parent", () =>
        {
            while (!_stop.Task.IsCompleted)
            {
                Thread.Sleep(1000);
                if (GetParentProcessId() == parent) continue;
                _log("the process that started the kernel has exited; shutting down");
                _stop.TrySetResult();
                return;
            }
        });
    }

    [LibraryImport("libc", EntryPoint = "getppid")]
    private static partial int GetParentProcessId();

    private void Publish(string type, JsonObject content, JupyterMessage? parent) =>
        _sockets?.Send(KernelChannel.IOPub, JupyterMessage.Create(type, content, parent, _session));

    private void Reply(KernelChannel channel, JupyterMessage request, JsonObject content, JsonObject? metadata = null) =>
        _sockets?.Send(channel, JupyterMessage.Create(request.Type.Replace("_request", "_reply", StringComparison.Ordinal), content, request, _session, request.Identities, metadata));

    private static JsonObject Ok() => new() { ["status"] = "ok" };

    private static string Str(JsonObject o, string key, string fallback) =>
        o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : fallback;

    private static bool Bool(JsonObject o, string key, bool fallback) =>
        o[key] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : fallback;

    private static int Int(JsonObject o, string key, int fallback) =>
        o[key] is JsonValue v && v.TryGetValue<int>(out var i) ? i : fallback;
}
