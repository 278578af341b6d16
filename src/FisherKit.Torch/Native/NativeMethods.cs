using System.Runtime.InteropServices;

namespace FisherKit.Torch.Native;

/// <summary>The shim's exports; declarations are generated into NativeMethods.g.cs.</summary>
internal static unsafe partial class NativeMethods
{
    internal const string Lib = "fisherkit_native";

    /// <summary>The calling thread's last native error text (copied, the shim owns the buffer).</summary>
    internal static string LastError() => Marshal.PtrToStringUTF8(fk_last_error()) ?? "";
}
