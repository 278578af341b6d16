using System.Diagnostics;
using System.Text.Json.Nodes;
using FisherKit.Notebooks.Execution;

namespace FisherKit.Notebooks.Kernel;

/// <summary>Execute requests, interrupts and input requests.</summary>
internal sealed partial class JupyterKernel
{
    private static readonly string InterruptedName = typeof(CellInterruptedException).FullName!;
    private static readonly HashSet<string> InterruptionErrors = new(StringComparer.Ordinal)
    {
        InterruptedName, typeof(ThreadInterruptedException).FullName!, typeof(OperationCanceledException).FullName!,
        typeof(TaskCanceledException).FullName!, "Cancelled",
    };

    /// <summary>The execute request whose cell is running.</summary>
    private sealed class RunningCell(JupyterMessage request, bool allowStdin, KernelObserver observer)
    {
        public JupyterMessage Request { get; } = request;
        public bool AllowStdin { get; } = allowStdin;
        public KernelObserver Observer { get; } = observer;
        public Thread Thread { get; } = Thread.CurrentThread;
        public volatile bool Interrupted;
        public volatile bool InEngine;
        public TaskCompletionSource<string>? Input;
        public string? InputRequestId;
    }

    private void Execute(JupyterMessage request)
    {
        var c = request.Content;
        var code = Str(c, "code", "");
        var silent = Bool(c, "silent", false);
        var storeHistory = Bool(c, "store_history", !silent) && !silent;
        var stopOnError = Bool(c, "stop_on_error", true);
        if (storeHistory) _executionCount++;
        var count = _executionCount;
        if (!silent) Publish("execute_input", new JsonObject { ["code"] = code, ["execution_count"] = count }, request);

        var carrier = FigureScriptCarrier(request, code);
        var observer = new KernelObserver((type, content) => Publish(type, content, request));
        if (!silent && _crashNotice is { } notice)
        {
            // The previous kernel process died in native code (Jupyter restarted it): its last words come first.
            _crashNotice = null;
            observer.OnStream("stderr", notice);
        }
        var cell = new RunningCell(request, Bool(c, "allow_stdin", true), observer);
        CellInterrupt.Reset();
        Locked(() => _current = cell);
        CellResult result;
        var runs = !string.IsNullOrWhiteSpace(code);
        if (runs) _native?.BeginCell($"In [{count}]", observer);
        try
        {
            result = runs ? RunCell(cell, code, count) : CellResult.Ok(null);
        }
        finally
        {
            if (runs) _native?.EndCell();
            Locked(() => _current = null);
            CellInterrupt.Reset();
            ClearPendingThreadInterrupt();
            observer.Flush();
        }
        if (carrier is not null && _engine.FigureScriptEmitted && _figureScriptCell is null) _figureScriptCell = carrier;

        if (result.Status == CellStatus.Ok)
        {
            if (result.Value is { } value && !silent)
                Publish("execute_result", new JsonObject { ["execution_count"] = count, ["data"] = KernelObserver.Data(value), ["metadata"] = new JsonObject() }, request);
            Reply(KernelChannel.Shell, request, new JsonObject
            {
                ["status"] = "ok", ["execution_count"] = count, ["user_expressions"] = new JsonObject(), ["payload"] = new JsonArray(),
            });
            return;
        }
        var error = result.Error ?? new CellError(result.Status.ToString(), "", [], null);
        // What is queued now was sent before the client could see this error: only that is aborted.
        // Taken before the reply goes out, so a request the client sends after the reply always runs.
        if (stopOnError)
            while (_shellQueue.TryTake(out var queued)) _queuedAtError.Add(queued);
        var traceback = new JsonArray(error.Traceback.Select(t => (JsonNode?)t).ToArray());
        if (!silent)
            Publish("error", new JsonObject { ["ename"] = error.Name, ["evalue"] = error.Value, ["traceback"] = traceback.DeepClone() }, request);
        Reply(KernelChannel.Shell, request, new JsonObject
        {
            ["status"] = "error", ["execution_count"] = count, ["ename"] = error.Name, ["evalue"] = error.Value, ["traceback"] = traceback,
            ["user_expressions"] = new JsonObject(), ["payload"] = new JsonArray(),
        });
    }

