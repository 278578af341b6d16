using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.TorchSharpAdditions;

/// <summary>
/// Prepares TorchSharp's native engine before its first use and says what it is. FisherKit does this
/// itself when it is first used in a process; a notebook calls <see cref="Describe"/> in its set-up
/// cell, before any other tensor code, so that both happen first there too.
/// </summary>
/// <example>
/// <code>
/// #r "nuget: TorchSharp-cpu, 0.107.0"
/// #r "../out/bin/FisherKit/Release/net10.0/FisherKit.dll"
/// FisherKit.TorchSharpAdditions.TorchEngine.Describe()   // TorchSharp 0.107.0, libtorch 2.10.0, CPU, 2 threads; oneDNN ...; glibc's allocator ...
/// </code>
/// </example>
public static class TorchEngine
{
    private static readonly object Gate = new();
    private static bool _prepared;

    /// <summary>What <see cref="Prepare"/> did about native libraries (null before it ran).</summary>
    public static string? NativeLibraries { get; private set; }

    /// <summary>
    /// Once per process, before TorchSharp loads libtorch: where TorchSharp runs from a NuGet package
    /// folder (notebook kernels load packages from there), loads that package set's own libtorch by
    /// full path; then checks oneDNN's convolutions (<see cref="OneDnn.EnsureCorrectConvolutions"/>).
    /// TorchSharp first looks for <c>libtorch_cpu.so</c> by bare name, which finds a system libtorch
    /// where one is installed (Debian's <c>libtorch-dev</c>, which <c>python3-torch</c> pulls in);
    /// TorchSharp's own library then fails with "undefined symbol". A library already loaded is what
    /// the loader returns for a bare name, so loading the package's copy first avoids that.
    /// Applications are not affected (their copies sit next to them). Then tunes glibc's allocator for
    /// tensor work (<see cref="HostAllocator.EnsureConfigured"/>; <c>FISHERKIT_MALLOC=keep</c> leaves it),
    /// before the first tensor is allocated. Never throws.
    /// </summary>
    public static void Prepare()
    {
        lock (Gate)
        {
            if (_prepared) return;
            _prepared = true;
            try { NativeLibraries = PreloadPackageLibTorch(); }
            catch (Exception e) when (e is DllNotFoundException or BadImageFormatException or IOException or UnauthorizedAccessException)
            {
                NativeLibraries = $"could not load the package's libtorch: {e.Message}";
            }
        }
        HostAllocator.EnsureConfigured();
        OneDnn.EnsureCorrectConvolutions();
    }

    /// <summary>
    /// One line on the engine: TorchSharp and libtorch versions, whether CUDA is available, CPU threads,
    /// what the oneDNN check found and what was done about glibc's allocator. Prepares the engine first.
    /// </summary>
    public static string Describe()
    {
        Prepare();
        var version = typeof(torch).Assembly.GetName().Version;
        var devices = cuda_is_available() ? $"CUDA available ({torch.cuda.device_count()} device(s))" : "CPU only";
        return $"TorchSharp {version?.ToString(3)}, libtorch {__version__}, {devices}, {get_num_threads()} CPU threads; {OneDnn.Diagnosis}; {HostAllocator.Diagnosis}";
    }

    private static string PreloadPackageLibTorch()
    {
        if (!OperatingSystem.IsLinux()) return "nothing to do on this operating system";
        // TorchSharp.dll in a package folder: <packages>/torchsharp/<version>/lib/<tfm>/TorchSharp.dll.
        var assembly = typeof(torch).Assembly.Location;
        var lib = Path.GetDirectoryName(assembly);
        var packages = lib is null ? null : Path.GetFullPath(Path.Combine(lib, "..", "..", "..", ".."));
        if (lib is null || packages is null || !string.Equals(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(lib)))), "torchsharp", StringComparison.OrdinalIgnoreCase))
            return "TorchSharp runs from an application folder; its libtorch is found next to it";
        // A CUDA backend brings its own libraries, which TorchSharp finds by full path; only the CPU set is pre-loaded.
        if (Directory.EnumerateDirectories(packages, "libtorch-cuda*").Any())
            return "a CUDA libtorch package is present; TorchSharp loads it itself";
        var native = Directory.EnumerateDirectories(packages, "libtorch-cpu-linux-x64")
            .SelectMany(Directory.EnumerateDirectories)
            .Select(v => Path.Combine(v, "runtimes", "linux-x64", "native"))
            .Where(d => File.Exists(Path.Combine(d, "libtorch_cpu.so")))
            .OrderByDescending(d => Version.TryParse(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(d)))), out var v) ? v : new Version())
            .FirstOrDefault();
        if (native is null) return "no libtorch-cpu-linux-x64 package found next to TorchSharp's";
        foreach (var name in new[] { "libc10.so", "libtorch_cpu.so", "libtorch.so" })
            NativeLibrary.Load(Path.Combine(native, name));
        return $"pre-loaded libtorch from {native}";
    }
}
