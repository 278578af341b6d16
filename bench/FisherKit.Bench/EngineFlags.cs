using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace FisherKit.Bench;

/// <summary>
/// libtorch's oneDNN switch (PyTorch's torch.backends.mkldnn.enabled), which TorchSharp does not
/// expose: read and set through libtorch's exported at::Context symbols, so the benchmark can record
/// it and measure with oneDNN on (libtorch's default) or off (<c>--onednn off</c>). libtorch 2.10's
/// oneDNN computes wrong float32 convolution input gradients on some CPUs (AMD Zen 5 here, with two
/// threads); the Fisher values the benchmark compares between the sides would show it.
/// </summary>
internal static unsafe class EngineFlags
{
    private static (IntPtr context, IntPtr get, IntPtr set)? _f;

    private static bool Resolve()
    {
        if (_f is not null) return true;
        using (zeros(1)) { }                                                      // libtorch loaded
        if (!NativeLibrary.TryLoad("libtorch_cpu.so", typeof(TorchSharp.torch).Assembly, null, out var lib) && !NativeLibrary.TryLoad("libtorch_cpu.so", out lib)) return false;
        if (!NativeLibrary.TryGetExport(lib, "_ZN2at13globalContextEv", out var ctx)
            || !NativeLibrary.TryGetExport(lib, "_ZNK2at7Context17userEnabledMkldnnEv", out var get)
            || !NativeLibrary.TryGetExport(lib, "_ZN2at7Context20setUserEnabledMkldnnEb", out var set)) return false;
        _f = (((delegate* unmanaged<IntPtr>)ctx)(), get, set);
        return true;
    }

    /// <summary>libtorch's flag, or null where the symbols are not found.</summary>
    internal static bool? OneDnnEnabled
    {
        get => Resolve() ? ((delegate* unmanaged<IntPtr, byte>)_f!.Value.get)(_f.Value.context) != 0 : null;
        set
        {
            if (value is null) return;
            if (!Resolve()) throw new NotSupportedException("libtorch's oneDNN switch is not exported by this libtorch build.");
            ((delegate* unmanaged<IntPtr, byte, void>)_f!.Value.set)(_f.Value.context, value.Value ? (byte)1 : (byte)0);
        }
    }

    /// <summary>Applies <c>--onednn on|off</c> from the arguments (absent: libtorch's default) and returns the other arguments.</summary>
    internal static string[] Apply(string[] args)
    {
        int i = Array.IndexOf(args, "--onednn");
        if (i < 0) return args;
        if (i + 1 >= args.Length || args[i + 1] is not ("on" or "off")) throw new ArgumentException("--onednn takes on or off");
        OneDnnEnabled = args[i + 1] == "on";
        return [.. args.Where((_, j) => j != i && j != i + 1)];
    }
}
