using FisherKit.TorchSharpAdditions;

namespace FisherKit.Bench;

/// <summary>
/// libtorch's oneDNN switch for the whole run. By default the benchmark measures what a FisherKit
/// program gets: FisherKit's default on first use (<see cref="OneDnn.EnsureCorrectConvolutions"/>),
/// oneDNN off, because libtorch 2.10's oneDNN computes wrong float32 convolution gradients on some CPUs. <c>--onednn on</c> keeps it on regardless (FISHERKIT_ONEDNN=keep), <c>--onednn off</c>
/// switches it off. The TorchSharp and PyTorch sides are then given the state FisherKit's process ended
/// up with, so every side runs the same convolution kernels.
/// </summary>
internal static class EngineFlags
{
    /// <summary>libtorch's flag in this process, or null where it cannot be read.</summary>
    internal static bool? OneDnnEnabled
    {
        get
        {
            try { return OneDnn.Enabled; }
            catch (NotSupportedException) { return null; }
        }
    }

    private static string? _forced;

    /// <summary>What FisherKit's check found (or why it did not run), and what <c>--onednn</c> made of it.</summary>
    internal static string? Diagnosis => _forced is null ? OneDnn.Diagnosis : $"{_forced}; FisherKit's check: {OneDnn.Diagnosis}";

    /// <summary>Applies <c>--onednn on|off</c> (absent: FisherKit's check decides), runs FisherKit's check, and returns the other arguments.</summary>
    internal static string[] Apply(string[] args)
    {
        int i = Array.IndexOf(args, "--onednn");
        string? mode = null;
        if (i >= 0)
        {
            if (i + 1 >= args.Length || args[i + 1] is not ("on" or "off")) throw new ArgumentException("--onednn takes on or off");
            mode = args[i + 1];
            args = [.. args.Where((_, j) => j != i && j != i + 1)];
        }
        // FisherKit may already have run its check when its assembly loaded; the variable reaches the
        // child processes, and the flag is set explicitly afterwards.
        if (mode is not null) Environment.SetEnvironmentVariable("FISHERKIT_ONEDNN", mode == "on" ? "keep" : "off");
        try
        {
            OneDnn.EnsureCorrectConvolutions();
            if (mode is not null)
            {
                OneDnn.Enabled = mode == "on";
                _forced = $"oneDNN {mode} by --onednn {mode}";
            }
        }
        catch (NotSupportedException) { }
        return args;
    }
}
