using FisherKit.Notebooks.Kernel;
using FisherKit.Notebooks.Kernel.Zmq;

namespace FisherKit.Notebooks.Cli;

/// <summary><c>fisherkit kernel -f FILE</c> and <c>fisherkit kernel install [--user|--prefix P]</c>.</summary>
internal static class KernelCommand
{
    public static async Task<int> RunAsync(bool install, string? connectionFile, bool user, string? prefix, TextWriter output, TextWriter error)
    {
        if (install)
        {
            if (user && prefix is not null)
            {
                await error.WriteLineAsync("fisherkit: --user and --prefix exclude each other.").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
            string folder;
            try { folder = KernelSpec.Install(prefix); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                await error.WriteLineAsync($"fisherkit: could not install the kernelspec: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
            await output.WriteLineAsync($"✔ installed kernelspec {KernelSpec.Name} (\"{KernelSpec.DisplayName}\") in {folder}").ConfigureAwait(false);
            if (!ZmqNative.IsAvailable)
                await error.WriteLineAsync("warning: libzmq (ZeroMQ) is not installed; the kernel needs it: apt-get install libzmq5").ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        if (string.IsNullOrEmpty(connectionFile))
        {
            await error.WriteLineAsync("fisherkit: 'fisherkit kernel' needs --connection-file (-f); Jupyter passes it. To make Jupyter offer the kernel, run 'fisherkit kernel install'.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        if (!ZmqNative.IsAvailable)
        {
            await error.WriteLineAsync("fisherkit: libzmq (ZeroMQ) is not installed; the kernel needs it: apt-get install libzmq5 (environment/setup.sh does).").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        int code;
        try
        {
            code = await JupyterKernel.RunAsync(connectionFile, error, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or FormatException or ZmqException)
        {
            await error.WriteLineAsync("fisherkit: " + e.Message).ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        // Threads a notebook started (or a cell that never stopped) must not keep the process alive.
        Environment.Exit(code);
        return code;
    }
}
