using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using static TorchSharp.torch;

namespace FisherKit.Bench;

/// <summary>What the numbers were measured on: machine, load, runtimes, libraries, commit.</summary>
internal static class EnvironmentRecord
{
    internal static Dictionary<string, object?> Collect(int threads, string repoRoot)
    {
        var packages = PackageVersions();
        return new Dictionary<string, object?>
        {
            ["date_utc"] = DateTime.UtcNow.ToString("O"),
            ["cpu_model"] = ReadField("/proc/cpuinfo", "model name"),
            ["cpu_flags_simd"] = CpuSimd(),
            ["logical_cores"] = Environment.ProcessorCount,
            ["memory_total"] = ReadField("/proc/meminfo", "MemTotal"),
            ["load_average_at_start"] = Read("/proc/loadavg"),
            ["os"] = RuntimeInformation.OSDescription,
            ["glibc"] = Marshal.PtrToStringAnsi(GnuGetLibcVersion()),
            ["dotnet"] = RuntimeInformation.FrameworkDescription,
            ["torchsharp"] = packages.GetValueOrDefault("TorchSharp"),
            ["torchsharp_backend"] = packages.Keys.FirstOrDefault(k => k.StartsWith("TorchSharp-", StringComparison.Ordinal)) is { } b ? $"{b} {packages[b]}" : null,
            ["libtorch"] = packages.Where(kv => kv.Key.StartsWith("libtorch-", StringComparison.Ordinal)).Select(kv => $"{kv.Key} {kv.Value}").FirstOrDefault(),
            ["libtorch_loaded_from"] = LoadedLibrary("libtorch_cpu.so"),
            ["blas"] = MklVersion() is { } mkl ? $"MKL (inside libtorch_cpu): {mkl}" : "unknown (no MKL symbols found)",
            ["openmp"] = LoadedLibrary("libgomp") ?? LoadedLibrary("libiomp"),
            ["threads"] = threads,
            ["glibc_malloc_configured_in_fisherkit_process"] = FisherKit.TorchSharpAdditions.HostAllocator.Configured,
            // libtorch's own switch for transparent huge pages in its CPU allocator (read at its first allocation), and the kernel's mode.
            ["libtorch_thp_mem_alloc_enable"] = Environment.GetEnvironmentVariable("THP_MEM_ALLOC_ENABLE"),
            ["kernel_transparent_hugepage"] = Read("/sys/kernel/mm/transparent_hugepage/enabled"),
            ["onednn_enabled"] = EngineFlags.OneDnnEnabled,
            ["onednn_diagnosis"] = EngineFlags.Diagnosis,
            ["git_commit"] = Git(repoRoot, "rev-parse", "HEAD"),
            ["git_dirty"] = Git(repoRoot, "status", "--porcelain", "--", "src", "bench") is { Length: > 0 },
        };
    }

    internal static string? Read(string path) => File.Exists(path) ? File.ReadAllText(path).Trim() : null;

    [DllImport("libc", EntryPoint = "gnu_get_libc_version")]
    private static extern IntPtr GnuGetLibcVersion();

    /// <summary>The versions of the TorchSharp and libtorch packages this application was built with (from its deps.json).</summary>
    private static Dictionary<string, string> PackageVersions()
    {
        var result = new Dictionary<string, string>();
        var deps = Path.Combine(AppContext.BaseDirectory, $"{typeof(EnvironmentRecord).Assembly.GetName().Name}.deps.json");
        if (!File.Exists(deps)) return result;
        using var doc = JsonDocument.Parse(File.ReadAllText(deps));
        if (!doc.RootElement.TryGetProperty("libraries", out var libs)) return result;
        foreach (var lib in libs.EnumerateObject())
        {
            var slash = lib.Name.IndexOf('/');
            if (slash < 0) continue;
            var name = lib.Name[..slash];
            if (name.StartsWith("TorchSharp", StringComparison.Ordinal) || name.StartsWith("libtorch", StringComparison.Ordinal))
                result[name] = lib.Name[(slash + 1)..];
        }
        return result;
    }

    /// <summary>MKL's version string, when libtorch carries MKL (TorchSharp's CPU libtorch links it statically).</summary>
    private static unsafe string? MklVersion()
    {
        using (zeros(1)) { }                                   // make sure libtorch is loaded
        var path = LoadedLibrary("libtorch_cpu.so");
        if (path is null || !NativeLibrary.TryLoad(path, out var h)) return null;
        if (!NativeLibrary.TryGetExport(h, "MKL_Get_Version_String", out var f)) return null;
        var buffer = new byte[256];
        fixed (byte* p = buffer) ((delegate* unmanaged<byte*, int, void>)f)(p, buffer.Length);
        return Encoding.ASCII.GetString(buffer).TrimEnd('\0').Trim();
    }

    /// <summary>The full path of a loaded shared library whose file name starts with <paramref name="prefix"/>.</summary>
    private static string? LoadedLibrary(string prefix)
    {
        if (!File.Exists("/proc/self/maps")) return null;
        foreach (var line in File.ReadLines("/proc/self/maps"))
        {
            var slash = line.IndexOf('/');
            if (slash < 0) continue;
            var path = line[slash..];
            if (Path.GetFileName(path).StartsWith(prefix, StringComparison.Ordinal)) return path;
        }
        return null;
    }

    private static string? CpuSimd()
    {
        var flags = ReadField("/proc/cpuinfo", "flags");
        return flags is null ? null : string.Join(' ', flags.Split(' ').Where(f => f is "avx2" or "fma" or "avx512f" or "avx512_bf16" or "avx512_vnni" or "amx_tile"));
    }

    private static string? ReadField(string path, string key)
    {
        if (!File.Exists(path)) return null;
        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
        return line?[(line.IndexOf(':') + 1)..].Trim();
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

/// <summary>Results files: bench/results/&lt;kind&gt;-&lt;UTC time&gt;.json (git-ignored).</summary>
internal static class Results
{
    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    internal static readonly JsonSerializerOptions Compact = new(Json) { WriteIndented = false };

    internal static string Write(string root, string kind, object result)
    {
        var dir = Path.Combine(root, "bench", "results");
        Directory.CreateDirectory(dir);
        var file = Path.Combine(dir, $"{kind}-{DateTime.UtcNow:yyyyMMdd-HHmmss}.json");
        var tmp = file + ".tmp";
        File.WriteAllText(tmp, JsonSerializer.Serialize(result, Json));
        File.Move(tmp, file, overwrite: true);
        return file;
    }
}
