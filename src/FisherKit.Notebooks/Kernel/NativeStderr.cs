using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using FisherKit.Notebooks.Execution;

namespace FisherKit.Notebooks.Kernel;

/// <summary>
/// The kernel's native standard error (file descriptor 2) in a file, so that what native code writes
/// just before it aborts the process (libtorch's <c>terminate called after throwing an instance of
/// 'c10::Error'</c> / <c>what():  ...</c>) is on disk before the process dies, and the kernel Jupyter
/// starts next, with the same connection file, can show it (Linux).
/// </summary>
/// <remarks>
/// <para>The file is opened with <c>O_APPEND</c> and put on descriptor 2 with <c>dup2</c>: every
/// <c>write</c> of native code lands in it at once, without buffering in this process. Managed
/// <see cref="Console.Error"/> and the kernel's log keep going to the original standard error (Jupyter's
/// log), through a duplicate of it.</para>
/// <para>The kernel writes marker lines into the same file: <c>cell In [N]</c> when a cell starts and
/// <c>idle</c> when it ends. While a cell runs, new text is sent to it as <c>stderr</c> (polled, and
/// all of it when the cell ends); between cells it goes to the log. Everything is also copied to the
/// log. A kernel that starts and finds a predecessor's file (same connection file, a process that is
/// gone) whose last marker is <c>cell</c>, or that has text after its last <c>idle</c> marker, reports
/// it as <see cref="Predecessor"/>.</para>
/// <para>The file stays small: when it grows past a limit, a fresh file with the current marker replaces
/// it (opened, put on descriptor 2 with <c>dup2</c>, then renamed over the old name), and the rest of the
/// old one is read after the switch, so no write is lost. It is deleted on a normal shutdown. Its name
/// is <c>CONNECTION.fisherkit-stderr.PID</c> next to the connection file (Jupyter's runtime folder), or in
/// the temporary folder when that is not writable.</para>
/// </remarks>
internal sealed partial class NativeStderr : IDisposable
{
    private const string Token = "\u001e[fisherkit-kernel] ";
    private const string Suffix = ".fisherkit-stderr.";
    private const long RotateIdle = 64 * 1024;
    private const long RotateInCell = 1024 * 1024;
    private const int PollMs = 250;

    private readonly object _gate = new();
    private readonly int _savedFd;
    private readonly Decoder _decoder = new UTF8Encoding(false).GetDecoder();
    private FileStream _reader;
    private IExecutionObserver? _cell;
    private string _state = "idle";
    private bool _disposed;

    private NativeStderr(string path, int savedFd, FileStream reader, NativeCrashReport? predecessor)
    {
        FilePath = path;
        _savedFd = savedFd;
        _reader = reader;
        Predecessor = predecessor;
        // write(2) on the descriptor, as .NET's console stream does: a FileStream would write at its own offset
        // and overwrite what others append when Jupyter's stderr is a regular file.
        var original = new StreamWriter(new DescriptorStream(savedFd), new UTF8Encoding(false), 4096) { AutoFlush = true };
        OriginalError = TextWriter.Synchronized(original);
        new Thread(Poll) { IsBackground = true, Name = "fisherkit-kernel-stderr" }.Start();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => OnProcessExit();
    }

    /// <summary>The line written when the process exits without a shutdown while a cell runs (the exit code follows).</summary>
    internal const string ExitLine = "fisherkit: the kernel process exited while running a cell, exit code ";

    /// <summary>The process exits (Environment.Exit, SIGTERM) without the kernel's shutdown. While a cell runs, the file is
    /// kept with a line saying so, and the next kernel says why the state is gone (it used to be deleted as on a shutdown,
    /// so a cell calling Environment.Exit left the next kernel silent).</summary>
    private void OnProcessExit()
    {
        lock (_gate)
        {
            if (!_disposed && _state.StartsWith("cell ", StringComparison.Ordinal))
            {
                _disposed = true;
                _cell = null;
                try { WriteAll(2, Encoding.UTF8.GetBytes(ExitLine + Environment.ExitCode.ToString(CultureInfo.InvariantCulture) + "\n")); }
                catch (Exception e) when (e is not OutOfMemoryException) { }
                return;
            }
        }
        Dispose();
    }

    /// <summary>The file descriptor 2 now writes to.</summary>
    public string FilePath { get; }

    /// <summary>The original standard error (Jupyter's log): for <see cref="Console.Error"/> and the kernel's log.</summary>
    public TextWriter OriginalError { get; }

    /// <summary>What the previous kernel process of this connection file left when it ended without a shutdown, or null.</summary>
    public NativeCrashReport? Predecessor { get; }

