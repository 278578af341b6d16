using System.Diagnostics;
using System.Text;

namespace FisherKit.Interactive.Tests;

/// <summary>Paths, child processes and temporary folders the tests share.</summary>
internal static class Support
{
    public const string Python = "/usr/bin/python3";

    /// <summary>The repository root (holds FisherKit.sln).</summary>
    public static string RepositoryRoot
    {
        get
        {
            // Above the test assembly, or (when FK_OUT put the build elsewhere) above this source file.
            foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(ThisSourceFile())! })
                for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                    if (File.Exists(Path.Combine(dir.FullName, "FisherKit.sln"))) return dir.FullName;
            throw new DirectoryNotFoundException("FisherKit.sln not found above " + AppContext.BaseDirectory + " nor above " + ThisSourceFile());
        }
    }

    private static string ThisSourceFile([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;

    /// <summary>Why Jupyter's client cannot run here (Debian's python3-nbclient and python3-jupyter-client), or null.</summary>
    public static readonly Lazy<string?> JupyterMissing = new(() =>
    {
        if (!File.Exists(Python)) return $"{Python} is missing (environment/test.sh installs Jupyter's client); test skipped.";
        var (code, output) = Run(Python, ["-c", "import nbclient, nbformat, jupyter_client"], null, null, TimeSpan.FromSeconds(60));
        return code == 0 ? null : $"nbclient/jupyter_client missing (environment/test.sh installs them): {output.Trim()}; test skipped.";
    });

    /// <summary>Runs a program to its end; returns the exit code and stdout and stderr together.</summary>
    public static (int Code, string Output) Run(string file, IEnumerable<string> args, string? workingDirectory,
        IDictionary<string, string?>? environment, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepositoryRoot,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (environment is not null)
            foreach (var (k, v) in environment)
                if (v is null) psi.Environment.Remove(k); else psi.Environment[k] = v;
        using var p = new Process { StartInfo = psi };
        var output = new StringBuilder();
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            lock (output) return (-1, $"timed out after {timeout.TotalSeconds} s\n{output}");
        }
        p.WaitForExit();
        lock (output) return (p.ExitCode, output.ToString());
    }
}

/// <summary>A temporary folder, deleted afterwards.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "fisherkit-interactive-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>A fact skipped, with the reason shown, where Jupyter's client is not installed.</summary>
public sealed class JupyterFactAttribute : FactAttribute
{
    public JupyterFactAttribute()
    {
        if (Support.JupyterMissing.Value is { } reason) Skip = reason;
    }
}