    /// <summary>
    /// plotly.js is inlined in the first figure of the session only, and later figures rely on it.
    /// When the cell whose output carries it runs again (JupyterLab's <c>cellId</c>, else the same
    /// code) or was deleted, its old output is gone, so the next figure inlines plotly.js again and
    /// a saved notebook still holds one copy. Returns this request's cell key.
    /// </summary>
    private string? FigureScriptCarrier(JupyterMessage request, string code)
    {
        var cellId = Str(request.Metadata, "cellId", "");
        var key = cellId.Length > 0 ? "cell:" + cellId : "code:" + code;
        var deleted = request.Metadata["deletedCells"] is JsonArray d && _figureScriptCell is { } c && c.StartsWith("cell:", StringComparison.Ordinal) &&
                      d.Any(x => x is JsonValue v && v.TryGetValue<string>(out var id) && "cell:" + id == c);
        if (_engine.FigureScriptEmitted && (key == _figureScriptCell || deleted))
        {
            _engine.InlineFigureScriptAgain();
            _figureScriptCell = null;
        }
        return key;
    }

    /// <summary>After an error with <c>stop_on_error</c> (once the failed request is idle): the execute
    /// requests that were queued when the error happened are answered <c>aborted</c> without running;
    /// other requests among them are handled as usual, in their order.</summary>
    private void AbortQueuedExecutions()
    {
        var queued = _queuedAtError.ToList();
        _queuedAtError.Clear();
        foreach (var next in queued)
        {
            if (next.Type != "execute_request")
            {
                HandleShell(next);
                continue;
            }
            Publish("status", new JsonObject { ["execution_state"] = "busy" }, next);
            Reply(KernelChannel.Shell, next, new JsonObject { ["status"] = "aborted", ["execution_count"] = _executionCount });
            Publish("status", new JsonObject { ["execution_state"] = "idle" }, next);
        }
    }

    private CellResult RunCell(RunningCell cell, string code, int count)
    {
        var name = $"In [{count}]";
        string instrumented;
        try { instrumented = InterruptInstrumentation.Instrument(code); }
        catch (Exception e) when (e is not OutOfMemoryException) { instrumented = code; }
        var result = RunEngine(cell, instrumented, name);
        // A cell the instrumentation broke runs as written (it cannot be interrupted then).
        if (instrumented != code && result.Error?.Name == "CompilationError" && !cell.Interrupted)
            result = RunEngine(cell, code, name);
        if (cell.Interrupted && result.Status != CellStatus.Ok && (result.Error is null || InterruptionErrors.Contains(result.Error.Name)))
            result = Interrupted(result.Error, name);
        return result;
    }

    private CellResult RunEngine(RunningCell cell, string code, string name)
    {
        Locked(() => cell.InEngine = true);
        try
        {
            var task = _engine.ExecuteAsync(code, name, cell.Observer, CancellationToken.None);
            // The cell may await on other threads; this thread waits, ignoring interrupts meant for the cell.
            while (!task.IsCompleted)
            {
                try { task.Wait(); }
                catch (ThreadInterruptedException) { }
                catch (AggregateException) { break; }
            }
            return task.GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            if (cell.Interrupted) return Interrupted(null, name);
            _log($"the engine failed on {name}: {e}");
            return new CellResult(CellStatus.Error, null, new CellError("KernelError", e.Message, [$"KernelError: {e.Message}", e.ToString()], null));
        }
        finally
        {
            Locked(() => cell.InEngine = false);
        }
    }

    private static CellResult Interrupted(CellError? cause, string name)
    {
        var value = cause?.Line is { } line ? $"({name}, line {line}): The cell was interrupted." : $"({name}): The cell was interrupted.";
        var traceback = new List<string> { $"{InterruptedName}: {value}" };
        if (cause is not null) traceback.AddRange(cause.Traceback.Skip(1).Where(l => l.StartsWith("   at ", StringComparison.Ordinal)));
        return new CellResult(CellStatus.Cancelled, null, new CellError(InterruptedName, value, traceback, cause?.Line));
    }

