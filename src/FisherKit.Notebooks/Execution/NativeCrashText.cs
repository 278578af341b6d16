namespace FisherKit.Notebooks.Execution;

/// <summary>
/// Reads what a dying process wrote to its standard error: libtorch's
/// <c>terminate called after throwing an instance of 'c10::Error'</c> followed by
/// <c>  what():  MESSAGE</c>, <c>Exception raised from ...</c> and dozens of <c>frame #N</c> lines; .NET's
/// <c>Process terminated. ...</c> (<see cref="Environment.FailFast(string)"/>), <c>Unhandled exception. ...</c>,
/// <c>Fatal error. ...</c> and <c>Stack overflow.</c>.
/// </summary>
internal static class NativeCrashText
{
    private const int MaxSummary = 1500;
    private static readonly string[] CrashStarts = ["terminate called", "Process terminated.", "Unhandled exception.", "Fatal error.", "Stack overflow."];

    /// <summary>Whether <paramref name="line"/> starts a crash message (the text before an abort).</summary>
    public static bool StartsCrash(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return CrashStarts.Any(s => line.StartsWith(s, StringComparison.Ordinal)) || line.Contains("what():", StringComparison.Ordinal);
    }

    /// <summary>The message of the last crash in <paramref name="text"/>: libtorch's <c>what()</c> text without its
    /// source location and stack, else .NET's one-line report, else the last non-empty line; null when there is no text.</summary>
    public static string? Summary(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var lines = Lines(text);
        for (var i = lines.Length - 1; i >= 0; i--)
        {
            var at = lines[i].IndexOf("what():", StringComparison.Ordinal);
            if (at < 0) continue;
            var parts = new List<string>();
            var first = lines[i][(at + "what():".Length)..].Trim();
            if (first.Length > 0) parts.Add(first);
            var length = first.Length;
            for (var j = i + 1; j < lines.Length && length < MaxSummary; j++)
            {
                var line = lines[j].TrimEnd();
                if (line.StartsWith("Exception raised from", StringComparison.Ordinal) || line.StartsWith("frame #", StringComparison.Ordinal) ||
                    StartsCrash(line)) break;
                if (line.Length == 0)
                {
                    if (parts.Count > 0) break;
                    continue;
                }
                parts.Add(line.Trim());
                length += line.Length + 1;
            }
            if (parts.Count > 0) return Cap(string.Join("\n", parts));
        }
        for (var i = lines.Length - 1; i >= 0; i--)
        {
            if (!CrashStarts.Any(s => lines[i].StartsWith(s, StringComparison.Ordinal))) continue;
            // .NET's "Stack overflow.\nRepeated N times:\n-----\n   at FRAME": the recursing frame names the cause
            // (it used to be missed, and the crash called a native one or out of memory).
            if (lines[i].StartsWith("Stack overflow.", StringComparison.Ordinal))
            {
                var after = lines.Skip(i + 1).Select(l => l.Trim()).ToArray();
                var repeated = after.FirstOrDefault()?.StartsWith("Repeated ", StringComparison.Ordinal) == true ? after[0] : null;
                var frame = after.FirstOrDefault(l => l.StartsWith("at ", StringComparison.Ordinal));
                return Cap(string.Join(" ", new[] { "Stack overflow.", repeated, frame }.Where(p => p is not null)));
            }
            // .NET puts the message on the same line ("Unhandled exception. System.X: ...") or on the next ones
            // ("Process terminated.\nMESSAGE\n   at ..."): up to the stack.
            var parts = new List<string> { lines[i].Trim() };
            for (var j = i + 1; j < lines.Length && parts.Sum(p => p.Length) < MaxSummary; j++)
            {
                var line = lines[j].Trim();
                if (line.Length == 0 || line.StartsWith("at ", StringComparison.Ordinal) || line.StartsWith("frame #", StringComparison.Ordinal) ||
                    line.StartsWith("---", StringComparison.Ordinal) || StartsCrash(lines[j])) break;
                parts.Add(line);
            }
            return Cap(string.Join(" ", parts));
        }
        var last = lines.LastOrDefault(l => l.Trim().Length > 0);
        return last is null ? null : Cap(last.Trim());
    }

    /// <summary>The lines worth showing: from the last line that starts a crash message (or the whole text), at most
    /// <paramref name="maxLines"/> lines, the first ones kept (the message comes before the stack).</summary>
    public static string Excerpt(string text, int maxLines = 25)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = Lines(text.TrimEnd());
        var start = 0;
        for (var i = lines.Length - 1; i >= 0; i--)
            if (StartsCrash(lines[i]))
            {
                start = i;
                // "terminate called ..." comes one line before "  what():  ...".
                if (i > 0 && lines[i - 1].StartsWith("terminate called", StringComparison.Ordinal)) start = i - 1;
                break;
            }
        var shown = lines.Skip(start).Take(maxLines).ToList();
        var omitted = lines.Length - start - shown.Count;
        var excerpt = string.Join("\n", shown.Select(l => l.Length > 400 ? l[..400] + "…" : l));
        if (start > 0) excerpt = $"… ({start} earlier line{(start == 1 ? "" : "s")} omitted)\n" + excerpt;
        if (omitted > 0) excerpt += $"\n… ({omitted} more line{(omitted == 1 ? "" : "s")} omitted)";
        return excerpt;
    }

    private static string[] Lines(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');

    private static string Cap(string s) => s.Length <= MaxSummary ? s : s[..MaxSummary] + "…";
}
