using System.Xml.Linq;

namespace FisherKit.Notebooks.Execution;

/// <summary>
/// Resolves <c>#r "nuget: Id, Version"</c> from folders of already-restored packages (the NuGet
/// global-packages layout, <c>id/version/lib/tfm/*.dll</c>), with the package's dependencies. It
/// never downloads: a package that is not there is refused with a message saying how to get it.
/// </summary>
/// <remarks>The packages' native libraries are found by the packages themselves (TorchSharp copies
/// its own next to its assembly when loaded this way); <see cref="NativePreload"/> only makes sure
/// that the ones they look up by bare name are theirs.</remarks>
public sealed class LocalPackageResolver(IReadOnlyList<string> packageFolders)
{
    private static readonly string[] FrameworkPreference =
    [
        "net10.0", "net9.0", "net8.0", "net7.0", "net6.0", "net5.0", "netcoreapp3.1", "netcoreapp3.0",
        "netstandard2.1", "netstandard2.0", "netstandard1.6", "netstandard1.3", "netstandard1.1", "netstandard1.0",
    ];

    /// <summary>The assemblies of the package and its dependencies.</summary>
    /// <exception cref="PackageResolutionException">The package or a dependency is not in the folders.</exception>
    public IReadOnlyList<string> Resolve(string id, string? version) => ResolveWithNatives(id, version).Assemblies;

