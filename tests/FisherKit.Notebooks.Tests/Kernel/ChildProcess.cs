using System.Diagnostics;
using System.Text;

namespace FisherKit.Notebooks.Tests.Kernel;

/// <summary>
/// A process a test starts: output collected, killed with everything it started when the test's
/// time limit passes or the test ends, so kernel tests never leave processes behind.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ChildProcess(string fileName, IEnumerable<string> arguments, IDictionary<string, string>? environment = null, string? workingDirectory = null, string? standardInput = null)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        if (environment is not null)
            foreach (var (k, v) in environment) psi.Environment[k] = v;
        _process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Exited += (_, _) => _exited.TrySetResult();
        _process.Start();
        if (standardInput is not null) _process.StandardInput.Write(standardInput);
        _process.StandardInput.Close();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        CommandLine = fileName + " " + string.Join(' ', arguments);
    }

    public string CommandLine { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Standard output and error so far, interleaved.</summary>
    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    /// <summary>Waits for the exit code; past <paramref name="limit"/> kills the process tree and throws.</summary>
    public async Task<int> WaitAsync(TimeSpan limit)
    {
        try
        {
            await _exited.Task.WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            Kill();
            throw new TimeoutException($"{CommandLine} did not finish within {limit.TotalSeconds:0} s and was killed. Output:\n{Tail(Output)}");
        }
        _process.WaitForExit(); // the output readers are done
        return _process.ExitCode;
    }

    /// <summary>Waits until the output contains a line matching <paramref name="find"/>; returns what it returned.</summary>
    public async Task<T> WaitForOutputAsync<T>(Func<string, T?> find, TimeSpan limit) where T : class
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < limit)
        {
            if (find(Output) is { } found) return found;
            if (HasExited) throw new InvalidOperationException($"{CommandLine} exited with {_process.ExitCode}. Output:\n{Tail(Output)}");
            await Task.Delay(100);
        }
        throw new TimeoutException($"{CommandLine}: expected output did not appear within {limit.TotalSeconds:0} s. Output:\n{Tail(Output)}");
    }

    public void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException) { }
        catch (System.ComponentModel.Win32Exception) { }
    }

    public static string Tail(string s, int n = 6000) => s.Length <= n ? s : "…" + s[^n..];

    public void Dispose()
    {
        Kill();
        try { _process.WaitForExit(5000); } catch (InvalidOperationException) { }
        _process.Dispose();
    }
}
