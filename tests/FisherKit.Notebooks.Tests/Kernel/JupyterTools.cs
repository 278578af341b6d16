using System.Diagnostics;
using FisherKit.Notebooks.Kernel.Zmq;

namespace FisherKit.Notebooks.Tests.Kernel;

/// <summary>
/// What the kernel tests need from this machine: libzmq, and Debian's Python with jupyter_client,
/// nbclient, nbconvert and the classic notebook (environment/test.sh installs them through environment/setup.d/60-jupyter.sh).
/// A kernelspec for this build is installed into a temporary prefix, and Jupyter's folders point
/// into that temporary folder, so tests never touch the user's Jupyter set-up.
/// </summary>
internal static class JupyterTools
{
    public const string Python = "/usr/bin/python3";
    public const string Jupyter = "/usr/bin/jupyter";
    private const string Install = "environment/test.sh installs them: libzmq5, python3-jupyter-client, python3-nbclient, jupyter-nbconvert and jupyter-notebook (environment/setup.d/60-jupyter.sh with FK_TESTING=1)";

    private static readonly Lazy<string?> ClientProblem = new(() => Missing("jupyter_client", "nbclient", "nbconvert"));
    private static readonly Lazy<string?> NotebookProblem = new(() => Missing("notebook"));

    /// <summary>Why the kernel cannot run here (no libzmq), or null.</summary>
    public static string? KernelSkipReason => ZmqNative.IsAvailable ? null : $"libzmq is not installed ({Install}); kernel test skipped.";

    /// <summary>Why Jupyter's client cannot be used here, or null.</summary>
    public static string? ClientSkipReason => KernelSkipReason ?? ClientProblem.Value;

    /// <summary>Why the classic notebook server cannot be used here, or null.</summary>
    public static string? NotebookSkipReason => ClientSkipReason ?? NotebookProblem.Value;

    private static string? Missing(params string[] modules)
    {
        if (!File.Exists(Python)) return $"{Python} is not installed ({Install}); Jupyter test skipped.";
        if (!File.Exists(Jupyter)) return $"{Jupyter} is not installed ({Install}); Jupyter test skipped.";
        var psi = new ProcessStartInfo(Python) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("import " + string.Join(", ", modules));
        using var p = Process.Start(psi)!;
        p.StandardOutput.ReadToEnd();
        var err = p.StandardError.ReadToEnd();
        if (!p.WaitForExit(60_000)) { p.Kill(true); return "python3 did not answer; Jupyter test skipped."; }
        return p.ExitCode == 0 ? null : $"Python modules {string.Join(", ", modules)} are missing ({Install}): {err.Trim().Split('\n')[^1]}; Jupyter test skipped.";
    }

    /// <summary>A scratch Jupyter set-up: the kernelspec of this build under <c>prefix/</c>, and
    /// Jupyter's data, runtime and config folders inside the same temporary folder.</summary>
    public sealed class Sandbox : IDisposable
    {
        public Sandbox()
        {
            Root = Directory.CreateTempSubdirectory("fk-jupyter-").FullName;
            Work = Directory.CreateDirectory(Path.Combine(Root, "work")).FullName;
            var prefix = Path.Combine(Root, "prefix");
            var output = new StringWriter();
            var error = new StringWriter();
            var code = Cli.CommandLine.RunAsync(["kernel", "install", "--prefix", prefix], output, error).GetAwaiter().GetResult();
            if (code != 0) throw new InvalidOperationException("fisherkit kernel install failed: " + error);
            KernelSpecFolder = Path.Combine(prefix, "share", "jupyter", "kernels", "fisherkit-csharp");
            Environment = new Dictionary<string, string>
            {
                ["JUPYTER_PATH"] = Path.Combine(prefix, "share", "jupyter"),
                ["JUPYTER_DATA_DIR"] = Path.Combine(Root, "data"),
                ["JUPYTER_RUNTIME_DIR"] = Path.Combine(Root, "runtime"),
                ["JUPYTER_CONFIG_DIR"] = Path.Combine(Root, "config"),
                ["IPYTHONDIR"] = Path.Combine(Root, "ipython"),
                ["PYTHONDONTWRITEBYTECODE"] = "1",
            };
        }

        public string Root { get; }

        public string Work { get; }

        public string KernelSpecFolder { get; }

        public Dictionary<string, string> Environment { get; }

        public void Dispose()
        {
            try { Directory.Delete(Root, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }
}

/// <summary>A fact that is skipped, with the reason shown, where Jupyter's packages are not installed.</summary>
public sealed class JupyterFactAttribute : FactAttribute
{
    public JupyterFactAttribute(bool notebookServer = false)
    {
        if ((notebookServer ? JupyterTools.NotebookSkipReason : JupyterTools.ClientSkipReason) is { } reason) Skip = reason;
    }
}

/// <summary>A fact that is skipped, with the reason shown, where libzmq is not installed.</summary>
public sealed class ZmqFactAttribute : FactAttribute
{
    public ZmqFactAttribute()
    {
        if (JupyterTools.KernelSkipReason is { } reason) Skip = reason;
    }
}
