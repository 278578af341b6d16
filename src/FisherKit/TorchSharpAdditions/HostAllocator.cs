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
/// Decision on libtorch 2.10 (TorchSharp 0.107): it still pays, and it stays opt-in. Measured in
/// separate processes, glibc's defaults against these settings, oneDNN off as FisherKit runs on CPUs
/// where oneDNN's gradients are wrong (<c>bench/FisherKit.Bench kernels --threads 1 --onednn off
/// --only malloc --rounds 3</c>, wall time per step, minimum over processes, shared machine at load
/// average 19): batch-64 training step 839 → 562 ms (ratio 0.67; minor page faults 27,500 → 20,900),
/// Hessian-vector product 2,618 → 2,121 ms (0.81; 73,500 → 63,000 faults), 256 inputs of the reduced
/// Fisher form 2,424 → 1,337 ms (0.55; 64,200 → 27,000), batch-1 step 14.9 → 15.8 ms (1.06, no
/// faults either way: noise). With oneDNN off many faults remain, because libtorch's own convolution
/// kernels allocate im2col buffers above glibc's largest mmap threshold (32 MiB), which are mapped
/// anew whatever the settings; with oneDNN on the settings took a batch-64 step from 4,600 faults to
/// 280 (earlier runs). In the kernels benchmark, a batch-64 training step took 92–96 ms of CPU time
/// with the settings against 354–434 ms without.
/// Opt-in: FisherKit does not call it by itself. The settings are process-wide (like glibc's
/// <c>MALLOC_TRIM_THRESHOLD_</c>, <c>MALLOC_MMAP_THRESHOLD_</c> and <c>MALLOC_TOP_PAD_</c> variables) and
/// cannot be undone: the process keeps up to the trim threshold of freed memory for reuse instead of
/// returning it at once. Reused memory is not zeroed the way fresh pages are, so kernels that read
/// memory they never wrote stop getting zeros: libtorch 2.10's oneDNN convolution input gradient on
/// some CPUs (see <see cref="OneDnn"/>) went wrong within 2 training steps with these settings
/// instead of after about 70 with glibc's defaults, and with oneDNN off four of FisherKit's training
/// tests produced NaN losses with these settings (their cause is not found yet). Use it where the
/// engine's kernels are known to be sound for the work, e.g. to measure (<c>bench/</c>).
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
