namespace FisherKit.Notebooks.Kernel.Zmq;

/// <summary>A ZeroMQ context: owns the I/O threads of its sockets.</summary>
internal sealed class ZmqContext : IDisposable
{
    private nint _handle;

    public ZmqContext()
    {
        _handle = ZmqNative.zmq_ctx_new();
        if (_handle == 0) throw Error("zmq_ctx_new");
    }

    public nint Handle => _handle != 0 ? _handle : throw new ObjectDisposedException(nameof(ZmqContext));

    public ZmqSocket Socket(int type) => new(this, type);

    /// <summary>Makes every blocking call on this context's sockets return <c>ETERM</c> (sockets must still be closed).</summary>
    public void Shutdown()
    {
        if (_handle != 0) ZmqNative.zmq_ctx_shutdown(_handle);
    }

    /// <summary>Terminates the context; waits for each closed socket's linger time. All sockets must be closed.</summary>
    public void Dispose()
    {
        var h = Interlocked.Exchange(ref _handle, 0);
        if (h == 0) return;
        while (ZmqNative.zmq_ctx_term(h) != 0 && ZmqNative.zmq_errno() == ZmqNative.EIntr) { }
    }

    internal static ZmqException Error(string call)
    {
        var message = ZmqNative.LastError(out var code);
        return new ZmqException($"{call} failed: {message}", code);
    }
}
