using FisherKit.Torch.Native;

namespace FisherKit.Torch;

public static partial class torch
{
    /// <summary>Seeds the default generator of every device (same seed, same numbers on CPU).</summary>
    public static void manual_seed(long seed) => Status.Check(NativeMethods.fk_manual_seed(unchecked((ulong)seed)));

    /// <summary>Sets the number of threads libtorch uses inside one operation.</summary>
    public static void set_num_threads(int threads)
    {
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "set_num_threads needs at least one thread.");
        Status.Check(NativeMethods.fk_set_num_threads(threads));
    }

    /// <summary>The number of threads libtorch uses inside one operation.</summary>
    public static unsafe int get_num_threads()
    {
        int n;
        Status.Check(NativeMethods.fk_get_num_threads(&n));
        return n;
    }

    private static IReadOnlyDictionary<string, string>? _buildInfo;

    /// <summary>
    /// Facts about the loaded native library: libtorch version, whether CUDA was compiled in, BLAS
    /// and parallel back-ends, where libtorch was found, and libtorch's own configuration text.
    /// </summary>
    public static IReadOnlyDictionary<string, string> build_info()
    {
        if (_buildInfo is not null) return _buildInfo;
        Status.Check(NativeMethods.fk_build_info(out var p));
        var text = System.Runtime.InteropServices.Marshal.PtrToStringUTF8(p) ?? "";
        var d = new Dictionary<string, string>();
        var configAt = text.IndexOf("config=", StringComparison.Ordinal);
        foreach (var line in (configAt >= 0 ? text[..configAt] : text).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = line.IndexOf('=');
            if (eq > 0) d[line[..eq]] = line[(eq + 1)..];
        }
        if (configAt >= 0) d["config"] = text[(configAt + 7)..];
        return _buildInfo = d;
    }

    /// <summary>Freed memory glibc keeps at the top of the heap by default: 256 MiB (see <see cref="ConfigureHostAllocator"/>).</summary>
    public const long DefaultTrimThreshold = 256L << 20;

    /// <summary>Blocks below this size (32 MiB, glibc's maximum) come from the heap by default, larger ones from mmap.</summary>
    public const long DefaultMmapThreshold = 32L << 20;

    /// <summary>Extra bytes glibc requests whenever the heap grows, by default 16 MiB.</summary>
    public const long DefaultTopPad = 16L << 20;

    /// <summary>
    /// Configures the C library's allocator (glibc malloc) for tensor work. By default glibc hands the
    /// memory of freed large blocks back to the operating system and takes it back, page fault by page
    /// fault, on the next allocation; a training loop frees and reallocates its gradients and
    /// activations every step, so this costs thousands of page faults per step (measured: about half of
    /// a small CNN's step at batch 1). FisherKit applies the defaults when its native library loads,
    /// unless the environment variable FISHERKIT_MALLOC_TUNING is "0"; call this to choose other values.
    /// The settings are process-wide: up to <paramref name="trim_threshold"/> bytes of freed memory stay
    /// with the process. Returns false where the C library is not glibc or rejects a value.
    /// </summary>
    /// <param name="trim_threshold">Free memory at the top of the heap kept before trimming (bytes).</param>
    /// <param name="mmap_threshold">Allocations of at least this size use mmap (bytes, at most 32 MiB).</param>
    /// <param name="top_pad">Extra bytes requested from the OS when the heap grows.</param>
    public static unsafe bool ConfigureHostAllocator(long trim_threshold = DefaultTrimThreshold, long mmap_threshold = DefaultMmapThreshold, long top_pad = DefaultTopPad)
    {
        if (trim_threshold is < 0 or > int.MaxValue) throw new ArgumentOutOfRangeException(nameof(trim_threshold), trim_threshold, "Must lie in [0, 2^31).");
        if (mmap_threshold is < 0 or > 32L << 20) throw new ArgumentOutOfRangeException(nameof(mmap_threshold), mmap_threshold, "glibc accepts at most 32 MiB.");
        if (top_pad is < 0 or > int.MaxValue) throw new ArgumentOutOfRangeException(nameof(top_pad), top_pad, "Must lie in [0, 2^31).");
        int applied;
        Status.Check(NativeMethods.fk_malloc_tune(trim_threshold, mmap_threshold, top_pad, &applied));
        return NativeLibraryLoader.HostAllocatorTuned = applied == 1;
    }

    /// <summary>True when the host allocator runs with FisherKit's (or <see cref="ConfigureHostAllocator"/>'s) settings.</summary>
    public static bool HostAllocatorConfigured
    {
        get
        {
            _ = get_num_threads();   // make sure the native library is loaded
            return NativeLibraryLoader.HostAllocatorTuned;
        }
    }

    /// <summary>Live native tensor references held by .NET; tests use it to prove nothing leaks.</summary>
    public static long LiveTensorCount => TensorHandle.Live;

    /// <summary>Opens a scope that disposes the tensors created inside it (see <see cref="DisposeScope"/>).</summary>
    public static DisposeScope NewDisposeScope() => new();

    // ---- gradient mode ----

    /// <summary>True when operations are being recorded for autograd on this thread.</summary>
    public static unsafe bool is_grad_enabled()
    {
        int r;
        Status.Check(NativeMethods.fk_is_grad_enabled(&r));
        return r != 0;
    }

    /// <summary>Turns gradient recording on or off for this thread.</summary>
    public static void set_grad_enabled(bool on) => Status.Check(NativeMethods.fk_set_grad_enabled(on ? 1 : 0));

    /// <summary>Disables gradient recording until disposed, then restores the previous mode.</summary>
    /// <example><code>using (torch.no_grad()) { var y = model.forward(x); }</code></example>
    public static IDisposable no_grad() => new GradMode(false);

    /// <summary>Enables gradient recording until disposed, then restores the previous mode.</summary>
    public static IDisposable enable_grad() => new GradMode(true);

    internal static GradMode NoGradGuard() => new(false);

    internal sealed class GradMode : IDisposable
    {
        private readonly bool _previous;
        private bool _done;

        internal GradMode(bool enabled)
        {
            _previous = is_grad_enabled();
            set_grad_enabled(enabled);
        }

        public void Dispose()
        {
            if (_done) return;
            _done = true;
            set_grad_enabled(_previous);
        }
    }

    /// <summary>A random-number generator with its own state, for reproducible streams.</summary>
    public sealed class Generator : IDisposable
    {
        private readonly GeneratorHandle _handle;

        /// <summary>Creates a CPU (or CUDA) generator seeded with <paramref name="seed"/>.</summary>
        public Generator(long seed = 0, Device? device = null)
        {
            var dev = (device ?? CPU).EnsureAvailable();
            Status.Check(NativeMethods.fk_generator_new((int)dev.type, unchecked((ulong)seed), out var h));
            _handle = new GeneratorHandle(h);
        }

        /// <summary>Re-seeds the generator and returns it.</summary>
        public Generator manual_seed(long seed)
        {
            Status.Check(NativeMethods.fk_generator_manual_seed(Handle, unchecked((ulong)seed)));
            return this;
        }

        /// <summary>The seed the generator was last seeded with.</summary>
        public unsafe long initial_seed()
        {
            ulong s;
            Status.Check(NativeMethods.fk_generator_initial_seed(Handle, &s));
            return unchecked((long)s);
        }

        internal GeneratorHandle Handle
        {
            get
            {
                ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
                return _handle;
            }
        }

        internal static GeneratorHandle HandleOf(Generator? g) => g is null ? GeneratorHandle.Null : g.Handle;

        /// <summary>Releases the native generator.</summary>
        public void Dispose() => _handle.Dispose();
    }
}
