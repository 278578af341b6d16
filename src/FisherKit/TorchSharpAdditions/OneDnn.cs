using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.TorchSharpAdditions;

/// <summary>
/// Whether libtorch may run CPU operations through oneDNN (MKL-DNN): PyTorch's
/// <c>torch.backends.mkldnn.enabled</c>, which TorchSharp 0.107 does not expose. With oneDNN off,
/// libtorch computes CPU convolutions with its own kernels (im2col and BLAS), more slowly.
/// </summary>
/// <remarks>
/// The oneDNN 3.7.1 inside libtorch 2.10 computes wrong float32 convolution input gradients
/// (<c>backward_data</c>, its AVX2 and AVX-512 JIT kernels) on some CPUs. Measured on an AMD EPYC of
/// family 26 (Zen 5): the input gradient of a 3×3 convolution of a (40, 4, 6, 6) batch to 6 channels
/// was off by as much as the gradient itself, NaN at times, differently from run to run with two
/// threads; float64, the weight gradient and the forward pass were right, and so was everything with
/// oneDNN off (or limited to SSE4.1 by <c>ONEDNN_MAX_CPU_ISA</c>). Every float32 CNN trained
/// through such a gradient learns from a wrong one.
/// The switch sets libtorch's process-wide flag (<c>at::globalContext().setUserEnabledMkldnn</c>)
/// through its exported C++ symbols, found in the <c>libtorch_cpu</c> TorchSharp has loaded (Linux and
/// macOS builds of libtorch; elsewhere it throws <see cref="NotSupportedException"/>).
/// </remarks>
/// <example>
/// <code>
/// OneDnn.Enabled = false;   // before training float32 CNNs on a CPU with the oneDNN fault
/// </code>
/// </example>
public static class OneDnn
{
    private static readonly Lazy<Functions> Native = new(Resolve);

    /// <summary>libtorch's flag: true (its default) lets CPU operations use oneDNN.</summary>
    public static unsafe bool Enabled
    {
        get
        {
            var f = Native.Value;
            return f.Get(f.GlobalContext()) != 0;
        }
        set
        {
            var f = Native.Value;
            f.Set(f.GlobalContext(), value ? (byte)1 : (byte)0);
        }
    }

    private sealed unsafe class Functions
    {
        public delegate* unmanaged<IntPtr> GlobalContext;
        public delegate* unmanaged<IntPtr, byte> Get;
        public delegate* unmanaged<IntPtr, byte, void> Set;
    }

    private static unsafe Functions Resolve()
    {
        // TorchSharp loads libtorch on first use; a second load by name finds that copy (same soname).
        InitializeDeviceType(DeviceType.CPU);
        string name = OperatingSystem.IsMacOS() ? "libtorch_cpu.dylib" : OperatingSystem.IsWindows() ? "torch_cpu.dll" : "libtorch_cpu.so";
        if (!NativeLibrary.TryLoad(name, typeof(torch).Assembly, null, out var library) && !NativeLibrary.TryLoad(name, out library))
            throw new NotSupportedException($"OneDnn: {name} (libtorch) could not be loaded.");
        // Itanium C++ ABI names: at::globalContext(), at::Context::userEnabledMkldnn() const, at::Context::setUserEnabledMkldnn(bool).
        if (!NativeLibrary.TryGetExport(library, "_ZN2at13globalContextEv", out var context)
            || !NativeLibrary.TryGetExport(library, "_ZNK2at7Context17userEnabledMkldnnEv", out var get)
            || !NativeLibrary.TryGetExport(library, "_ZN2at7Context20setUserEnabledMkldnnEb", out var set))
            throw new NotSupportedException($"OneDnn: {name} does not export at::Context's oneDNN switch under its Itanium C++ names (a Windows or unusual libtorch build).");
        return new Functions
        {
            GlobalContext = (delegate* unmanaged<IntPtr>)context,
            Get = (delegate* unmanaged<IntPtr, byte>)get,
            Set = (delegate* unmanaged<IntPtr, byte, void>)set,
        };
    }
}