    /// <summary>Starts capturing descriptor 2 for the kernel of <paramref name="connectionFile"/>; null (with the
    /// reason in <paramref name="problem"/>) where that is not possible, and the kernel then runs as before.</summary>
    public static NativeStderr? Start(string connectionFile, out string? problem)
    {
        problem = null;
        if (!OperatingSystem.IsLinux())
        {
            problem = "native stderr capture is implemented for Linux only";
            return null;
        }
        var full = Path.GetFullPath(connectionFile);
        NativeCrashReport? predecessor = null;
        try { predecessor = CollectPredecessors(full); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // nothing to report then

        string? path = null;
        var fd = -1;
        foreach (var folder in Folders(full))
        {
            try { Directory.CreateDirectory(folder.Path); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
            path = Path.Combine(folder.Path, folder.Prefix + Suffix + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
            fd = Open(path, OWronly | OCreat | OTrunc | OAppend | OCloexec, 0x180 /* 0600 */);
            if (fd >= 0) break;
        }
        if (fd < 0 || path is null)
        {
            problem = $"could not create a file for native stderr (errno {Marshal.GetLastPInvokeError()})";
            return null;
        }
        WriteAll(fd, Marker($"idle (kernel process {Environment.ProcessId} started {DateTime.Now:yyyy-MM-dd HH:mm:ss})"));
        Console.Error.Flush();
        var saved = Fcntl(2, FDupfdCloexec, 3);
        if (saved < 0 || Dup2(fd, 2) < 0)
        {
            problem = $"could not redirect file descriptor 2 (errno {Marshal.GetLastPInvokeError()})";
            if (saved >= 0) Close(saved);
            Close(fd);
            TryDelete(path);
            return null;
        }
        Close(fd);
        return new NativeStderr(path, saved, OpenReader(path), predecessor);
    }

    /// <summary>A cell starts: native text from now on goes to <paramref name="observer"/> as <c>stderr</c>.</summary>
    public void BeginCell(string cellName, IExecutionObserver observer)
    {
        lock (_gate)
        {
            if (_disposed) return;
            try
            {
                Deliver(Drain());
                _state = "cell " + cellName;
                if (Length() > RotateIdle) Rotate();
                else WriteAll(2, Marker(_state));
            }
            catch (Exception e) when (e is not OutOfMemoryException) { }
            _cell = observer;
        }
    }

    /// <summary>The cell has ended: sends it the native text written since it started.</summary>
    public void EndCell()
    {
        lock (_gate)
        {
            if (_disposed || _cell is null) return;
            _state = "idle";
            try
            {
                WriteAll(2, Marker(_state));
                Deliver(Drain());
            }
            catch (Exception e) when (e is not OutOfMemoryException) { }
            _cell = null;
        }
    }

    /// <summary>Normal shutdown: descriptor 2 goes back to the original standard error, and the file is deleted.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _cell = null;
            try { Deliver(Drain()); }
            catch (Exception e) when (e is not OutOfMemoryException) { }
            Dup2(_savedFd, 2);
            _reader.Dispose();
            TryDelete(FilePath);
            TryDelete(FilePath + ".next");
        }
    }

    private void Poll()
    {
        while (true)
        {
            Thread.Sleep(PollMs);
            lock (_gate)
            {
                if (_disposed) return;
                // Never let an error end the process from this thread: the next poll tries again.
                try
                {
                    Deliver(Drain());
                    if (Length() > (_cell is null ? RotateIdle : RotateInCell)) Rotate();
                }
                catch (Exception e) when (e is not OutOfMemoryException) { }
            }
        }
    }

    /// <summary>Sends native text to the running cell, if any, and to the log.</summary>
    private void Deliver(string text)
    {
        if (text.Length == 0) return;
        try { _cell?.OnStream("stderr", text); }
        catch (Exception e) when (e is not OutOfMemoryException) { } // the cell's sockets are gone (shutting down)
        try { OriginalError.Write(text); }
        catch (Exception e) when (e is IOException or ObjectDisposedException) { }
    }

    private long Length()
    {
        try { return _reader.Length; }
        catch (IOException) { return 0; }
    }

    /// <summary>The text written since the last read, markers removed (bytes of an unfinished UTF-8 character wait).</summary>
    private string Drain()
    {
        var text = new StringBuilder();
        var buffer = new byte[64 * 1024];
        var chars = new char[buffer.Length + 4];
        try
        {
            int n;
            while ((n = _reader.Read(buffer, 0, buffer.Length)) > 0)
            {
                var c = _decoder.GetChars(buffer, 0, n, chars, 0, flush: false);
                text.Append(chars, 0, c);
                if (text.Length > 4 * 1024 * 1024) break; // the rest on the next poll
            }
        }
        catch (IOException) { }
        return StripMarkers(text.ToString());
    }

    /// <summary>Replaces the file with a fresh one holding the current marker; reads the rest of the old one after the switch.</summary>
    private void Rotate()
    {
        var next = FilePath + ".next";
        var fd = Open(next, OWronly | OCreat | OTrunc | OAppend | OCloexec, 0x180);
        if (fd < 0) return;
        WriteAll(fd, Marker(_state));
        if (Dup2(fd, 2) < 0)
        {
            Close(fd);
            TryDelete(next);
            return;
        }
        Close(fd);
        try { File.Move(next, FilePath, overwrite: true); }
        catch (IOException) { }
        // Writes already under way finish in the old file: read it to its end, then follow the new one.
        Deliver(Drain());
        _reader.Dispose();
        _reader = OpenReader(File.Exists(next) ? next : FilePath);
    }

    /// <summary>Writes to a file descriptor with <c>write(2)</c> (so at the end of an <c>O_APPEND</c> file, or at the offset it shares).</summary>
    private sealed class DescriptorStream(int fd) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => WriteAll(fd, buffer.AsSpan(offset, count));
    }

