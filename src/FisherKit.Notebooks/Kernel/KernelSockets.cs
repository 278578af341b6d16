using System.Collections.Concurrent;
using System.Text;
using FisherKit.Notebooks.Kernel.Zmq;

namespace FisherKit.Notebooks.Kernel;

/// <summary>
/// The five ZeroMQ sockets of a kernel and the threads that own them (a ZeroMQ socket must stay on
/// one thread): one I/O thread polls shell, control and stdin (ROUTER sockets) and sends their
/// replies from a queue; one thread publishes on iopub (PUB); one echoes the heartbeat (ROUTER
/// with <c>zmq_proxy</c>). Every received message is checked (signature, format) before it is
/// handed on; a message that fails is dropped and logged.
/// </summary>
internal sealed class KernelSockets : IDisposable
{
    private const int LingerMs = 1000;

    private readonly ConnectionInfo _info;
    private readonly WireFormat _wire;
    private readonly Action<KernelChannel, JupyterMessage> _onMessage;
    private readonly Action<string> _log;
    private readonly ZmqContext _context = new();
    private readonly ZmqSocket _shell, _control, _stdin, _iopub, _heartbeat, _wakeIn, _wakeOut;
    private readonly ConcurrentQueue<(KernelChannel Channel, List<byte[]> Frames)> _outbox = new();
    private readonly BlockingCollection<List<byte[]>> _published = new();
    private readonly object _wakeGate = new();
    private readonly List<Thread> _threads = [];
    private volatile bool _stopping;
    private int _wakePending;
    private bool _disposed;

    /// <summary>Binds every socket (port 0 in <paramref name="info"/>: a free port).</summary>
    public KernelSockets(ConnectionInfo info, WireFormat wire, Action<KernelChannel, JupyterMessage> onMessage, Action<string> log)
    {
        _info = info;
        _wire = wire;
        _onMessage = onMessage;
        _log = log;
        try
        {
            _shell = Bind(ZmqNative.Router, info.ShellPort, out var shell);
            _control = Bind(ZmqNative.Router, info.ControlPort, out var control);
            _stdin = Bind(ZmqNative.Router, info.StdinPort, out var stdin);
            _iopub = Bind(ZmqNative.Pub, info.IOPubPort, out var iopub);
            _heartbeat = Bind(ZmqNative.Router, info.HeartbeatPort, out var heartbeat);
            _shell.SetOption(ZmqNative.OptRouterHandover, 1);
            _stdin.SetOption(ZmqNative.OptRouterHandover, 1);
            _iopub.SetOption(ZmqNative.OptSndHwm, 0);
            var wake = $"inproc://fisherkit-wake-{Guid.NewGuid():N}";
            _wakeIn = _context.Socket(ZmqNative.Pair);
            _wakeIn.Bind(wake);
            _wakeOut = _context.Socket(ZmqNative.Pair);
            _wakeOut.Connect(wake);
            Bound = info with { ShellPort = shell, ControlPort = control, StdinPort = stdin, IOPubPort = iopub, HeartbeatPort = heartbeat };
        }
        catch
        {
            foreach (var s in new[] { _shell, _control, _stdin, _iopub, _heartbeat, _wakeIn, _wakeOut }) s?.Dispose();
            _context.Dispose();
            throw;
        }
    }

    /// <summary>The connection as bound (free ports filled in).</summary>
    public ConnectionInfo Bound { get; }

