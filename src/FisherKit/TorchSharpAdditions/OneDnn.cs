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
/// was off by a large fraction of the gradient, not finite at times, differently from run to run with two
/// threads; float64, the weight gradient and the forward pass were right, and so was everything with
/// oneDNN off (or limited to AVX, SSE4.1 by <c>ONEDNN_MAX_CPU_ISA</c>; AVX2 and AVX-512 are wrong). Every float32 CNN trained
/// through such a gradient learns from a wrong one.
/// The switch sets libtorch's process-wide flag (<c>at::globalContext().setUserEnabledMkldnn</c>)
/// through its exported C++ symbols, found in the <c>libtorch_cpu</c> TorchSharp has loaded (Linux and
/// macOS builds of libtorch; elsewhere it throws <see cref="NotSupportedException"/>).
/// <para>
/// FisherKit switches oneDNN off when the library is first used (<see cref="EnsureCorrectConvolutions"/>,
/// after switching NNPACK off, see <see cref="DisableNnpack"/>). A check cannot clear a CPU: the fault is
/// intermittent, and the check's passes over three shapes miss it in some processes (the benchmark's
/// <c>onednn-fault</c> counts how often; bench/README.md has the recorded run). The environment variable
/// <c>FISHERKIT_ONEDNN</c> chooses otherwise: <c>check</c> compares float32 convolutions (forward, input
/// and weight gradients) with float64 on a few small shapes and switches oneDNN off only when they
/// disagree (saying so once on the standard error stream), <c>keep</c> leaves oneDNN as it is.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// OneDnn.EnsureCorrectConvolutions();   // what FisherKit does on first use
/// Console.WriteLine(OneDnn.Diagnosis);  // "oneDNN switched off: libtorch 2.10's oneDNN computes wrong float32 ..." (the default)
/// OneDnn.Enabled = false;               // or switch it off by hand
/// </code>
/// </example>
public static class OneDnn
{
    private static readonly object Gate = new();
    /// <summary>Passes of the check over its shapes (the fault is intermittent; the benchmark's <c>onednn-fault</c> counts how often they miss it).</summary>
    internal const int CheckPasses = 8;

    /// <summary>The relative error above which a float32 convolution disagrees with float64.</summary>
    internal const double Tolerance = 1e-3;
    private static bool _checked;

    /// <summary>What the last check found, in words that do not change from run to run (null before the first check).</summary>
    public static string? Diagnosis { get; private set; }

    /// <summary>
    /// The largest relative difference between float32 and float64 that the check measured with oneDNN on
    /// (NaN before a check; +∞ for a non-finite result). It varies from process to process where oneDNN is faulty.
    /// </summary>
    public static double MeasuredError { get; private set; } = double.NaN;

    /// <summary>
    /// Switches oneDNN off once per process, the default; with <c>FISHERKIT_ONEDNN=keep</c> leaves it as it is;
    /// with <c>FISHERKIT_ONEDNN=check</c> checks whether oneDNN computes float32 convolutions and their gradients
    /// correctly on this CPU (against float64, relative error below 1e-3 in each of several passes over three small shapes: a
    /// 3×3 convolution with padding, one with stride 2 and dilation 2, and a 1×1 convolution), and
    /// switches oneDNN off when it does not. Returns true when oneDNN is on after the call. Never
    /// throws: if the check itself cannot run (no CPU backend, a libtorch without the switch), oneDNN
    /// is left as it is and <see cref="Diagnosis"/> says why.
    /// </summary>
    public static bool EnsureCorrectConvolutions()
    {
        lock (Gate)
        {
            if (_checked) return SafeEnabled();
            _checked = true;
            try
            {
                var setting = EnvironmentSwitch.Read("FISHERKIT_ONEDNN", "off", "check", "keep");
                var mode = setting.Mode;
                DisableNnpack();
                if (mode == "keep")
                {
                    Diagnosis = "oneDNN left as it is (FISHERKIT_ONEDNN=keep); not checked";
                    return SafeEnabled();
                }
                if (mode != "check")
                {
                    // The default (also FISHERKIT_ONEDNN=off): see the remarks above for why no check can clear a CPU.
                    Enabled = false;
                    Diagnosis = mode == "off" ? "oneDNN switched off (FISHERKIT_ONEDNN=off)"
                        : setting.Unknown is not null ? setting.Refusal("oneDNN switched off, FisherKit's default")
                        : "oneDNN switched off: libtorch 2.10's oneDNN computes wrong float32 convolution gradients on some CPUs, at times only (FISHERKIT_ONEDNN=check tests this CPU, =keep keeps it)";
                    if (setting.Unknown is not null) EnvironmentSwitch.Warn(Diagnosis);
                    return false;
                }
                if (!Enabled)
                {
                    Diagnosis = "oneDNN was already off; not checked";
                    return false;
                }
                // The fault is intermittent: in one process the first call of a shape was right and later
                // calls wrong (NaN at times), so one pass can miss it. Several passes, stopping at the first failure.
                double error = 0;
                for (int pass = 0; pass < CheckPasses && error <= Tolerance; pass++) error = Math.Max(error, ConvolutionError());
                MeasuredError = error;
                if (error <= Tolerance)
                {
                    Diagnosis = "oneDNN on: its float32 convolutions agree with float64";
                    return true;
                }
                Enabled = false;
                var after = ConvolutionError();
                // The text stays the same from run to run (the size of the error does not): it is shown in notebooks
                // whose outputs are compared between hosts. The measured size is in MeasuredError.
                Diagnosis = after <= Tolerance
                    ? "oneDNN switched off: its float32 convolution results on this CPU disagree with float64 (libtorch's own kernels agree)"
                    : "oneDNN switched off: its float32 convolution results on this CPU disagree with float64 (and still do without it: check this CPU)";
                Console.Error.WriteLine($"FisherKit: {Diagnosis}. OneDnn.MeasuredError has the size; set FISHERKIT_ONEDNN=keep to keep oneDNN.");
                return false;
            }
            catch (Exception e) when (e is NotSupportedException or InvalidOperationException or DllNotFoundException or ExternalException or EntryPointNotFoundException)
            {
                Diagnosis = $"oneDNN not checked: {e.Message}";
                return SafeEnabled();
            }
        }
    }

