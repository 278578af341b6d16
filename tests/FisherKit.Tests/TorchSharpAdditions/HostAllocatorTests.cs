using System.Globalization;

namespace FisherKit.Tests.TorchSharpAdditions;

/// <summary>
/// HostAllocator: FisherKit applies its settings when first used (this test process included) unless
/// told not to; the settings take effect (large tensors freed and allocated again come back without
/// page faults, where glibc's static defaults fault every page in again), and values glibc cannot
/// take are refused. The test that sets glibc's static defaults puts FisherKit's settings back when
/// it ends. Counts page faults of the whole process, so it runs in the LeakChecks collection, alone.
/// </summary>
[Collection(LeakChecks.Name)]
public class HostAllocatorTests
{
    private static long MinorFaults()
    {
        // /proc/self/stat: minflt is the 10th field, the 8th after the parenthesised command name.
        var stat = File.ReadAllText("/proc/self/stat");
        return long.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[7], CultureInfo.InvariantCulture);
    }

    /// <summary>Minor page faults of 20 rounds that allocate three 8 MiB tensors and free them.</summary>
    private static long FaultsOfAllocationRounds()
    {
        const long elements = 2L << 20;                                   // 8 MiB of float32
        for (int i = 0; i < 2; i++)
            using (var a = ones(elements)) using (var b = ones(elements)) using (var c = ones(elements)) { }
        long before = MinorFaults();
        for (int i = 0; i < 20; i++)
            using (var a = ones(elements)) using (var b = ones(elements)) using (var c = ones(elements)) { }
        return MinorFaults() - before;
    }

    [Fact]
    public void With_FisherKits_settings_freed_tensors_come_back_without_page_faults()
    {
        if (!OperatingSystem.IsLinux()) return;
        const long pagesPerRound = 3 * (8L << 20) / 4096;                 // 6,144 pages of 4 KiB
        bool tunedBefore = HostAllocator.Configured;
        try
        {
            // glibc's static defaults (128 KiB mmap and trim thresholds, no top pad): every tensor is a
            // fresh mapping, faulted in page by page.
            Assert.True(HostAllocator.Configure(trimThreshold: 128 << 10, mmapThreshold: 128 << 10, topPad: 0));
            var untuned = FaultsOfAllocationRounds();
            Assert.True(HostAllocator.Configure());
            var tuned = FaultsOfAllocationRounds();
            // The claim: with FisherKit's settings freed tensors are mostly reused without faulting pages in
            // again. Not always all (seen once in six runs: 16,390 faults for 20 rounds, about an eighth of
            // the pages), probably because the test runs on a pool thread, whose glibc arena can release a
            // heap of its own once it is empty.
            Assert.True(tuned < 20 * pagesPerRound / 4, $"FisherKit's settings: {tuned} faults for 20 rounds of {pagesPerRound} pages");
            // The comparison only means something where glibc's defaults did fault in this process: a
            // run seen in CI reused the mappings even with them (4 faults), which says nothing about the settings.
            if (untuned >= 20 * pagesPerRound / 8)
                Assert.True(tuned * 4 < untuned, $"FisherKit's settings: {tuned} faults for 20 rounds of {pagesPerRound} pages; glibc's defaults: {untuned}");
        }
        finally
        {
            // Back to what the process had: FisherKit's settings, or glibc's static defaults.
            if (tunedBefore) HostAllocator.Configure();
            else HostAllocator.Configure(trimThreshold: 128 << 10, mmapThreshold: 128 << 10, topPad: 0);
        }
    }

    [Fact]
    public void FisherKit_applies_its_settings_on_first_use_and_says_so()
    {
        // FisherKit's start-up (its module initializer, TorchEngine.Prepare) has decided before any test runs.
        Assert.NotNull(HostAllocator.Diagnosis);
        var expected = HostAllocator.Decide(HostAllocator.Switch(Environment.GetEnvironmentVariable("FISHERKIT_MALLOC")), Environment.GetEnvironmentVariable);
        if (expected is not null) Assert.Equal(expected, HostAllocator.Diagnosis);
        else if (OperatingSystem.IsLinux() && System.Runtime.InteropServices.NativeLibrary.TryLoad("libc.so.6", out var libc)
                 && System.Runtime.InteropServices.NativeLibrary.TryGetExport(libc, "gnu_get_libc_version", out _))   // glibc
            Assert.Equal("glibc's allocator keeps freed memory for reuse (FISHERKIT_MALLOC=keep leaves its defaults)", HostAllocator.Diagnosis);
        Assert.Equal(HostAllocator.Configured, HostAllocator.EnsureConfigured());
        Assert.Contains(HostAllocator.Diagnosis!, TorchEngine.Describe());
    }

    [Theory]
    [InlineData(null, null, null)]
    [InlineData("tune", null, null)]
    [InlineData(" Tune ", null, null)]
    [InlineData("keep", null, "glibc's allocator left as it is (FISHERKIT_MALLOC=keep)")]
    [InlineData("KEEP", "MALLOC_TOP_PAD_", "glibc's allocator left as it is (FISHERKIT_MALLOC=keep)")]
    [InlineData("off", null, "glibc's allocator left as it is: FISHERKIT_MALLOC=\"off\" is neither tune nor keep")]
    [InlineData(null, "MALLOC_MMAP_THRESHOLD_", "glibc's allocator left to this process's own settings (MALLOC_MMAP_THRESHOLD_)")]
    [InlineData("tune", "MALLOC_TRIM_THRESHOLD_", "glibc's allocator left to this process's own settings (MALLOC_TRIM_THRESHOLD_)")]
    [InlineData(null, "MALLOC_PERTURB_", null)]
    public void The_process_can_keep_glibcs_defaults_or_its_own_settings(string? mode, string? setVariable, string? expected)
    {
        string? Variable(string name) => name == setVariable ? "1048576" : null;
        Assert.Equal(expected, HostAllocator.Decide(HostAllocator.Switch(mode), Variable));
    }

    [Fact]
    public void Malloc_tunables_of_the_same_settings_count_as_the_processs_own_and_others_do_not()
    {
        Assert.Equal("glibc's allocator left to this process's own settings (GLIBC_TUNABLES)",
            HostAllocator.Decide(HostAllocator.Switch(null), v => v == "GLIBC_TUNABLES" ? "glibc.pthread.rseq=0:glibc.malloc.trim_threshold=0" : null));
        Assert.Null(HostAllocator.Decide(HostAllocator.Switch(null), v => v == "GLIBC_TUNABLES" ? "glibc.pthread.rseq=0" : null));
        Assert.Null(HostAllocator.Decide(HostAllocator.Switch(null), v => v == "GLIBC_TUNABLES" ? "glibc.malloc.perturb=165:glibc.malloc.arena_max=2" : null));
    }

    [Fact]
    public void Values_glibc_cannot_take_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => HostAllocator.Configure(mmapThreshold: 64L << 20));
        Assert.Throws<ArgumentOutOfRangeException>(() => HostAllocator.Configure(trimThreshold: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => HostAllocator.Configure(topPad: 4L << 30));
    }
}
