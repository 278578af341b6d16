namespace FisherKit.Files;

/// <summary>Writes files through a temporary name in the same folder and a rename, so a reader never
/// sees half a file and an existing file survives a failed write. A symbolic link is written through (its
/// target is replaced, the link stays), and a replaced file keeps its permissions.</summary>
public static class AtomicFile
{
    /// <summary>Writes text (UTF-8, no byte-order mark).</summary>
    public static void WriteAllText(string path, string text) =>
        Write(path, tmp => File.WriteAllText(tmp, text, new System.Text.UTF8Encoding(false)), precreate: true);

    /// <summary>Writes bytes.</summary>
    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, tmp => File.WriteAllBytes(tmp, bytes), precreate: true);

    /// <summary>
    /// Writes through <paramref name="write"/>, which receives the temporary path (no file there yet) and creates it; the
    /// replaced file's permissions are given to it before the rename (<see cref="WriteAllText"/> and
    /// <see cref="WriteAllBytes"/> make it with them, so a private file is never readable, not even while written).
    /// </summary>
    public static void Write(string path, Action<string> write) => Write(path, write, precreate: false);

    /// <summary>With <paramref name="precreate"/>, the temporary file exists (empty, with the replaced file's mode) before <paramref name="write"/> runs.</summary>
    internal static void Write(string path, Action<string> write, bool precreate)
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
        // The new file would get the default mode (0644 with the usual umask): a private file would become readable,
        // already while it is written, so our own writes make the temporary file with the old mode first.
        UnixFileMode? mode = !OperatingSystem.IsWindows() && File.Exists(full) ? File.GetUnixFileMode(full) : null;
        try
        {
            if (precreate && mode is { } created && !OperatingSystem.IsWindows())
                using (new FileStream(tmp, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = created })) { }
            write(tmp);
            if (mode is { } kept && !OperatingSystem.IsWindows()) File.SetUnixFileMode(tmp, kept);   // exactly, past the umask and a writer that made its own file
            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }
}
