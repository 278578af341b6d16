using System.Runtime.InteropServices;

namespace FisherKit.TorchSharpAdditions;

/// <summary>
/// glibc's malloc settings for tensor work on the CPU. By default glibc returns the memory of large
/// freed blocks to the operating system and faults it back in, page by page, at the next allocation;
/// a training step or a batch of per-input Fisher computations frees and reallocates megabytes of
/// activations, gradients and temporaries, so with the defaults a good part of each step is page
/// faults. Measured with TorchSharp 0.107 (libtorch 2.10) and the benchmark CNN
/// (<c>bench/FisherKit.Bench kernels</c>, on a shared machine): 2,600–4,600 minor page faults per
/// batch-64 training step and about 26,000 per Hessian-vector product with the defaults, about 300
/// and 120 with these settings.
/// </summary>
/// <remarks>
/// <para>
/// FisherKit applies the settings when it is first used in a process (<see cref="EnsureConfigured"/>,
/// from <see cref="TorchEngine.Prepare"/>), on Linux with glibc, unless the environment variable
/// <c>FISHERKIT_MALLOC=keep</c> is set or the process brings its own malloc settings (glibc's
/// <c>MALLOC_TRIM_THRESHOLD_</c>, <c>MALLOC_MMAP_THRESHOLD_</c>, <c>MALLOC_TOP_PAD_</c> or the
/// <c>glibc.malloc</c> tunables of the same settings). Where another allocator is preloaded (jemalloc,
/// tcmalloc), glibc's settings change nothing, although <see cref="Diagnosis"/> says they were applied. The settings are process-wide and the process keeps up to the trim
/// threshold of freed memory for reuse instead of returning it at once.
/// </para>
/// <para>
/// Why by default. With glibc's defaults the cost of a step depends on the process's history: glibc
/// raises its mmap threshold only after a large block has been freed, so a process that has not freed
/// one yet maps and faults in every large temporary anew. The benchmark's "glibc allocator" rows
/// (<c>bench/FisherKit.Bench kernels --only malloc</c>, tabled in <c>bench/README.md</c>) compare the two
/// in fresh processes with page faults per step: a batch-1 training step as the process's first work
/// gains most; batched calls whose buffers exceed glibc's largest threshold gain less, and FisherKit
/// sizes its own below it (<see cref="ConvolutionWorkspace"/>).
/// Notebooks 01 and 03 gave the same outputs with and without the settings, but for measured times.
/// </para>
/// <para>
/// Memory reused from the heap is not zeroed like fresh pages, so a kernel that read memory it never
/// wrote would stop getting zeros. libtorch 2.10's oneDNN convolution input gradient does on some CPUs
/// (see <see cref="OneDnn"/>, switched off by default): with these settings its fault struck much
/// sooner in a small training run. With oneDNN off, the whole FisherKit.Tests suite passes with these
/// settings and glibc's <c>MALLOC_PERTURB_</c>, which fills every allocated block with non-zero bytes,
/// and the test command runs the test projects that way, so such a read in what the tests cover fails a
/// test instead of going unnoticed. NaN losses seen earlier in four training tests with these settings
/// came from processes in which oneDNN was kept on after a check that its intermittent fault can slip
/// through; they have not recurred with oneDNN off.
/// </para>
/// </remarks>
public static class HostAllocator
{
    /// <summary>Freed memory at the top of the heap kept for reuse before glibc returns it: 256 MiB.</summary>
    public const long DefaultTrimThreshold = 256L << 20;

    /// <summary>Blocks below this size come from the heap, not from their own mapping: 32 MiB (glibc's maximum).</summary>
    public const long DefaultMmapThreshold = 32L << 20;

    /// <summary>Extra memory requested whenever the heap grows: 16 MiB.</summary>
    public const long DefaultTopPad = 16L << 20;

    private const int M_TRIM_THRESHOLD = -1, M_TOP_PAD = -2, M_MMAP_THRESHOLD = -3;
    private const long GlibcMaxMmapThreshold = 32L << 20;   // DEFAULT_MMAP_THRESHOLD_MAX on 64-bit glibc

    /// <summary>Whether <see cref="Configure"/> changed glibc's settings in this process.</summary>
    public static bool Configured { get; private set; }

    /// <summary>What <see cref="EnsureConfigured"/> did, in words that do not change from run to run (null before it ran).</summary>
    public static string? Diagnosis { get; private set; }

    /// <summary>The environment variables by which a process sets glibc's malloc itself; FisherKit then leaves it alone.</summary>
    internal static readonly string[] GlibcVariables = ["MALLOC_TRIM_THRESHOLD_", "MALLOC_MMAP_THRESHOLD_", "MALLOC_TOP_PAD_"];

    /// <summary>The glibc tunables that set what <see cref="Configure"/> sets (others, such as perturb or arena_max, do not count).</summary>
    private static readonly string[] TunedMallocSettings = ["glibc.malloc.trim_threshold", "glibc.malloc.mmap_threshold", "glibc.malloc.top_pad"];

    private static readonly object Gate = new();

