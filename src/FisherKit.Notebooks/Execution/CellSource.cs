using System.Text;
using System.Text.RegularExpressions;

namespace FisherKit.Notebooks.Execution;

/// <summary>
/// A cell's source made ready for Roslyn scripting, keeping line numbers: Polyglot cell magics
/// (<c>#!csharp</c>) and <c>#r "nuget: ..."</c> lines become blank lines, and the packages they name
/// become references of the submission.
/// </summary>
/// <param name="Code">The code to compile, with as many lines as the cell.</param>
/// <param name="Packages">(line, id, version) of each <c>#r "nuget: ..."</c>.</param>
/// <param name="IsMarkdown">The cell starts with <c>#!markdown</c>: not code.</param>
/// <param name="Problems">(line, message) of directives FisherKit cannot run.</param>
public sealed partial record CellSource(string Code, IReadOnlyList<(int Line, string Id, string? Version)> Packages, bool IsMarkdown, IReadOnlyList<(int Line, string Message)> Problems)
{
    private static readonly HashSet<string> CSharpMagics = new(StringComparer.OrdinalIgnoreCase) { "csharp", "c#", "cs" };

    /// <summary>Splits the directives off a cell.</summary>
    public static CellSource Parse(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var lines = source.Replace("\r\n", "\n").Split('\n');
        var packages = new List<(int, string, string?)>();
        var problems = new List<(int, string)>();
        var markdown = false;
        var code = new StringBuilder();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var trimmed = line.Trim();
            if (trimmed.StartsWith("#!", StringComparison.Ordinal))
            {
                var magic = trimmed[2..].Split(' ', 2)[0];
                if (CSharpMagics.Contains(magic) || magic.Equals("time", StringComparison.OrdinalIgnoreCase)) line = "";
                else if (magic.Equals("markdown", StringComparison.OrdinalIgnoreCase) && code.ToString().Trim().Length == 0) { markdown = true; break; }
                else
                {
                    problems.Add((i + 1, $"the magic command '#!{magic}' is not supported: fisherkit runs C# cells (#!csharp) and skips #!markdown cells"));
                    line = "";
                }
            }
            else if (NuGetReference().Match(trimmed) is { Success: true } m)
            {
                packages.Add((i + 1, m.Groups["id"].Value.Trim(), m.Groups["version"].Success && m.Groups["version"].Value.Trim().Length > 0 ? m.Groups["version"].Value.Trim() : null));
                line = "";
            }
            else if (PackageSource().IsMatch(trimmed))
            {
                problems.Add((i + 1, "'#i \"nuget: ...\"' package sources are not supported: fisherkit resolves '#r \"nuget: ...\"' from local package folders only (option --packages)"));
                line = "";
            }
            code.Append(line);
            if (i < lines.Length - 1) code.Append('\n');
        }
        return new CellSource(code.ToString(), packages, markdown, problems);
    }

    [GeneratedRegex("^#r\\s+\"nuget:\\s*(?<id>[^,\"]+)(,\\s*(?<version>[^\"]*))?\"\\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex NuGetReference();

    [GeneratedRegex("^#i\\s+\"nuget:", RegexOptions.IgnoreCase)]
    private static partial Regex PackageSource();
}
