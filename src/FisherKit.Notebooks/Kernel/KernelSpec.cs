using System.Text.Json;
using System.Text.Json.Nodes;

namespace FisherKit.Notebooks.Kernel;

/// <summary>
/// The kernelspec that makes Jupyter (JupyterLab, the classic notebook, VS Code, nbclient) offer
/// and start this kernel: a folder <c>kernels/fisherkit-csharp</c> with a <c>kernel.json</c> whose
/// argv starts <c>fisherkit kernel -f {connection_file}</c> by absolute paths, so it works from
/// any working directory. Installed from the repository's Release build (<c>./fisherkit kernel install</c>),
/// it starts the repository's <c>fisherkit</c> script, which rebuilds changed sources before the kernel starts.
/// </summary>
internal static class KernelSpec
{
    public const string Name = "fisherkit-csharp";
    public const string DisplayName = "C# (FisherKit)";
    public const string Language = "C#";

    /// <summary>The command that starts this build of fisherkit: the repository's <c>fisherkit</c> script when this is
    /// the repository build that script runs (it rebuilds changed sources first, see <see cref="RepositoryScript"/>),
    /// else the .NET host and <c>FisherKit.Notebooks.dll</c> (or the app host when no <c>dotnet</c> is found).</summary>
    public static IReadOnlyList<string> Launcher() => Launcher(typeof(KernelSpec).Assembly.Location);

    /// <summary><see cref="Launcher()"/> for the build at <paramref name="dll"/>.</summary>
    internal static IReadOnlyList<string> Launcher(string dll)
    {
        if (RepositoryScript(dll) is { } script) return [script];
        return DirectLauncher(dll);
    }

    /// <summary>The .NET host and <paramref name="dll"/>, or the app host next to it when no <c>dotnet</c> is found.</summary>
    internal static IReadOnlyList<string> DirectLauncher(string dll)
    {
        if (DotnetHost() is { } host) return [host, dll];
        var appHost = Path.Combine(Path.GetDirectoryName(dll)!, OperatingSystem.IsWindows() ? "fisherkit.exe" : "fisherkit");
        if (File.Exists(appHost)) return [appHost];
        throw new InvalidOperationException($"Cannot find the dotnet executable that runs {dll}; set DOTNET_HOST_PATH or put dotnet on the PATH.");
    }

    /// <summary>
    /// The repository's <c>fisherkit</c> script (absolute path) when <paramref name="dll"/> is the build it starts,
    /// <c>ROOT/out/bin/FisherKit.Notebooks/Release/net10.0/FisherKit.Notebooks.dll</c> next to <c>ROOT/fisherkit</c>
    /// (executable) and <c>ROOT/FisherKit.sln</c>, and <c>dotnet</c> is on the PATH (the script calls it by name);
    /// otherwise null (a Debug build, an <c>FK_OUT</c> build, a copy in a test folder, a .NET tool, Windows).
    /// </summary>
    internal static string? RepositoryScript(string dll)
    {
        if (OperatingSystem.IsWindows() || string.IsNullOrEmpty(dll)) return null;
        var full = Path.GetFullPath(dll);
        var dir = new DirectoryInfo(Path.GetDirectoryName(full)!);
        // ROOT/out/bin/FisherKit.Notebooks/Release/net10.0/
        var root = dir.Parent?.Parent?.Parent?.Parent?.Parent;
        if (root is null) return null;
        var expected = Path.Combine(root.FullName, "out", "bin", "FisherKit.Notebooks", "Release", "net10.0", "FisherKit.Notebooks.dll");
        if (!string.Equals(full, expected, StringComparison.Ordinal)) return null;
        var script = Path.Combine(root.FullName, "fisherkit");
        if (!File.Exists(script) || !File.Exists(Path.Combine(root.FullName, "FisherKit.sln"))) return null;
        if ((File.GetUnixFileMode(script) & UnixFileMode.UserExecute) == 0) return null;
        return OnPath("dotnet") ? script : null;
    }

    private static bool OnPath(string exe) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Any(d => File.Exists(Path.Combine(d, exe)));

    private static string? DotnetHost()
    {
        var exe = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } env && File.Exists(env)) return Path.GetFullPath(env);
        if (Environment.ProcessPath is { } self && Path.GetFileName(self).Equals(exe, StringComparison.OrdinalIgnoreCase)) return self;
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root && File.Exists(Path.Combine(root, exe))) return Path.Combine(root, exe);
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, exe);
            if (File.Exists(candidate)) return Path.GetFullPath(candidate);
        }
        return null;
    }

    /// <summary>The content of <c>kernel.json</c>.</summary>
    public static JsonObject Create(IReadOnlyList<string> launcher)
    {
        ArgumentNullException.ThrowIfNull(launcher);
        var argv = new JsonArray(launcher.Concat(["kernel", "-f", "{connection_file}"]).Select(a => (JsonNode?)a).ToArray());
        var spec = new JsonObject
        {
            ["argv"] = argv,
            ["display_name"] = DisplayName,
            ["language"] = Language,
            ["interrupt_mode"] = "message",
            ["metadata"] = new JsonObject { ["debugger"] = false },
        };
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root)
            spec["env"] = new JsonObject { ["DOTNET_ROOT"] = root };
        return spec;
    }

    /// <summary>Jupyter's per-user data folder: <c>JUPYTER_DATA_DIR</c>, else <c>$XDG_DATA_HOME/jupyter</c>
    /// or <c>~/.local/share/jupyter</c> (Linux), <c>~/Library/Jupyter</c> (macOS), <c>%APPDATA%\jupyter</c> (Windows).</summary>
    public static string UserDataDirectory()
    {
        if (Environment.GetEnvironmentVariable("JUPYTER_DATA_DIR") is { Length: > 0 } env) return env;
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (OperatingSystem.IsWindows()) return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "jupyter");
        if (OperatingSystem.IsMacOS()) return Path.Combine(home, "Library", "Jupyter");
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        return Path.Combine(string.IsNullOrEmpty(xdg) ? Path.Combine(home, ".local", "share") : xdg, "jupyter");
    }

    /// <summary>Writes the kernelspec under <paramref name="prefix"/><c>/share/jupyter/kernels</c>, or the
    /// user's data folder when <paramref name="prefix"/> is null; returns the kernelspec folder.</summary>
    public static string Install(string? prefix)
    {
        var root = prefix is null ? UserDataDirectory() : Path.Combine(Path.GetFullPath(prefix), "share", "jupyter");
        var folder = Path.Combine(root, "kernels", Name);
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, "kernel.json");
        var temp = file + ".tmp";
        File.WriteAllText(temp, Create(Launcher()).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        File.Move(temp, file, overwrite: true);
        return folder;
    }
}
