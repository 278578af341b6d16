using System.Diagnostics;

namespace FisherKit.Torch.Tests.Native;

/// <summary>
/// A broken native set-up gives one clear exception that says what to install, in a child process
/// (tests/FisherKit.Torch.LoadProbe) so that this test process keeps its working library.
/// </summary>
public class NativeLoadingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fisherkit-load-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string ProbeFolder()
    {
        var own = AppContext.BaseDirectory;
        var probe = own.Replace($"{Path.DirectorySeparatorChar}FisherKit.Torch.Tests{Path.DirectorySeparatorChar}",
                                $"{Path.DirectorySeparatorChar}FisherKit.Torch.LoadProbe{Path.DirectorySeparatorChar}", StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(probe, "FisherKit.Torch.LoadProbe.dll")), $"the load probe was not built at {probe}");
        return probe;
    }

    private static (int exitCode, string output) RunProbe(string folder, string? nativePath)
    {
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(folder, "FisherKit.Torch.LoadProbe.dll"));
        if (nativePath is null) psi.Environment.Remove("FISHERKIT_NATIVE_PATH");
        else psi.Environment["FISHERKIT_NATIVE_PATH"] = nativePath;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(120_000), "the probe did not finish within two minutes");
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    [Fact]
    public void The_probe_loads_the_built_library()
    {
        var (code, output) = RunProbe(ProbeFolder(), null);
        Assert.True(code == 0, output);
        Assert.StartsWith("ok 0", output);
    }

    [Fact]
    public void A_library_file_that_cannot_be_loaded_gives_a_message_saying_what_to_install()
    {
        var bad = Path.Combine(_dir, "libfisherkit_native.so");
        File.WriteAllText(bad, "this is not a shared library");
        var (code, output) = RunProbe(ProbeFolder(), bad);
        Assert.True(code == 3, output);
        Assert.Contains("System.DllNotFoundException", output);
        Assert.Contains(bad, output);
        Assert.Contains("libtorch", output);
        Assert.Contains("environment/setup.sh", output);
        Assert.DoesNotContain("Unhandled exception", output);
    }

    [Fact]
    public void A_missing_library_lists_the_places_tried_and_how_to_build_it()
    {
        // A copy of the probe without the native library beside it, and the variable pointing nowhere.
        var copy = Path.Combine(_dir, "probe");
        Directory.CreateDirectory(copy);
        foreach (var f in Directory.GetFiles(ProbeFolder()))
            if (Path.GetFileName(f) != "libfisherkit_native.so") File.Copy(f, Path.Combine(copy, Path.GetFileName(f)));
        var nowhere = Path.Combine(_dir, "nowhere", "libfisherkit_native.so");
        var (code, output) = RunProbe(copy, nowhere);
        Assert.True(code == 3, output);
        Assert.Contains("System.DllNotFoundException", output);
        Assert.Contains("was not found", output);
        Assert.Contains(nowhere + " (not found)", output);
        Assert.Contains("environment/setup.sh", output);
        Assert.Contains("FISHERKIT_NATIVE_PATH", output);
    }

    [Fact]
    public void A_library_of_another_ABI_version_is_refused_with_a_rebuild_hint()
    {
        var gxx = new[] { "/usr/bin/g++", "/usr/local/bin/g++" }.FirstOrDefault(File.Exists);
        if (gxx is null) { Console.WriteLine("skipped: g++ is not installed, so no stand-in library can be built"); return; }
        var src = Path.Combine(_dir, "fake.cpp");
        var lib = Path.Combine(_dir, "libfake.so");
        File.WriteAllText(src, "extern \"C\" int fk_abi_version() { return 999; }\n");
        using (var cc = Process.Start(gxx, ["-shared", "-fPIC", "-o", lib, src])!)
        {
            Assert.True(cc.WaitForExit(120_000));
            Assert.Equal(0, cc.ExitCode);
        }
        var (code, output) = RunProbe(ProbeFolder(), lib);
        Assert.True(code == 3, output);
        Assert.Contains("ABI version 999", output);
        Assert.Contains("dotnet build", output);
    }
}
