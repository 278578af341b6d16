namespace FisherKit.Notebooks.Tests;

/// <summary>
/// Cells that end their process the way TorchSharp 0.107 does for some errors, without TorchSharp: libc's
/// <c>write</c> puts libtorch's message on file descriptor 2 (as its terminate handler does), then libc's <c>abort</c>.
/// </summary>
internal static class NativeCrashCells
{
    /// <summary>A cell declaring <c>Native.Err(text)</c> (write to fd 2) and <c>Native.Abort()</c>.</summary>
    public const string Declarations = """
        using System.Runtime.InteropServices;
        static class Native
        {
            [DllImport("libc", EntryPoint = "write")] private static extern nint Write(int fd, byte[] bytes, nint count);
            [DllImport("libc", EntryPoint = "abort")] public static extern void Abort();
            public static void Err(string text) { var b = System.Text.Encoding.UTF8.GetBytes(text); Write(2, b, b.Length); }
        }
        """;

    /// <summary>What libtorch writes before it aborts: the what() text, the source location and a 60-frame stack.</summary>
    public static string LibtorchMessage(string what) =>
        "terminate called after throwing an instance of 'c10::Error'\n" +
        $"  what():  {what}\n" +
        "Exception raised from meta at /pytorch/aten/src/ATen/native/LinearAlgebra.cpp:192 (most recent call first):\n" +
        string.Concat(Enumerable.Range(0, 60).Select(i => $"frame #{i}: at::native::some_function_{i}(at::Tensor const&) + 0x{i:x} (0x7f00000{i:x4} in /usr/lib/libtorch_cpu.so)\n"));

    /// <summary>A cell (after <see cref="Declarations"/>) that writes <see cref="LibtorchMessage"/> to fd 2 and aborts.</summary>
    public static string LibtorchAbort(string what) =>
        $"Native.Err({Literal(LibtorchMessage(what))});\nNative.Abort();";

    private static string Literal(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";
}
