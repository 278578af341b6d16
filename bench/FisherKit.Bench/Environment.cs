using System.Diagnostics;
using System.Runtime.InteropServices;
using static FisherKit.Torch.torch;

namespace FisherKit.Bench;

/// <summary>What the numbers were measured on: machine, load, runtimes, libraries, commit.</summary>
internal static class EnvironmentRecord
{
    /// <summary>
    /// Gives a PyTorch process the glibc allocator settings FisherKit uses for itself
    /// (torch.ConfigureHostAllocator), so that page faults from returning and refaulting large
    /// freed blocks do not decide a comparison.
    /// </summary>
    internal static void UseFisherKitMallocSettings(ProcessStartInfo psi)
    {
        psi.Environment["MALLOC_TRIM_THRESHOLD_"] = $"{DefaultTrimThreshold}";
        psi.Environment["MALLOC_MMAP_THRESHOLD_"] = $"{DefaultMmapThreshold}";
        psi.Environment["MALLOC_TOP_PAD_"] = $"{DefaultTopPad}";
    }

    /// <summary>
    /// OpenBLAS keeps its own thread pool, which libtorch's thread setting does not reach; both
    /// benchmarks give it the same count as PyTorch (which gets OPENBLAS_NUM_THREADS). False when
    /// OpenBLAS is not loaded.
    /// </summary>
    internal static unsafe bool SetOpenBlasThreads(int n)
    {
        foreach (var name in new[] { "libopenblas.so.0", "libopenblasp.so.0", "libopenblas.so" })
            if (NativeLibrary.TryLoad(name, out var h) && NativeLibrary.TryGetExport(h, "openblas_set_num_threads", out var f))
            {
                ((delegate* unmanaged<int, void>)f)(n);
                return true;
            }
        return false;
    }

    internal static Dictionary<string, object?> Collect(int threads, string repoRoot)
    {
        var info = build_info();
        return new Dictionary<string, object?>
        {
            ["date_utc"] = DateTime.UtcNow.ToString("O"),
            ["cpu_model"] = ReadField("/proc/cpuinfo", "model name"),
            ["logical_cores"] = Environment.ProcessorCount,
            ["memory_total"] = ReadField("/proc/meminfo", "MemTotal"),
            ["load_average_at_start"] = Read("/proc/loadavg"),
            ["os"] = RuntimeInformation.OSDescription,
            ["dotnet"] = RuntimeInformation.FrameworkDescription,
            ["libtorch"] = info.GetValueOrDefault("torch_version"),
            ["libtorch_location"] = info.GetValueOrDefault("torch_location"),
            ["openmp"] = info.GetValueOrDefault("openmp"),
            ["mkldnn"] = info.GetValueOrDefault("mkldnn"),
            ["blas_library"] = ResolveLink("/etc/alternatives/libblas.so.3-x86_64-linux-gnu"),
            ["threads"] = threads,
            ["git_commit"] = Git(repoRoot, "rev-parse", "HEAD"),
            ["git_dirty"] = Git(repoRoot, "status", "--porcelain") is { Length: > 0 },
        };
    }

    internal static string? Read(string path) => File.Exists(path) ? File.ReadAllText(path).Trim() : null;

    private static string? ReadField(string path, string key)
    {
        if (!File.Exists(path)) return null;
        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
        return line?[(line.IndexOf(':') + 1)..].Trim();
    }

    private static string? ResolveLink(string path)
    {
        try { return new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? (File.Exists(path) ? path : null); }
        catch (IOException) { return null; }
    }

    private static string? Git(string root, params string[] args)
    {
        try
        {
            var psi = new ProcessStartInfo("git") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in args) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            var text = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            return p.ExitCode == 0 ? text : null;
        }
        catch (System.ComponentModel.Win32Exception) { return null; }
    }
}