    /// <summary>
    /// The assemblies of the package and its dependencies, and the folders of native libraries they
    /// carry for this platform (<c>runtimes/&lt;rid&gt;/native</c>).
    /// </summary>
    /// <exception cref="PackageResolutionException">The package or a dependency is not in the folders.</exception>
    public ResolvedPackage ResolveWithNatives(string id, string? version)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        var assemblies = new List<string>();
        var natives = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        Add(id, version, exact: true, assemblies, natives, seen, requiredBy: null);
        return new ResolvedPackage(assemblies, natives);
    }

    private void Add(string id, string? version, bool exact, List<string> into, List<string> natives, HashSet<string> seen, string? requiredBy)
    {
        if (!seen.Add(id)) return;
        var folder = FindPackage(id, version, exact, requiredBy);
        if (folder is null) return; // a framework package the runtime already provides
        var lib = Path.Combine(folder, "lib");
        if (Directory.Exists(lib) && BestFramework(Directory.GetDirectories(lib).Select(Path.GetFileName)!) is { } tfm)
            into.AddRange(Directory.GetFiles(Path.Combine(lib, tfm), "*.dll").Order(StringComparer.Ordinal));
        var native = Path.Combine(folder, "runtimes", NativePreload.RuntimeIdentifier, "native");
        if (Directory.Exists(native)) natives.Add(native);
        var nuspec = Directory.GetFiles(folder, "*.nuspec").FirstOrDefault();
        if (nuspec is null) return;
        foreach (var (depId, depVersion) in Dependencies(nuspec))
            Add(depId, depVersion, exact: false, into, natives, seen, requiredBy: id);
    }

    private string? FindPackage(string id, string? version, bool exact, string? requiredBy)
    {
        var available = packageFolders
            .Select(root => Path.Combine(root, id.ToLowerInvariant()))
            .Where(Directory.Exists)
            .SelectMany(dir => Directory.GetDirectories(dir).Select(v => (Version: Path.GetFileName(v), Path: v)))
            .Where(v => File.Exists(Path.Combine(v.Path, ".nupkg.metadata")) || Directory.GetFiles(v.Path, "*.nuspec").Length > 0)
            .ToList();
        if (available.Count == 0)
        {
            if (requiredBy is not null && IsFrameworkPackage(id)) return null;
            throw new PackageResolutionException(
                $"Package {id}{(version is null ? "" : " " + version)}{(requiredBy is null ? "" : $" (needed by {requiredBy})")} is not in the local package folders ({string.Join(", ", packageFolders)}). " +
                "fisherkit does not download packages: restore it once with 'dotnet add package' in any project (or 'dotnet restore'), or point --packages at a folder that has it.");
        }
        if (version is null or "*" or "")
            return available.OrderByDescending(v => v.Version, VersionComparer.Instance).First().Path;
        var match = available.FirstOrDefault(v => string.Equals(v.Version, version, StringComparison.OrdinalIgnoreCase));
        if (match.Path is not null) return match.Path;
        if (!exact)
        {
            var higher = available.Where(v => VersionComparer.Instance.Compare(v.Version, version) >= 0)
                .OrderBy(v => v.Version, VersionComparer.Instance).FirstOrDefault();
            if (higher.Path is not null) return higher.Path;
        }
        throw new PackageResolutionException(
            $"Package {id} {version}{(requiredBy is null ? "" : $" (needed by {requiredBy})")} is not in the local package folders; available there: {string.Join(", ", available.Select(v => v.Version).Order(VersionComparer.Instance))}. " +
            "fisherkit does not download packages: restore that version once with 'dotnet add package', or use an available version.");
    }

    private static bool IsFrameworkPackage(string id) =>
        id.StartsWith("System.", StringComparison.OrdinalIgnoreCase) || id.StartsWith("Microsoft.NETCore.", StringComparison.OrdinalIgnoreCase) ||
        id.StartsWith("Microsoft.Win32.", StringComparison.OrdinalIgnoreCase) || id.Equals("NETStandard.Library", StringComparison.OrdinalIgnoreCase) ||
        id.StartsWith("runtime.", StringComparison.OrdinalIgnoreCase);

    private static string? BestFramework(IEnumerable<string> frameworks)
    {
        var set = frameworks.Select(f => f.ToLowerInvariant()).ToHashSet();
        return FrameworkPreference.FirstOrDefault(set.Contains);
    }

    private static IEnumerable<(string Id, string? Version)> Dependencies(string nuspec)
    {
        var doc = XDocument.Load(nuspec);
        var deps = doc.Descendants().FirstOrDefault(e => e.Name.LocalName == "dependencies");
        if (deps is null) return [];
        var groups = deps.Elements().Where(e => e.Name.LocalName == "group").ToList();
        IEnumerable<XElement> chosen;
        if (groups.Count == 0) chosen = deps.Elements().Where(e => e.Name.LocalName == "dependency");
        else
        {
            var byTfm = groups.ToDictionary(g => NormalizeFramework((string?)g.Attribute("targetFramework") ?? ""), g => g);
            var best = BestFramework(byTfm.Keys);
            chosen = best is null ? [] : byTfm[best].Elements().Where(e => e.Name.LocalName == "dependency");
        }
        return chosen.Select(d => ((string)d.Attribute("id")!, MinimumVersion((string?)d.Attribute("version"))));
    }

    private static string NormalizeFramework(string tfm)
    {
        var t = tfm.ToLowerInvariant();
        if (t.StartsWith(".netstandard", StringComparison.Ordinal)) return "netstandard" + t[".netstandard".Length..];
        if (t.StartsWith(".netcoreapp", StringComparison.Ordinal)) return "netcoreapp" + t[".netcoreapp".Length..];
        return t;
    }

    /// <summary>The lower bound of a NuGet version range (<c>1.2</c>, <c>[1.2, )</c>, <c>[1.2]</c>).</summary>
    private static string? MinimumVersion(string? range)
    {
        if (string.IsNullOrWhiteSpace(range)) return null;
        var r = range.Trim().TrimStart('[', '(').TrimEnd(']', ')');
        var lower = r.Split(',')[0].Trim();
        return lower.Length == 0 ? null : lower;
    }

    /// <summary>Orders versions numerically, a pre-release before its release.</summary>
    internal sealed class VersionComparer : IComparer<string>
    {
        public static VersionComparer Instance { get; } = new();

        public int Compare(string? x, string? y)
        {
            if (x is null || y is null) return string.CompareOrdinal(x, y);
            var (xr, xp) = Split(x);
            var (yr, yp) = Split(y);
            var xs = xr.Split('.');
            var ys = yr.Split('.');
            for (var i = 0; i < Math.Max(xs.Length, ys.Length); i++)
            {
                long a = i < xs.Length && long.TryParse(xs[i], out var av) ? av : 0;
                long b = i < ys.Length && long.TryParse(ys[i], out var bv) ? bv : 0;
                if (a != b) return a.CompareTo(b);
            }
            if (xp is null) return yp is null ? 0 : 1;
            if (yp is null) return -1;
            return string.Compare(xp, yp, StringComparison.OrdinalIgnoreCase);
        }

        private static (string Release, string? Pre) Split(string v)
        {
            var plus = v.IndexOf('+', StringComparison.Ordinal);
            if (plus >= 0) v = v[..plus];
            var dash = v.IndexOf('-', StringComparison.Ordinal);
            return dash < 0 ? (v, null) : (v[..dash], v[(dash + 1)..]);
        }
    }
}
