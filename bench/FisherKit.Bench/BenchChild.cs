using System.Diagnostics;
using System.Text.Json;

namespace FisherKit.Bench;

/// <summary>
/// The benchmark's child processes, with their output collected: this program started again, for a side
/// or probe that must start from its own defaults (the plain TorchSharp side, the allocator probes, the
/// Scalar hazard, which may abort), and the PyTorch scripts.
/// </summary>
internal static class BenchChild
{
    /// <summary>Runs <c>dotnet FisherKit.Bench.dll ARGS</c> with <paramref name="environment"/> added to this process's, and waits for it.</summary>
    /// <param name="args">The child's command line after the program.</param>
    /// <param name="environment">Variables to set (or override) in the child.</param>
    /// <param name="workingDirectory">The child's working directory (default: this process's).</param>
    /// <param name="threads">Thread counts of libtorch, OpenMP and MKL to pass on (<see cref="Program.SameThreads"/>), or null.</param>
    internal static (int ExitCode, string Output, string Errors) Run(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null,
                                                                     string? workingDirectory = null, int? threads = null) =>
        RunProgram("dotnet", args.Prepend(typeof(BenchChild).Assembly.Location), environment, workingDirectory, threads);

    /// <summary>Runs <paramref name="program"/> with <paramref name="args"/> (and <paramref name="environment"/> added), and waits for it.</summary>
    internal static (int ExitCode, string Output, string Errors) RunProgram(string program, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null,
                                                                       string? workingDirectory = null, int? threads = null)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (workingDirectory is not null) psi.WorkingDirectory = workingDirectory;
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (threads is { } t) Program.SameThreads(psi, t);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) psi.Environment[name] = value;
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {program} {string.Join(' ', args)}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>The last line of a child's output, parsed as JSON (children print their result last).</summary>
    internal static JsonElement LastJsonLine(string output) =>
        JsonDocument.Parse(output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement.Clone();
}