    /// <summary>libtorch's flag where it can be read; otherwise true (libtorch's default).</summary>
    internal static bool EnabledOrDefault => SafeEnabled();

    private static bool SafeEnabled()
    {
        try { return Enabled; }
        catch (NotSupportedException) { return true; }
    }

    /// <summary>The largest relative difference between float32 and float64 over forward pass, input and weight gradients of three convolutions.</summary>
    internal static double ConvolutionError()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(20261205);
        double worst = 0;
        // (batch, in, out, size, kernel, stride, padding, dilation): shapes that reach oneDNN's blocked and plain kernels.
        foreach (var (n, cin, cout, size, k, stride, padding, dilation) in new[] { (40, 4, 6, 6, 3, 1, 1, 1), (8, 16, 32, 12, 3, 2, 1, 2), (4, 32, 64, 9, 1, 1, 0, 1) })
        {
            var x64 = randn([n, cin, size, size], dtype: ScalarType.Float64, generator: generator);
            var w64 = randn([cout, cin, k, k], dtype: ScalarType.Float64, generator: generator);
            Tensor[] Run(ScalarType dtype)
            {
                var x = x64.to(dtype).requires_grad_();
                var w = w64.to(dtype).requires_grad_();
                var y = nn.functional.conv2d(x, w, null, [stride, stride], [padding, padding], [dilation, dilation]);
                var g = ones_like(y);
                var grads = SafeAutograd.grad([y], [x, w], [g]);
                return [y.detach().to(ScalarType.Float64), grads[0]!.to(ScalarType.Float64), grads[1]!.to(ScalarType.Float64)];
            }
            var exact = Run(ScalarType.Float64);
            var single = Run(ScalarType.Float32);
            for (int i = 0; i < exact.Length; i++)
            {
                var scale = exact[i].abs().max().ToDouble();
                var diff = (single[i] - exact[i]).abs().max().ToDouble();
                var relative = double.IsFinite(diff) ? diff / Math.Max(scale, 1e-30) : double.PositiveInfinity;
                worst = Math.Max(worst, relative);
            }
        }
        return worst;
    }
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

    /// <summary>
    /// Switches NNPACK off. libtorch asks NNPACK about CPU convolutions, and on CPUs NNPACK does not
    /// know it logs "Could not initialize NNPACK! Reason: Unsupported hardware" each time, into every
    /// notebook cell; NNPACK only serves a few inference shapes, so FisherKit does without it.
    /// </summary>
    public static unsafe void DisableNnpack()
    {
        var f = Native.Value;
        f.SetNnpack(f.GlobalContext(), 0);
    }

    private sealed unsafe class Functions
    {
        public delegate* unmanaged<IntPtr> GlobalContext;
        public delegate* unmanaged<IntPtr, byte> Get;
        public delegate* unmanaged<IntPtr, byte, void> Set;
        public delegate* unmanaged<IntPtr, byte, void> SetNnpack;
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
            || !NativeLibrary.TryGetExport(library, "_ZN2at7Context20setUserEnabledMkldnnEb", out var set)
            || !NativeLibrary.TryGetExport(library, "_ZN2at7Context20setUserEnabledNNPACKEb", out var setNnpack))
            throw new NotSupportedException($"OneDnn: {name} does not export at::Context's oneDNN switch under its Itanium C++ names (a Windows or unusual libtorch build).");
        return new Functions
        {
            GlobalContext = (delegate* unmanaged<IntPtr>)context,
            Get = (delegate* unmanaged<IntPtr, byte>)get,
            Set = (delegate* unmanaged<IntPtr, byte, void>)set,
            SetNnpack = (delegate* unmanaged<IntPtr, byte, void>)setNnpack,
        };
    }
}