    private static FileStream OpenReader(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None);

    private static byte[] Marker(string state) => Encoding.UTF8.GetBytes(Token + state + "\n");

    /// <summary>Removes the kernel's marker lines (a marker may follow a line native code has not finished).</summary>
    internal static string StripMarkers(string text)
    {
        if (!text.Contains(Token, StringComparison.Ordinal)) return text;
        var result = new StringBuilder(text.Length);
        var at = 0;
        while (at < text.Length)
        {
            var token = text.IndexOf(Token, at, StringComparison.Ordinal);
            if (token < 0)
            {
                result.Append(text, at, text.Length - at);
                break;
            }
            result.Append(text, at, token - at);
            var end = text.IndexOf('\n', token);
            at = end < 0 ? text.Length : end + 1;
        }
        return result.ToString();
    }

    /// <summary>The state the file was left in: the last marker (<c>idle ...</c> or <c>cell In [N]</c>, null when
    /// there is none) and the text written after it.</summary>
    internal static (string? State, string Text) LastState(string content)
    {
        var token = content.LastIndexOf(Token, StringComparison.Ordinal);
        if (token < 0) return (null, content);
        var end = content.IndexOf('\n', token);
        if (end < 0) return (content[(token + Token.Length)..], "");
        return (content[(token + Token.Length)..end], content[(end + 1)..]);
    }

    /// <summary>Where the file goes: next to the connection file (Jupyter's runtime folder), else in the temporary folder.</summary>
    private static IEnumerable<(string Path, string Prefix)> Folders(string connectionFile)
    {
        var name = Path.GetFileNameWithoutExtension(connectionFile);
        yield return (Path.GetDirectoryName(connectionFile)!, name);
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(connectionFile)))[..12];
        yield return (Path.Combine(Path.GetTempPath(), "fisherkit-kernel-stderr"), name + "-" + hash);
    }

    /// <summary>Reads and deletes the files of earlier kernel processes of this connection file that are gone;
    /// returns the report of the latest one that ended without a shutdown. Also deletes such files of any
    /// connection file that were left for over a week.</summary>
    private static NativeCrashReport? CollectPredecessors(string connectionFile)
    {
        var found = new List<(FileInfo File, int Pid)>();
        foreach (var (folder, prefix) in Folders(connectionFile))
        {
            if (!Directory.Exists(folder)) continue;
            foreach (var file in new DirectoryInfo(folder).EnumerateFiles("*" + Suffix + "*"))
            {
                var name = file.Name;
                var cut = name.LastIndexOf(Suffix, StringComparison.Ordinal);
                var rest = name[(cut + Suffix.Length)..];
                if (rest.EndsWith(".next", StringComparison.Ordinal)) rest = rest[..^".next".Length];
                if (!int.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == Environment.ProcessId || IsRunning(pid)) continue;
                if (name[..cut] == prefix) found.Add((file, pid));
                else if (file.LastWriteTimeUtc < DateTime.UtcNow.AddDays(-7)) TryDelete(file.FullName);
            }
        }
        NativeCrashReport? report = null;
        DateTime latest = default;
        foreach (var group in found.GroupBy(f => (f.File.DirectoryName, f.Pid)))
        {
            // FILE then FILE.next (a replacement that had not been renamed yet when the process ended).
            var files = group.Select(g => g.File).OrderBy(f => f.Name.EndsWith(".next", StringComparison.Ordinal)).ToList();
            var content = string.Concat(files.Select(f => ReadTail(f.FullName)));
            var when = files.Max(f => f.LastWriteTimeUtc);
            foreach (var f in files) TryDelete(f.FullName);
            var (state, text) = LastState(content);
            text = StripMarkers(text);
            var inCell = state is null || state.StartsWith("cell ", StringComparison.Ordinal);
            if (!inCell && text.Trim().Length == 0) continue; // ended between cells without a word: a kill, not a crash
            if (when < latest) continue;
            latest = when;
            report = new NativeCrashReport(inCell, state is not null && inCell ? state["cell ".Length..] : null, text, group.Key.Pid, when.ToLocalTime());
        }
        return report;
    }

    private static string ReadTail(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        const long max = 8 * 1024 * 1024; // normally far less (rotation); a burst just before the abort can exceed the limit
        if (stream.Length > max) stream.Seek(-max, SeekOrigin.End);
        using var reader = new StreamReader(stream, new UTF8Encoding(false));
        return reader.ReadToEnd();
    }

    /// <summary>Whether process <paramref name="pid"/> exists and is not a zombie.</summary>
    private static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var close = stat.LastIndexOf(')');
            return close < 0 || close + 2 >= stat.Length || stat[close + 2] is not ('Z' or 'X');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    private static unsafe void WriteAll(int fd, ReadOnlySpan<byte> bytes)
    {
        fixed (byte* p = bytes)
        {
            var done = 0;
            while (done < bytes.Length)
            {
                var n = Write(fd, p + done, bytes.Length - done);
                if (n <= 0)
                {
                    if (n < 0 && Marshal.GetLastPInvokeError() == 4 /* EINTR */) continue;
                    return;
                }
                done += (int)n;
            }
        }
    }

    // Linux values.
    private const int OWronly = 0x1, OCreat = 0x40, OTrunc = 0x200, OAppend = 0x400, OCloexec = 0x80000;
    private const int FDupfdCloexec = 1030;

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static unsafe partial nint Write(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "dup2", SetLastError = true)]
    private static partial int Dup2(int oldFd, int newFd);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int fd, int command, int argument);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}

