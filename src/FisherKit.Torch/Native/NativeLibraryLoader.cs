using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FisherKit.Torch.Native;

/// <summary>
/// Finds and loads libfisherkit_native (and through it libtorch) on first use, and checks that the
/// library speaks the ABI this assembly was built for. Failures become one exception that says
/// what is missing and how to install it.
/// </summary>
internal static class NativeLibraryLoader
{
    internal const int ExpectedAbiVersion = 3;
    internal const string FileName = "libfisherkit_native.so";

    // A library must register its resolver before its first P/Invoke; a module initializer is the
    // one place that is guaranteed to run first.
#pragma warning disable CA2255
    [ModuleInitializer]
    internal static void Register() =>
        NativeLibrary.SetDllImportResolver(typeof(NativeLibraryLoader).Assembly, Resolve);
#pragma warning restore CA2255

    private static IntPtr _handle;
    private static readonly object Gate = new();

    /// <summary>True once the C library's allocator was configured to keep freed memory (see torch.ConfigureHostAllocator).</summary>
    internal static bool HostAllocatorTuned { get; set; }

    /// <summary>The file the native library was loaded from (null before the first native call).</summary>
    internal static string? LoadedPath { get; private set; }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path)
    {
        if (name != NativeMethods.Lib) return IntPtr.Zero;
        lock (Gate)
        {
            if (_handle != IntPtr.Zero) return _handle;
            _handle = Load();
            return _handle;
        }
    }

    /// <summary>Candidate locations, most specific first.</summary>
    internal static IEnumerable<string> Candidates()
    {
        var env = Environment.GetEnvironmentVariable("FISHERKIT_NATIVE_PATH");
        if (!string.IsNullOrEmpty(env)) yield return env;
        yield return Path.Combine(AppContext.BaseDirectory, FileName);
        var asmDir = Path.GetDirectoryName(typeof(NativeLibraryLoader).Assembly.Location);
        if (!string.IsNullOrEmpty(asmDir)) yield return Path.Combine(asmDir, FileName);
    }

    private static unsafe IntPtr Load()
    {
        var tried = new List<string>();
        foreach (var candidate in Candidates().Distinct())
        {
            if (!File.Exists(candidate)) { tried.Add($"{candidate} (not found)"); continue; }
            IntPtr h;
            try { h = NativeLibrary.Load(candidate); }
            catch (DllNotFoundException e)
            {
                // The file exists, so a dependency (libtorch, libopenblas) is missing: say so.
                throw new DllNotFoundException(
                    $"FisherKit could not load its native library {candidate}: {e.Message}. " +
                    "Most likely libtorch is not installed or not on the loader path: run environment/setup.sh " +
                    "(installs Debian's libtorch-dev and OpenBLAS), or, for your own libtorch, add its lib folder to LD_LIBRARY_PATH.", e);
            }
            var abi = ((delegate* unmanaged<int>)NativeLibrary.GetExport(h, "fk_abi_version"))();
            if (abi != ExpectedAbiVersion)
                throw new DllNotFoundException(
                    $"FisherKit's native library {candidate} speaks ABI version {abi}, but this FisherKit.Torch needs {ExpectedAbiVersion}. " +
                    "Rebuild the solution (dotnet build) so that the library and the assembly come from the same sources.");
            LoadedPath = candidate;
            if (Environment.GetEnvironmentVariable("FISHERKIT_MALLOC_TUNING") != "0")
            {
                int applied;
                var tune = (delegate* unmanaged<long, long, long, int*, int>)NativeLibrary.GetExport(h, "fk_malloc_tune");
                HostAllocatorTuned = tune(torch.DefaultTrimThreshold, torch.DefaultMmapThreshold, torch.DefaultTopPad, &applied) == 0 && applied == 1;
            }
            return h;
        }
        throw new DllNotFoundException(
            $"FisherKit's native library {FileName} was not found. Tried: {string.Join("; ", tried)}. " +
            "Build the solution (dotnet build builds it) after running environment/setup.sh, or set FISHERKIT_NATIVE_PATH to the file.");
    }
}
