using System.Runtime.InteropServices;

namespace FisherKit.Notebooks.Execution;

/// <summary>
/// Loads libtorch's core libraries from a restored package by full path, before TorchSharp looks
/// for them. TorchSharp first opens <c>libtorch_cpu.so</c> by bare name; where a system libtorch is
/// installed (Debian's <c>libtorch-dev</c>, which <c>python3-torch</c> depends on) that finds the
/// system's version, and TorchSharp's own library then fails with "undefined symbol". A library
/// already loaded under that name is what the dynamic loader returns for a bare-name lookup, so
/// loading the package's copies first makes TorchSharp use its own libtorch with or without a system one.
/// </summary>
internal static class NativePreload
{
    /// <summary>In dependency order; only those present in a folder are loaded.</summary>
    private static readonly string[] LibTorchCore = ["libc10.so", "libc10_cuda.so", "libtorch_cpu.so", "libtorch_cuda.so", "libtorch.so"];

    private static readonly HashSet<string> Loaded = new(StringComparer.Ordinal);

    /// <summary>This platform's NuGet runtime identifier (<c>linux-x64</c>, <c>osx-arm64</c>, ...).</summary>
    internal static string RuntimeIdentifier
    {
        get
        {
            var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
            var arch = RuntimeInformation.OSArchitecture switch
            {
                Architecture.Arm64 => "arm64",
                Architecture.X86 => "x86",
                _ => "x64",
            };
            return $"{os}-{arch}";
        }
    }

    /// <summary>Loads the libtorch core libraries found in <paramref name="nativeFolders"/> (Linux only; elsewhere nothing is needed).</summary>
    /// <exception cref="DllNotFoundException">A library is there but cannot be loaded (the message says which and why).</exception>
    internal static void LibTorch(IEnumerable<string> nativeFolders)
    {
        if (!OperatingSystem.IsLinux()) return;
        foreach (var folder in nativeFolders)
            foreach (var name in LibTorchCore)
            {
                var path = Path.Combine(folder, name);
                if (!File.Exists(path) || Loaded.Contains(path)) continue;
                try { NativeLibrary.Load(path); }
                catch (DllNotFoundException e)
                {
                    throw new DllNotFoundException($"Could not load {path} from a restored package: {e.Message}", e);
                }
                Loaded.Add(path);
            }
    }
}