/// <summary>What a kernel process that ended without a shutdown left in its native stderr file.</summary>
/// <param name="InCell">Whether a cell was running (its start marker had no end marker).</param>
/// <param name="Cell">The cell's name in that process (<c>In [N]</c>), when known.</param>
/// <param name="Text">What native code wrote after the last marker (for a cell: since it started).</param>
/// <param name="Pid">The process id.</param>
/// <param name="Time">When the file was last written.</param>
internal sealed record NativeCrashReport(bool InCell, string? Cell, string Text, int Pid, DateTime Time)
{
    /// <summary>The text shown in the first cell the new kernel runs (a <c>stderr</c> stream).</summary>
    public string Notice()
    {
        var summary = NativeCrashText.Summary(Text);
        var where = InCell ? "while running a cell" : "while no cell was running (in a task or thread a cell left running, or a finalizer)";
        var fresh = "(this kernel is a fresh process; variables are gone)";
        var notice = new StringBuilder();
        var exit = Text.LastIndexOf(NativeStderr.ExitLine, StringComparison.Ordinal);
        if (exit >= 0)
        {
            var code = Text[(exit + NativeStderr.ExitLine.Length)..].Split('\n')[0].Trim();
            notice.Append(CultureInfo.InvariantCulture, $"The kernel process exited {where} {fresh}: the cell, or code it called, ran Environment.Exit({code}) or exit(), or the process was told to terminate.\n");
        }
        else if (summary is null)
            notice.Append(CultureInfo.InvariantCulture, $"The kernel process ended {where} without a message: it was killed (out of memory, or by a signal) or crashed in native code silently {fresh}.\n");
        else if (summary.StartsWith("Stack overflow.", StringComparison.Ordinal))
            notice.Append(CultureInfo.InvariantCulture, $"The kernel process ended with a stack overflow (a recursion without end?) {where} {fresh}: {summary}\n");
        else if (Text.Contains("Unhandled exception.", StringComparison.Ordinal) && !Text.Contains("what():", StringComparison.Ordinal))
            notice.Append(CultureInfo.InvariantCulture, $"The kernel process ended with an unhandled exception on a thread of its own {where} {fresh}: {summary}\n");
        else
            notice.Append(CultureInfo.InvariantCulture, $"The kernel process ended in native code {where} {fresh}: {summary}\n");
        var cell = Cell is null ? "" : $" while running {Cell}";
        if (Text.Trim().Length > 0)
            notice.Append(CultureInfo.InvariantCulture, $"\nWhat the ended process (pid {Pid}) wrote to stderr{cell}, at {Time:HH:mm:ss}:\n{NativeCrashText.Excerpt(Text)}\n");
        return notice.ToString();
    }
}