    /// <summary>Interrupts the running cell, if any (from the control thread or SIGINT).</summary>
    private void Interrupt()
    {
        var cell = _current;
        if (cell is null) return;
        cell.Interrupted = true;
        CellInterrupt.Request();
        Volatile.Read(ref cell.Input)?.TrySetException(new CellInterruptedException());
        _log("interrupt requested");
        _ = Task.Run(() => BreakBlockingWaitsAsync(cell));
    }

    /// <summary>Breaks blocking waits of the cell's own code on its thread until the cell ends, and
    /// tells the user when the cell does not stop (it is in code the kernel cannot reach).</summary>
    private async Task BreakBlockingWaitsAsync(RunningCell cell)
    {
        var watch = Stopwatch.StartNew();
        var told = false;
        await Task.Delay(100).ConfigureAwait(false);
        while (_current == cell)
        {
            lock (_runGate)
                if (_current == cell && cell.InEngine && CellInterrupt.StartedOn(cell.Thread)) cell.Thread.Interrupt();
            await Task.Delay(500).ConfigureAwait(false);
            if (!told && _current == cell && watch.Elapsed > TimeSpan.FromSeconds(3))
            {
                told = true;
                cell.Observer.OnStream("stderr",
                    "The cell has not stopped: it is in code that does not look for interrupts (a long call into a library or native code). " +
                    "It stops at the next loop or await of the notebook's own code; restart the kernel to stop it now.\n");
            }
        }
    }

    /// <summary>Runs <paramref name="action"/> under the run lock, from the shell thread, which an
    /// interrupt meant for the cell may hit while it waits for the lock.</summary>
    private void Locked(Action action)
    {
        while (true)
        {
            try
            {
                lock (_runGate) action();
                return;
            }
            catch (ThreadInterruptedException) { }
        }
    }

    /// <summary>Consumes a thread interrupt that arrived after the cell ended.</summary>
    private static void ClearPendingThreadInterrupt()
    {
        try { Thread.Sleep(0); }
        catch (ThreadInterruptedException) { }
    }

    /// <summary>One line of input from the client (Console.ReadLine in a cell).</summary>
    private string ReadInput(string prompt)
    {
        var cell = _current ?? throw new InvalidOperationException(
            "Console input can only be read while a cell runs in the kernel, not from a task that outlives its cell.");
        if (!cell.AllowStdin)
            throw new InvalidOperationException(
                "This client does not accept input requests (allow_stdin is false, as with nbconvert and papermill), so Console.ReadLine has nothing to read.");
        lock (_inputGate)
        {
            CellInterrupt.Check();
            cell.Observer.Flush();
            var pending = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            var request = JupyterMessage.Create("input_request", new JsonObject { ["prompt"] = prompt, ["password"] = false }, cell.Request, _session, cell.Request.Identities);
            cell.InputRequestId = request.Id;
            Volatile.Write(ref cell.Input, pending);
            if (cell.Interrupted) throw new CellInterruptedException();
            _sockets?.Send(KernelChannel.Stdin, request);
            try
            {
                return pending.Task.GetAwaiter().GetResult();
            }
            finally
            {
                Volatile.Write(ref cell.Input, null);
            }
        }
    }

    private void HandleInputReply(JupyterMessage reply)
    {
        if (reply.Type != "input_reply")
        {
            _log($"unsupported message type {reply.Type} on stdin; ignored");
            return;
        }
        var cell = _current;
        // jupyter_client sends input_reply without a parent header; when there is one, it must match.
        var parent = Str(reply.ParentHeader, "msg_id", "");
        if (cell is null || Volatile.Read(ref cell.Input) is not { } pending || (parent.Length > 0 && parent != cell.InputRequestId))
        {
            _log("an input_reply arrived that answers no pending input request; ignored");
            return;
        }
        pending.TrySetResult(Str(reply.Content, "value", ""));
    }
}
