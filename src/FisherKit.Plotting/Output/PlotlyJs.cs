namespace FisherKit.Plotting.Output;

/// <summary>
/// Finds the plotly.js bundle (npm <c>plotly.js-dist-min</c>) that HTML pages inline. Nothing is
/// ever loaded from a CDN. Looked for, in order: the file named by <c>FISHERKIT_PLOTLYJS</c>;
/// <c>plotly/plotly.min.js</c> next to this assembly (the build copies it there);
/// <c>npm/node_modules/plotly.js-dist-min/plotly.min.js</c> in the data cache named by <c>FK_CACHE</c>; and
/// <c>data/cache/npm/node_modules/plotly.js-dist-min/plotly.min.js</c> in a parent folder of the
/// assembly or of the working directory (where <c>environment/setup.sh</c> puts it without <c>FK_CACHE</c>).
/// </summary>
public static class PlotlyJs
{
    private static readonly Lazy<string> Script = new(() => File.ReadAllText(Locate()));

    /// <summary>Relative location of the bundle inside the repository.</summary>
    public const string RepositoryPath = "data/cache/npm/node_modules/plotly.js-dist-min/plotly.min.js";

    /// <summary>The path of the bundle.</summary>
    /// <exception cref="FileNotFoundException">plotly.js is not installed; the message says how to install it.</exception>
    public static string Locate()
    {
        var tried = new List<string>();
        foreach (var candidate in Candidates())
        {
            if (File.Exists(candidate)) return Path.GetFullPath(candidate);
            tried.Add(candidate);
        }
        throw new FileNotFoundException(
            "plotly.js (npm package plotly.js-dist-min) was not found, so figures cannot be written as HTML or images. " +
            "Run environment/setup.sh (it installs it under data/cache/npm), or set FISHERKIT_PLOTLYJS to a plotly.min.js. Tried: " +
            string.Join("; ", tried));
    }

    /// <summary>Whether the bundle can be found.</summary>
    public static bool IsAvailable => Candidates().Any(File.Exists);

    /// <summary>The text of the bundle (read once).</summary>
    public static string Source => Script.Value;

    /// <summary>The bundle as an inline <c>&lt;script&gt;</c> element.</summary>
    public static string InlineScriptTag() => "<script type=\"text/javascript\">" + Source.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase) + "</script>";

    private static IEnumerable<string> Candidates()
    {
        if (Environment.GetEnvironmentVariable("FISHERKIT_PLOTLYJS") is { Length: > 0 } env) yield return env;
        var asmDir = Path.GetDirectoryName(typeof(PlotlyJs).Assembly.Location);
        if (!string.IsNullOrEmpty(asmDir)) yield return Path.Combine(asmDir, "plotly", "plotly.min.js");
        yield return Path.Combine(AppContext.BaseDirectory, "plotly", "plotly.min.js");
        // The data cache's own variable (FisherKit.Data.DataCache, which this project does not reference).
        if (Environment.GetEnvironmentVariable("FK_CACHE") is { Length: > 0 } cache)
            yield return Path.Combine(cache, RepositoryPath["data/cache/".Length..]);
        foreach (var start in new[] { asmDir, Environment.CurrentDirectory })
            for (var dir = start is null ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                yield return Path.Combine(dir.FullName, RepositoryPath);
    }
}
