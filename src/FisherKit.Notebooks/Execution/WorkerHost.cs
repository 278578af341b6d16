using System.Runtime.InteropServices;
using System.Text;
using FisherKit.Plotting.Formatting;
using Microsoft.Win32.SafeHandles;

namespace FisherKit.Notebooks.Execution;

/// <summary>
/// The worker side of <see cref="WorkerEngine"/>: <c>fisherkit worker</c> reads commands from
/// standard input and answers on a private copy of standard output. Standard output itself is
/// pointed at standard error first, so that text native code prints cannot break the protocol.
/// </summary>
internal static partial class WorkerHost
{
    public static async Task<int> RunAsync()
    {
        var protocol = OpenProtocolStream();
        var writer = new StreamWriter(protocol, new UTF8Encoding(false)) { AutoFlush = true };
        var send = new object();
        void Send(WorkerMessage m)
        {
            lock (send) writer.WriteLine(m.Serialize());
        }
        var stdin = new StreamReader(Console.OpenStandardInput(), Encoding.UTF8);
        await using var engine = new ScriptEngine();
        try
        {
            while (await stdin.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                var m = WorkerMessage.Deserialize(line);
                if (m is null) continue;
                switch (m.Type)
                {
                    case "start":
                        var dir = m.NotebookDirectory ?? Environment.CurrentDirectory;
                        Directory.SetCurrentDirectory(dir);
                        await engine.StartAsync(new EngineOptions
                        {
                            NotebookDirectory = dir,
                            PackageFolders = m.PackageFolders ?? EngineOptions.DefaultPackageFolders(),
                        }, CancellationToken.None).ConfigureAwait(false);
                        Send(new WorkerMessage { Type = "ready" });
                        break;
                    case "execute":
                        var observer = new ProtocolObserver(m.Id ?? 0, Send);
                        var result = await engine.ExecuteAsync(m.Code ?? "", m.CellName ?? "cell", observer, CancellationToken.None).ConfigureAwait(false);
                        observer.Flush();
                        Send(new WorkerMessage
                        {
                            Type = "complete", Id = m.Id, Status = result.Status, Error = result.Error,
                            Data = result.Value?.ToDictionary(kv => kv.Key, kv => kv.Value),
                        });
                        break;
                    case "shutdown":
                        return 0;
                }
            }
            return 0;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Send(new WorkerMessage { Type = "fatal", Text = e.ToString() });
            return 1;
        }
    }

    /// <summary>Forwards a cell's output as protocol messages; stream text is sent per line.</summary>
    private sealed class ProtocolObserver(int id, Action<WorkerMessage> send) : IExecutionObserver
    {
        private readonly Dictionary<string, StringBuilder> _buffers = [];

        public void OnStream(string name, string text)
        {
            lock (_buffers)
            {
                // Text of the other stream still waiting for its newline goes first, so stdout and stderr keep their order
                // (Write("a"), Error.Write("b"), Write("c") came out as "ac" then "b").
                foreach (var (other, pending) in _buffers)
                    if (other != name && pending.Length > 0)
                    {
                        send(new WorkerMessage { Type = "stream", Id = id, Name = other, Text = pending.ToString() });
                        pending.Clear();
                    }
                if (!_buffers.TryGetValue(name, out var b)) _buffers[name] = b = new StringBuilder();
                b.Append(text);
                var s = b.ToString();
                var cut = s.LastIndexOf('\n');
                if (cut < 0 && s.Length < 8192) return;
                var head = cut < 0 ? s : s[..(cut + 1)];
                b.Remove(0, head.Length);
                send(new WorkerMessage { Type = "stream", Id = id, Name = name, Text = head });
            }
        }

        public void Flush()
        {
            lock (_buffers)
                foreach (var (name, b) in _buffers)
                    if (b.Length > 0)
                    {
                        send(new WorkerMessage { Type = "stream", Id = id, Name = name, Text = b.ToString() });
                        b.Clear();
                    }
        }

        public void OnDisplay(MimeBundle bundle, string displayId)
        {
            Flush();
            send(new WorkerMessage { Type = "display", Id = id, DisplayId = displayId, Data = bundle.ToDictionary(kv => kv.Key, kv => kv.Value) });
        }

        public void OnUpdateDisplay(MimeBundle bundle, string displayId)
        {
            Flush();
            send(new WorkerMessage { Type = "update_display", Id = id, DisplayId = displayId, Data = bundle.ToDictionary(kv => kv.Key, kv => kv.Value) });
        }
    }

    /// <summary>A private duplicate of standard output for the protocol; file descriptor 1 then
    /// points at standard error (Unix). On Windows the protocol uses standard output as is.</summary>
    private static Stream OpenProtocolStream()
    {
        if (OperatingSystem.IsWindows()) return Console.OpenStandardOutput();
        var fd = Dup(1);
        if (fd < 0 || Dup2(2, 1) < 0) return Console.OpenStandardOutput();
        return new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Write, 1);
    }

    [LibraryImport("libc", EntryPoint = "dup")]
    private static partial int Dup(int fd);

    [LibraryImport("libc", EntryPoint = "dup2")]
    private static partial int Dup2(int oldFd, int newFd);
}
