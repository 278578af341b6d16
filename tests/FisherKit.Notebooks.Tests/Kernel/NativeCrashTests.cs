using FisherKit.Notebooks.Execution;
using FisherKit.Notebooks.Kernel;

namespace FisherKit.Notebooks.Tests.Kernel;

/// <summary>Reading a crash message, the marker lines of the kernel's native stderr file, the notice the
/// restarted kernel shows, and which kernelspec launcher a build gets.</summary>
public sealed class NativeCrashTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_summary_is_libtorchs_what_text_without_location_and_stack()
    {
        var text = "some warning\n" + NativeCrashCells.LibtorchMessage("mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)");
        Assert.Equal("mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)", NativeCrashText.Summary(text));
        // A multi-line what() text is kept whole.
        Assert.Equal("first line\nsecond line", NativeCrashText.Summary("terminate called after throwing an instance of 'c10::Error'\n  what():  first line\nsecond line\nException raised from x\nframe #0: y\n"));
        Assert.Equal("Process terminated. native abort simulated", NativeCrashText.Summary("Process terminated. native abort simulated\n   at Program.Main()\n"));
        // Environment.FailFast in .NET 10: the message on the line after "Process terminated.".
        Assert.Equal("Process terminated. native abort simulated", NativeCrashText.Summary("before\nProcess terminated.\nnative abort simulated\n   at System.Environment.FailFast(System.String)\n"));
        Assert.Equal("last words", NativeCrashText.Summary("a\nlast words\n\n"));
        // .NET's stack overflow report: the recursing frame, not the last line of the stack.
        const string overflow = "Stack overflow.\nRepeated 261761 times:\n--------------------------------\n   at Submission#0.F(Int32)\n--------------------------------\n   at Submission#0.<Initialize>()\n   at System.Threading.Thread.StartCallback()\n";
        Assert.True(NativeCrashText.StartsCrash("Stack overflow."));
        Assert.Equal("Stack overflow. Repeated 261761 times: at Submission#0.F(Int32)", NativeCrashText.Summary("progress\n" + overflow));
        Assert.StartsWith("The kernel process ended with a stack overflow (a recursion without end?) while running a cell",
            new NativeCrashReport(true, "In [3]", overflow, 1, DateTime.Now).Notice());
        Assert.Null(NativeCrashText.Summary(" \n"));
    }

    [Fact]
    public void The_excerpt_starts_at_the_crash_and_omits_most_of_the_stack()
    {
        var text = string.Concat(Enumerable.Range(0, 30).Select(i => $"progress {i}\n")) + NativeCrashCells.LibtorchMessage("boom");
        var excerpt = NativeCrashText.Excerpt(text);
        Assert.StartsWith("… (30 earlier lines omitted)\nterminate called after throwing an instance of 'c10::Error'\n  what():  boom\n", excerpt);
        Assert.EndsWith("… (38 more lines omitted)", excerpt);
    }

    [Fact]
    public void Markers_are_removed_and_the_last_one_tells_the_state()
    {
        const string Token = "\u001e[fisherkit-kernel] ";
        var content = $"{Token}idle (kernel process 12 started)\nwarn\n{Token}cell In [3]\npartial {Token}idle\nline\n{Token}cell In [4]\nterminate called\n  what():  x\n";
        Assert.Equal("warn\npartial line\nterminate called\n  what():  x\n", NativeStderr.StripMarkers(content));
        var (state, text) = NativeStderr.LastState(content);
        Assert.Equal("cell In [4]", state);
        Assert.Equal("terminate called\n  what():  x\n", text);
        Assert.Equal(("idle", ""), NativeStderr.LastState($"x\n{Token}idle\n"));
        Assert.Equal(((string?)null, "no marker"), NativeStderr.LastState("no marker"));
    }

    [Fact]
    public void The_notice_names_the_crash_quotes_the_text_and_says_the_state_is_gone()
    {
        var report = new NativeCrashReport(true, "In [7]", NativeCrashCells.LibtorchMessage("mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)"), 4242, new DateTime(2026, 1, 2, 3, 4, 5));
        var notice = report.Notice();
        Assert.StartsWith("The kernel process ended in native code while running a cell (this kernel is a fresh process; variables are gone): " +
                          "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)\n", notice);
        Assert.Contains("What the ended process (pid 4242) wrote to stderr while running In [7], at 03:04:05:\nterminate called after throwing", notice);
        Assert.Contains("more lines omitted", notice);

        var between = new NativeCrashReport(false, null, "Unhandled exception. System.InvalidOperationException: from a thread\n   at X()\n", 1, DateTime.Now).Notice();
        Assert.StartsWith("The kernel process ended with an unhandled exception on a thread of its own while no cell was running", between);
        Assert.Contains("System.InvalidOperationException: from a thread", between);

        var silent = new NativeCrashReport(true, "In [2]", "", 1, DateTime.Now).Notice();
        Assert.StartsWith("The kernel process ended while running a cell without a message: it was killed (out of memory, or by a signal)", silent);
    }

    [Fact]
    public void A_repository_release_build_gets_the_fisherkit_script_and_other_builds_the_dotnet_host()
    {
        var root = _dir.File("repo");
        var dll = Path.Combine(root, "out", "bin", "FisherKit.Notebooks", "Release", "net10.0", "FisherKit.Notebooks.dll");
        Directory.CreateDirectory(Path.GetDirectoryName(dll)!);
        File.WriteAllText(dll, "");
        File.WriteAllText(Path.Combine(root, "FisherKit.sln"), "");
        var script = Path.Combine(root, "fisherkit");
        File.WriteAllText(script, "#!/usr/bin/env bash\n");
        if (OperatingSystem.IsWindows()) return; // the script is a bash script: never used on Windows
        var dotnetOnPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(d => d.Length > 0 && File.Exists(Path.Combine(d, "dotnet")));

        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.Null(KernelSpec.RepositoryScript(dll)); // not executable
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (dotnetOnPath)
        {
            Assert.Equal(script, KernelSpec.RepositoryScript(dll));
            Assert.Equal([script], KernelSpec.Launcher(dll));
        }

        // A Debug build, a copy elsewhere (a test folder, FK_OUT), or no solution next to the script: the dotnet host and the dll.
        var debug = Path.Combine(root, "out", "bin", "FisherKit.Notebooks", "Debug", "net10.0", "FisherKit.Notebooks.dll");
        Assert.Null(KernelSpec.RepositoryScript(debug));
        Assert.Null(KernelSpec.RepositoryScript(Path.Combine(root, "out", "bin", "FisherKit.Notebooks.Tests", "Release", "net10.0", "FisherKit.Notebooks.dll")));
        File.Delete(Path.Combine(root, "FisherKit.sln"));
        Assert.Null(KernelSpec.RepositoryScript(dll));
        var direct = KernelSpec.Launcher(dll);
        Assert.Equal(dll, direct[^1]);
    }
}
