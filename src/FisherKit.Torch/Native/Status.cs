using System.Runtime.CompilerServices;

namespace FisherKit.Torch.Native;

/// <summary>The one place where native status codes become .NET exceptions.</summary>
internal static class Status
{
    internal const int Ok = 0;
    internal const int Argument = 1, State = 2, OutOfMemory = 3, Device = 4, NotSupported = 5, LinAlg = 6, Internal = 7;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Check(int status, [CallerMemberName] string op = "")
    {
        if (status != Ok) Throw(status, op);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Throw(int status, string op)
    {
        var message = Clean(NativeMethods.LastError());
        throw status switch
        {
            Argument => new TorchArgumentException(op, message),
            State => new TorchStateException(op, message),
            OutOfMemory => new TorchOutOfMemoryException(op, message),
            Device => new TorchDeviceException(op, message),
            NotSupported => new TorchNotSupportedException(op, message),
            LinAlg => new TorchLinAlgException(op, message),
            _ => new TorchInternalException(op, message),
        };
    }

    /// <summary>libtorch messages end with "Exception raised from ..." source locations; keep the text.</summary>
    private static string Clean(string message)
    {
        var cut = message.IndexOf("\nException raised from", StringComparison.Ordinal);
        if (cut >= 0) message = message[..cut];
        return message.Trim();
    }
}
