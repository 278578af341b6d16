using System.Diagnostics;
using System.Text;

namespace FisherKit.Interactive.Tests;

/// <summary>Python, Jupyter's client and child processes, as the tests use them.</summary>
internal static class Support
{
    public const string Python = "/usr/bin/python3";

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
            WorkingDirectory = workingDirectory ?? RepositoryPaths.Root,
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

/// <summary>A fact skipped, with the reason shown, where Jupyter's client is not installed.</summary>
public sealed class JupyterFactAttribute : FactAttribute
{
    public JupyterFactAttribute()
    {
        if (Support.JupyterMissing.Value is { } reason) Skip = reason;
    }
}
