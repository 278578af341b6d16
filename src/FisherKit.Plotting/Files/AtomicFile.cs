namespace FisherKit.Files;

/// <summary>Writes files through a temporary name in the same folder and a rename, so a reader never
/// sees half a file and an existing file survives a failed write. A symbolic link is written through (its
/// target is replaced, the link stays), and a replaced file keeps its permissions.</summary>
public static class AtomicFile
{
    /// <summary>Writes text (UTF-8, no byte-order mark).</summary>
    public static void WriteAllText(string path, string text) =>
        Write(path, tmp => File.WriteAllText(tmp, text, new System.Text.UTF8Encoding(false)));

    /// <summary>Writes bytes.</summary>
    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, tmp => File.WriteAllBytes(tmp, bytes));

    /// <summary>Writes through <paramref name="write"/>, which receives the temporary path.</summary>
    public static void Write(string path, Action<string> write)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        // As File.WriteAllText does: write where a symbolic link points, rather than put a file in its place.
        if (new FileInfo(full) is { LinkTarget: not null } link && link.ResolveLinkTarget(returnFinalTarget: true) is { } target)
        {
            full = target.FullName;
            dir = Path.GetDirectoryName(full)!;
        }
        var tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            write(tmp);
            // The new file would get the default mode (0644 with the usual umask): a private file would become readable.
            if (!OperatingSystem.IsWindows() && File.Exists(full)) File.SetUnixFileMode(tmp, File.GetUnixFileMode(full));
            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }
}
