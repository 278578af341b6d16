using System.Text;

namespace FisherKit.Notebooks.Kernel.Zmq;

/// <summary>
/// A ZeroMQ socket. Like every ZeroMQ socket it must be used by one thread at a time; the kernel
/// gives each socket to one thread. Multipart messages are lists of byte arrays.
/// </summary>
internal sealed unsafe class ZmqSocket : IDisposable
{
    private nint _handle;

    public ZmqSocket(ZmqContext context, int type)
    {
        _handle = ZmqNative.zmq_socket(context.Handle, type);
        if (_handle == 0) throw ZmqContext.Error("zmq_socket");
    }

    public nint Handle => _handle != 0 ? _handle : throw new ObjectDisposedException(nameof(ZmqSocket));

    public void Bind(string endpoint)
    {
        if (ZmqNative.zmq_bind(Handle, endpoint) != 0) throw ZmqContext.Error($"zmq_bind({endpoint})");
    }

    public void Connect(string endpoint)
    {
        if (ZmqNative.zmq_connect(Handle, endpoint) != 0) throw ZmqContext.Error($"zmq_connect({endpoint})");
    }

    public void SetOption(int option, int value)
    {
        if (ZmqNative.zmq_setsockopt(Handle, option, &value, sizeof(int)) != 0) throw ZmqContext.Error($"zmq_setsockopt({option})");
    }

    public void SetOption(int option, ReadOnlySpan<byte> value)
    {
        fixed (byte* p = value)
            if (ZmqNative.zmq_setsockopt(Handle, option, p, (nuint)value.Length) != 0) throw ZmqContext.Error($"zmq_setsockopt({option})");
    }

    /// <summary>The endpoint the socket was last bound to, with the port the system chose for <c>*</c>.</summary>
    public string LastEndpoint
    {
        get
        {
            var buffer = stackalloc byte[512];
            nuint length = 512;
            if (ZmqNative.zmq_getsockopt(Handle, ZmqNative.OptLastEndpoint, buffer, &length) != 0) throw ZmqContext.Error("zmq_getsockopt(LAST_ENDPOINT)");
            var n = (int)length;
            while (n > 0 && buffer[n - 1] == 0) n--;
            return Encoding.UTF8.GetString(buffer, n);
        }
    }

    /// <summary>Sends the frames as one multipart message (blocking).</summary>
    public void Send(IReadOnlyList<byte[]> frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        for (var i = 0; i < frames.Count; i++)
        {
            ZmqNative.Message msg;
            var frame = frames[i];
            if (ZmqNative.zmq_msg_init_size(&msg, (nuint)frame.Length) != 0) throw ZmqContext.Error("zmq_msg_init_size");
            if (frame.Length > 0) frame.CopyTo(new Span<byte>(ZmqNative.zmq_msg_data(&msg), frame.Length));
            var flags = i < frames.Count - 1 ? ZmqNative.SendMore : 0;
            while (true)
            {
                if (ZmqNative.zmq_msg_send(&msg, Handle, flags) >= 0) break;
                var error = ZmqContext.Error("zmq_msg_send");
                if (error.ErrorNumber == ZmqNative.EIntr) continue;
                ZmqNative.zmq_msg_close(&msg);
                throw error;
            }
        }
    }

    /// <summary>Receives one multipart message; blocks unless <paramref name="dontWait"/> (then null when none is waiting).</summary>
    public List<byte[]>? Receive(bool dontWait = false)
    {
        var frames = new List<byte[]>();
        while (true)
        {
            ZmqNative.Message msg;
            ZmqNative.zmq_msg_init(&msg);
            int n;
            while ((n = ZmqNative.zmq_msg_recv(&msg, Handle, dontWait && frames.Count == 0 ? ZmqNative.DontWait : 0)) < 0)
            {
                var error = ZmqContext.Error("zmq_msg_recv");
                if (error.ErrorNumber == ZmqNative.EIntr) continue;
                ZmqNative.zmq_msg_close(&msg);
                if (dontWait && frames.Count == 0 && error.ErrorNumber == 11 /* EAGAIN */) return null;
                throw error;
            }
            frames.Add(new ReadOnlySpan<byte>(ZmqNative.zmq_msg_data(&msg), (int)ZmqNative.zmq_msg_size(&msg)).ToArray());
            var more = ZmqNative.zmq_msg_more(&msg) != 0;
            ZmqNative.zmq_msg_close(&msg);
            if (!more) return frames;
        }
    }

    /// <summary>Waits until one of <paramref name="sockets"/> has a message; returns a flag per socket.</summary>
    public static bool[] Poll(IReadOnlyList<ZmqSocket> sockets, TimeSpan? timeout)
    {
        ArgumentNullException.ThrowIfNull(sockets);
        var items = stackalloc ZmqNative.PollItem[sockets.Count];
        for (var i = 0; i < sockets.Count; i++) items[i] = new ZmqNative.PollItem { Socket = sockets[i].Handle, Events = ZmqNative.PollIn };
        var ms = timeout is { } t ? (nint)t.TotalMilliseconds : -1;
        while (ZmqNative.zmq_poll(items, sockets.Count, ms) < 0)
        {
            var error = ZmqContext.Error("zmq_poll");
            if (error.ErrorNumber != ZmqNative.EIntr) throw error;
        }
        var ready = new bool[sockets.Count];
        for (var i = 0; i < sockets.Count; i++) ready[i] = (items[i].Revents & ZmqNative.PollIn) != 0;
        return ready;
    }

    public void Dispose()
    {
        var h = Interlocked.Exchange(ref _handle, 0);
        if (h != 0) ZmqNative.zmq_close(h);
    }
}
