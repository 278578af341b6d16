using System.Reflection;
using System.Runtime.InteropServices;

namespace FisherKit.Notebooks.Kernel.Zmq;

/// <summary>
/// The few functions of libzmq (the C library, Debian's <c>libzmq5</c>) the kernel needs, bound by
/// P/Invoke. The library is looked up as <c>libzmq.so.5</c>, then <c>libzmq</c> (other platforms).
/// </summary>
internal static unsafe partial class ZmqNative
{
    private const string Library = "fisherkit-zmq";

    public const int Pair = 0, Pub = 1, Sub = 2, Req = 3, Rep = 4, Dealer = 5, Router = 6;
    public const int OptRoutingId = 5, OptSubscribe = 6, OptLinger = 17, OptSndHwm = 23, OptRcvHwm = 24,
        OptRcvTimeout = 27, OptLastEndpoint = 32, OptIpv6 = 42, OptRouterHandover = 56;
    public const int DontWait = 1, SendMore = 2;
    public const short PollIn = 1;
    public const int EIntr = 4;
    public const int ETerm = 156384712 + 53;

    static ZmqNative() => NativeLibrary.SetDllImportResolver(typeof(ZmqNative).Assembly, Resolve);

    /// <summary>Whether libzmq can be loaded on this machine.</summary>
    public static bool IsAvailable
    {
        get
        {
            try
            {
                zmq_version(out _, out _, out _);
                return true;
            }
            catch (DllNotFoundException) { return false; }
        }
    }

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? path)
    {
        if (name != Library) return 0;
        foreach (var candidate in new[] { "libzmq.so.5", "libzmq.5.dylib", "libzmq" })
            if (NativeLibrary.TryLoad(candidate, assembly, path, out var handle)) return handle;
        throw new DllNotFoundException(
            "libzmq (ZeroMQ) was not found; the Jupyter kernel needs it. On Debian or Ubuntu: apt-get install libzmq5 (environment/setup.sh does).");
    }

    /// <summary>A <c>zmq_msg_t</c>: 64 opaque bytes, 8-byte aligned.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 64)]
    public struct Message
    {
        private long _0;
    }

    /// <summary>A <c>zmq_pollitem_t</c> on Unix (the file descriptor is an <c>int</c>).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct PollItem
    {
        public nint Socket;
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport(Library)] public static partial void zmq_version(out int major, out int minor, out int patch);
    [LibraryImport(Library)] public static partial nint zmq_ctx_new();
    [LibraryImport(Library)] public static partial int zmq_ctx_shutdown(nint context);
    [LibraryImport(Library)] public static partial int zmq_ctx_term(nint context);
    [LibraryImport(Library)] public static partial nint zmq_socket(nint context, int type);
    [LibraryImport(Library)] public static partial int zmq_close(nint socket);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)] public static partial int zmq_bind(nint socket, string endpoint);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)] public static partial int zmq_connect(nint socket, string endpoint);
    [LibraryImport(Library)] public static partial int zmq_setsockopt(nint socket, int option, void* value, nuint length);
    [LibraryImport(Library)] public static partial int zmq_getsockopt(nint socket, int option, void* value, nuint* length);
    [LibraryImport(Library)] public static partial int zmq_msg_init(Message* message);
    [LibraryImport(Library)] public static partial int zmq_msg_init_size(Message* message, nuint size);
    [LibraryImport(Library)] public static partial void* zmq_msg_data(Message* message);
    [LibraryImport(Library)] public static partial nuint zmq_msg_size(Message* message);
    [LibraryImport(Library)] public static partial int zmq_msg_more(Message* message);
    [LibraryImport(Library)] public static partial int zmq_msg_recv(Message* message, nint socket, int flags);
    [LibraryImport(Library)] public static partial int zmq_msg_send(Message* message, nint socket, int flags);
    [LibraryImport(Library)] public static partial int zmq_msg_close(Message* message);
    [LibraryImport(Library)] public static partial int zmq_poll(PollItem* items, int count, nint timeoutMs);
    [LibraryImport(Library)] public static partial int zmq_proxy(nint frontend, nint backend, nint capture);
    [LibraryImport(Library)] public static partial int zmq_errno();
    [LibraryImport(Library)] public static partial nint zmq_strerror(int error);

    /// <summary>The message of libzmq's last error on this thread.</summary>
    public static string LastError(out int code)
    {
        code = zmq_errno();
        return Marshal.PtrToStringUTF8(zmq_strerror(code)) ?? $"error {code}";
    }
}
