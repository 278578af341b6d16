namespace FisherKit.Notebooks.Execution;

/// <summary>Settings of an execution session.</summary>
public sealed record EngineOptions
{
    /// <summary>The notebook's folder: relative <c>#r</c>/<c>#load</c> paths resolve against it, and it is the working directory.</summary>
    public required string NotebookDirectory { get; init; }

    /// <summary>Folders holding NuGet packages in the global-packages layout (<c>id/version/lib/tfm</c>), searched by <c>#r "nuget: ..."</c>.
    /// Default: <c>NUGET_PACKAGES</c> or <c>~/.nuget/packages</c>.</summary>
    public IReadOnlyList<string> PackageFolders { get; init; } = DefaultPackageFolders();

    /// <summary>Per-cell wall-clock limit (null: none).</summary>
    public TimeSpan? CellTimeout { get; init; }

    /// <summary>Time allowed for the worker process to start.</summary>
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The default package folders.</summary>
    public static IReadOnlyList<string> DefaultPackageFolders()
    {
        var env = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        if (!string.IsNullOrEmpty(env)) return [env];
        return [Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages")];
    }
}
