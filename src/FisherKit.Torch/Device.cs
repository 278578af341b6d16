using FisherKit.Torch.Native;

namespace FisherKit.Torch;

public static partial class torch
{
    /// <summary>Kinds of device; values are libtorch's c10::DeviceType codes.</summary>
    public enum DeviceType
    {
        /// <summary>Host memory and CPU kernels.</summary>
        CPU = 0,
        /// <summary>An NVIDIA GPU through CUDA.</summary>
        CUDA = 1,
    }

    /// <summary>Where a tensor lives: a device type and, for CUDA, an index (-1 = current).</summary>
    public sealed record Device(DeviceType type, int index = -1)
    {
        /// <summary>Parses "cpu", "cuda" or "cuda:1".</summary>
        public static Device Parse(string spec)
        {
            ArgumentNullException.ThrowIfNull(spec);
            var s = spec.Trim().ToLowerInvariant();
            if (s == "cpu") return CPU;
            if (s == "cuda") return CUDA;
            if (s.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(s[5..], out var i) && i >= 0) return new Device(DeviceType.CUDA, i);
            throw new ArgumentException($"Unknown device '{spec}'; expected \"cpu\", \"cuda\" or \"cuda:N\".", nameof(spec));
        }

        /// <summary>PyTorch spelling: "cpu", "cuda", "cuda:1".</summary>
        public override string ToString() => type == DeviceType.CPU ? "cpu" : index < 0 ? "cuda" : $"cuda:{index}";

        /// <summary>Throws a clear exception when this device cannot be used with the loaded libtorch.</summary>
        internal Device EnsureAvailable()
        {
            if (type == DeviceType.CUDA && !cuda.is_available())
                throw new NotSupportedException(
                    $"Device '{this}' was requested, but the loaded libtorch has no usable CUDA ({cuda.Describe()}). " +
                    "Use a CUDA build of libtorch (set LIBTORCH to an official CUDA archive or a Python torch CUDA installation and rebuild), or use \"cpu\".");
            if (type == DeviceType.CUDA && index >= cuda.device_count())
                throw new ArgumentException($"Device '{this}' does not exist: {cuda.device_count()} CUDA device(s) are visible.");
            return this;
        }
    }

    /// <summary>The host CPU.</summary>
    public static readonly Device CPU = new(DeviceType.CPU);

    /// <summary>The current CUDA device.</summary>
    public static readonly Device CUDA = new(DeviceType.CUDA);

    /// <summary>torch.device("cuda:0") and friends.</summary>
    public static Device device(string spec) => Device.Parse(spec);

    /// <summary>CUDA queries.</summary>
    public static class cuda
    {
        /// <summary>True when the loaded libtorch was built with CUDA and sees a GPU.</summary>
        public static unsafe bool is_available()
        {
            int r;
            Status.Check(NativeMethods.fk_cuda_is_available(&r));
            return r != 0;
        }

        /// <summary>Number of visible CUDA devices (0 on CPU builds).</summary>
        public static unsafe int device_count()
        {
            int r;
            Status.Check(NativeMethods.fk_cuda_device_count(&r));
            return r;
        }

        /// <summary>Waits for all kernels on a device to finish (for timing).</summary>
        public static void synchronize(int device = 0)
        {
            new Device(DeviceType.CUDA, device).EnsureAvailable();
            Status.Check(NativeMethods.fk_cuda_synchronize(device));
        }

        internal static string Describe() =>
            build_info().TryGetValue("cuda_compiled", out var c) && c == "1" ? "CUDA build, but no GPU is visible" : "this is a CPU-only build";
    }
}