    private ZmqSocket Bind(int type, int port, out int bound)
    {
        var socket = _context.Socket(type);
        try
        {
            socket.SetOption(ZmqNative.OptLinger, LingerMs);
            if (_info.Transport == "tcp" && _info.IP.Contains(':', StringComparison.Ordinal)) socket.SetOption(ZmqNative.OptIpv6, 1);
            socket.Bind(_info.Endpoint(port));
            bound = port;
            if (port == 0 && _info.Transport == "tcp")
            {
                var endpoint = socket.LastEndpoint;
                bound = int.Parse(endpoint[(endpoint.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            }
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Starts the socket threads.</summary>
    public void Start()
    {
        Spawn("fisherkit-kernel-io", IoLoop);
        Spawn("fisherkit-kernel-iopub", PublishLoop);
        Spawn("fisherkit-kernel-heartbeat", HeartbeatLoop);
    }

    private void Spawn(string name, Action body)
    {
        var t = new Thread(() =>
        {
            try { body(); }
            catch (Exception e) when (e is not OutOfMemoryException) { _log($"{name} stopped: {e.Message}"); }
        }) { IsBackground = true, Name = name };
        _threads.Add(t);
        t.Start();
    }

    /// <summary>Queues a message for its socket; safe from any thread.</summary>
    public void Send(KernelChannel channel, JupyterMessage message)
    {
        if (channel == KernelChannel.IOPub)
        {
            var topic = Encoding.UTF8.GetBytes($"kernel.{(string?)message.Header["session"]}.{message.Type}");
            var frames = _wire.Serialize(new JupyterMessage
            {
                Identities = [topic], Header = message.Header, ParentHeader = message.ParentHeader,
                Metadata = message.Metadata, Content = message.Content, Buffers = message.Buffers,
            });
            try { _published.Add(frames); }
            catch (InvalidOperationException) { } // stopped or disposed (output of a task that outlived the kernel)
            return;
        }
        _outbox.Enqueue((channel, _wire.Serialize(message)));
        Wake();
    }

    private void Wake()
    {
        if (Interlocked.Exchange(ref _wakePending, 1) == 1) return;
        lock (_wakeGate)
        {
            if (_disposed) return;
            try { _wakeOut.Send([[1]]); }
            catch (ZmqException) { }
        }
    }

    private void IoLoop()
    {
        var sockets = new[] { _shell, _control, _stdin, _wakeIn };
        var channels = new[] { KernelChannel.Shell, KernelChannel.Control, KernelChannel.Stdin };
        try
        {
            while (true)
            {
                bool[] ready;
                try { ready = ZmqSocket.Poll(sockets, null); }
                catch (ZmqException e) when (e.IsTerminated) { return; }
                if (ready[3])
                {
                    Interlocked.Exchange(ref _wakePending, 0);
                    while (_wakeIn.Receive(dontWait: true) is not null) { }
                }
                Flush();
                if (_stopping) return;
                for (var i = 0; i < 3; i++)
                {
                    if (!ready[i]) continue;
                    while (sockets[i].Receive(dontWait: true) is { } frames) Deliver(channels[i], frames);
                }
            }
        }
        finally
        {
            Flush();
            _shell.Dispose();
            _control.Dispose();
            _stdin.Dispose();
            _wakeIn.Dispose();
        }
    }

    private void Flush()
    {
        while (_outbox.TryDequeue(out var item))
        {
            var socket = item.Channel switch { KernelChannel.Shell => _shell, KernelChannel.Control => _control, _ => _stdin };
            try { socket.Send(item.Frames); }
            catch (ZmqException e) { _log($"could not send on {item.Channel}: {e.Message}"); }
        }
    }

    private void Deliver(KernelChannel channel, List<byte[]> frames)
    {
        var message = _wire.Parse(frames, out var problem);
        if (message is null)
        {
            _log($"dropped a message on {channel.ToString().ToLowerInvariant()}: {problem}; it was not handled.");
            return;
        }
        try { _onMessage(channel, message); }
        catch (Exception e) when (e is not OutOfMemoryException) { _log($"failed to dispatch {message}: {e}"); }
    }

    private void PublishLoop()
    {
        try
        {
            foreach (var frames in _published.GetConsumingEnumerable())
            {
                try { _iopub.Send(frames); }
                catch (ZmqException e) when (e.IsTerminated) { return; }
                catch (ZmqException e) { _log($"could not publish on iopub: {e.Message}"); }
            }
        }
        finally
        {
            _iopub.Dispose();
        }
    }

    private void HeartbeatLoop()
    {
        try
        {
            // A ROUTER proxied to itself sends every ping back to the peer that sent it.
            ZmqNative.zmq_proxy(_heartbeat.Handle, _heartbeat.Handle, 0);
        }
        finally
        {
            _heartbeat.Dispose();
        }
    }

    /// <summary>Sends what is queued, closes the sockets and ends the threads (waits at most a few seconds).</summary>
    public void Dispose()
    {
        if (_stopping) return;
        _stopping = true;
        Interlocked.Exchange(ref _wakePending, 0);
        Wake();
        _published.CompleteAdding();
        foreach (var t in _threads.Where(t => t.Name != "fisherkit-kernel-heartbeat")) t.Join(TimeSpan.FromSeconds(3));
        _context.Shutdown(); // ends the heartbeat proxy and anything still blocked
        foreach (var t in _threads) t.Join(TimeSpan.FromSeconds(3));
        lock (_wakeGate)
        {
            _disposed = true;
            _wakeOut.Dispose();
        }
        if (_threads.Count == 0)
            foreach (var s in new[] { _shell, _control, _stdin, _iopub, _heartbeat, _wakeIn }) s.Dispose();
        if (_threads.All(t => !t.IsAlive)) _context.Dispose();
        _published.Dispose();
    }
}
