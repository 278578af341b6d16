namespace FisherKit.Testing;

/// <summary>Folders the test projects share: the repository root and temporary folders. One file, linked into
/// every test project (tests/Directory.Build.props), so that no project keeps its own copy.</summary>
internal static class RepositoryPaths
{
    /// <summary>The repository root (holds FisherKit.sln).</summary>
    public static string Root
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
}

/// <summary>A fresh temporary folder, deleted with everything in it on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Path = Directory.CreateTempSubdirectory("fisherkit-test-").FullName;

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
