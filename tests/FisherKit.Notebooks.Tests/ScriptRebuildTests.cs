using FisherKit.Notebooks.Tests.Kernel;

namespace FisherKit.Notebooks.Tests;

/// <summary>
/// The repository's <c>./fisherkit</c> script rebuilds the library a notebook loads when one of its
/// sources changed, so a notebook never runs against a stale FisherKit.dll. Checked on a copy of the
/// scripts, sources and builds (timestamps kept), so the shared out/ folder is left alone.
/// </summary>
[Collection("engine")]
public sealed class ScriptRebuildTests : IDisposable
{
    private readonly TempFolder _copy = new();

    public void Dispose() => _copy.Dispose();

    [Fact]
    public async Task Touching_a_library_source_makes_the_next_run_rebuild_the_library_and_only_then()
    {
        var root = RepositoryPaths.Root;
        var built = Path.Combine(root, "out", "bin", "FisherKit", "Release", "net10.0", "FisherKit.dll");
        Assert.True(File.Exists(built), $"{built} is missing: build the solution in Release first.");
        foreach (var item in new[] { "fisherkit", "Directory.Build.props", "Directory.Build.targets", "global.json", "src", Path.Combine("out", "bin") })
            await CopyKeepingTimes(Path.Combine(root, item), Path.Combine(_copy.Path, item));
        var script = Path.Combine(_copy.Path, "fisherkit");

        var first = await Run(script);
        Assert.Equal(0, first.Code);
        Assert.DoesNotContain("building src/FisherKit ", first.Output);

        // Touch, do not edit: a newer timestamp on one library source is enough.
        var source = Path.Combine(_copy.Path, "src", "FisherKit", "Fisher", "PerInputFisher.cs");
        File.SetLastWriteTimeUtc(source, DateTime.UtcNow);
        var second = await Run(script);
        Assert.True(second.Code == 0, second.Output);
        Assert.Contains("fisherkit: building src/FisherKit (Release; src/FisherKit/Fisher/PerInputFisher.cs changed)", second.Output);
        Assert.True(File.GetLastWriteTimeUtc(Path.Combine(_copy.Path, "out", "bin", "FisherKit", "Release", "net10.0", "FisherKit.dll")) >= File.GetLastWriteTimeUtc(source));

        var third = await Run(script);
        Assert.Equal(0, third.Code);
        Assert.DoesNotContain("building", third.Output);
    }

    private static async Task<(int Code, string Output)> Run(string script)
    {
        using var run = new ChildProcess("bash", [script, "--help"], null, Path.GetDirectoryName(script));
        var code = await run.WaitAsync(TimeSpan.FromSeconds(300));
        return (code, run.Output);
    }

    /// <summary>cp -a: the copy keeps the modification times the script compares.</summary>
    private static async Task CopyKeepingTimes(string from, string to)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(to)!);
        using var cp = new ChildProcess("cp", ["-a", from, to]);
        Assert.Equal(0, await cp.WaitAsync(TimeSpan.FromSeconds(120)));
    }
}