    /// <summary>
    /// Once per process (FisherKit calls it when first used): applies <see cref="Configure"/>'s default
    /// settings, unless <c>FISHERKIT_MALLOC=keep</c> is set or the process sets glibc's malloc itself
    /// (<c>MALLOC_TRIM_THRESHOLD_</c>, <c>MALLOC_MMAP_THRESHOLD_</c>, <c>MALLOC_TOP_PAD_</c>, or
    /// <c>glibc.malloc.trim_threshold</c>, <c>mmap_threshold</c> or <c>top_pad</c> in <c>GLIBC_TUNABLES</c>). Returns whether the settings are applied;
    /// <see cref="Diagnosis"/> says why not. Never throws.
    /// </summary>
    public static bool EnsureConfigured()
    {
        lock (Gate)
        {
            if (Diagnosis is not null) return Configured;   // decided before: every path below sets it
            var setting = Switch(Environment.GetEnvironmentVariable("FISHERKIT_MALLOC"));
            Diagnosis = Decide(setting, Environment.GetEnvironmentVariable);
            if (setting.Unknown is not null) EnvironmentSwitch.Warn(Diagnosis!);
            if (Diagnosis is not null) return false;
            bool applied;
            try { applied = Configure(); }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
            {
                applied = false;
            }
            Diagnosis = applied
                ? "glibc's allocator keeps freed memory for reuse (FISHERKIT_MALLOC=keep leaves its defaults)"
                : "glibc's allocator as it is (not glibc, or it refused the settings)";
            return applied;
        }
    }

    /// <summary>
    /// Why <see cref="EnsureConfigured"/> leaves the allocator alone, or null when it configures it:
    /// <paramref name="setting"/> is FISHERKIT_MALLOC (<see cref="Switch"/>), <paramref name="variable"/> reads the environment.
    /// </summary>
    internal static string? Decide(EnvironmentSwitch setting, Func<string, string?> variable)
    {
        if (setting.Mode == "keep") return "glibc's allocator left as it is (FISHERKIT_MALLOC=keep)";
        if (setting.Unknown is not null) return setting.Refusal("glibc's allocator left as it is");
        var own = GlibcVariables.Where(v => !string.IsNullOrEmpty(variable(v))).ToList();
        if (variable("GLIBC_TUNABLES") is { } tunables && TunedMallocSettings.Any(t => tunables.Contains(t, StringComparison.Ordinal))) own.Add("GLIBC_TUNABLES");
        return own.Count > 0 ? $"glibc's allocator left to this process's own settings ({string.Join(", ", own)})" : null;
    }

    /// <summary>FISHERKIT_MALLOC's value <paramref name="mode"/>, read as the switch it is.</summary>
    internal static EnvironmentSwitch Switch(string? mode) => EnvironmentSwitch.Parse("FISHERKIT_MALLOC", mode, "tune", "keep");

    /// <summary>
    /// Sets glibc's trim threshold, mmap threshold and top pad (<c>mallopt</c>). Returns false where
    /// the C library is not glibc (Windows, macOS, musl) or glibc refused a value; throws for values
    /// glibc cannot take.
    /// </summary>
    /// <param name="trimThreshold">Bytes of free memory at the top of the heap kept before trimming (0 to 2 GiB).</param>
    /// <param name="mmapThreshold">Allocations at or above this size get their own mapping (0 to 32 MiB).</param>
    /// <param name="topPad">Bytes added to every heap growth (0 to 2 GiB).</param>
    /// <example>
    /// <code>
    /// HostAllocator.Configure();   // once, before the first tensor work, in a program that wants it
    /// </code>
    /// </example>
    public static unsafe bool Configure(long trimThreshold = DefaultTrimThreshold, long mmapThreshold = DefaultMmapThreshold, long topPad = DefaultTopPad)
    {
        if (trimThreshold is < 0 or > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(trimThreshold), trimThreshold, "The trim threshold must lie between 0 and 2 GiB.");
        if (mmapThreshold is < 0 or > GlibcMaxMmapThreshold)
            throw new ArgumentOutOfRangeException(nameof(mmapThreshold), mmapThreshold, "glibc takes mmap thresholds between 0 and 32 MiB.");
        if (topPad is < 0 or > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(topPad), topPad, "The top pad must lie between 0 and 2 GiB.");
        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad("libc.so.6", out var libc)) return false;
        // glibc exports gnu_get_libc_version; musl's mallopt is a stub that changes nothing.
        if (!NativeLibrary.TryGetExport(libc, "gnu_get_libc_version", out _) || !NativeLibrary.TryGetExport(libc, "mallopt", out var f)) return false;
        var mallopt = (delegate* unmanaged<int, int, int>)f;
        bool ok = mallopt(M_TRIM_THRESHOLD, (int)trimThreshold) == 1;
        ok &= mallopt(M_MMAP_THRESHOLD, (int)mmapThreshold) == 1;
        ok &= mallopt(M_TOP_PAD, (int)topPad) == 1;
        Configured |= ok;
        return ok;
    }
}
