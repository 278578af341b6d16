using System.Diagnostics;
using System.Text;

namespace FisherKit.Plotting.Output;

/// <summary>
/// Headless Chromium (Debian's <c>chromium</c>), used to render figures to static images and to
/// check pages in tests. Started without sandbox, GPU or any background networking (on a closed
/// network Chromium otherwise waits for its update and sync services), with a fresh profile each time.
/// </summary>
public static class Chromium
{
    /// <summary>The browser: <c>FISHERKIT_CHROMIUM</c>, else the first of <c>chromium</c>,
    /// <c>chromium-browser</c>, <c>google-chrome</c> on the PATH; null when none is installed.</summary>
    public static string? Find()
    {
        if (Environment.GetEnvironmentVariable("FISHERKIT_CHROMIUM") is { Length: > 0 } env)
            return File.Exists(env) ? env : null;
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var name in new[] { "chromium", "chromium-browser", "google-chrome", "google-chrome-stable" })
            foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Append("/usr/bin"))
            {
                var candidate = Path.Combine(dir, name);
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }

    /// <summary>The browser, or an exception that says how to install it.</summary>
    /// <exception cref="FileNotFoundException">No Chromium is installed.</exception>
    public static string Require() => Find() ?? throw new FileNotFoundException(
        "Headless Chromium is needed to render figures as PNG/SVG but was not found. Install Debian's 'chromium' " +
        "(environment/setup.sh does), or set FISHERKIT_CHROMIUM to a Chromium or Chrome executable.");

    /// <summary>The switches FisherKit starts Chromium with.</summary>
    public static IReadOnlyList<string> HeadlessArguments(string userDataDir) =>
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-extensions", "--disable-default-apps", "--mute-audio", "--hide-scrollbars",
        $"--user-data-dir={userDataDir}",
    ];

    /// <summary>
    /// Loads <paramref name="file"/>, lets its scripts run for up to <paramref name="virtualTimeBudget"/>
    /// of virtual time, and returns the resulting DOM as HTML.
    /// </summary>
    /// <exception cref="TimeoutException">Chromium did not finish within <paramref name="timeout"/>.</exception>
    /// <exception cref="InvalidOperationException">Chromium failed; the message holds its error output.</exception>
    public static async Task<string> DumpDomAsync(string file, TimeSpan virtualTimeBudget, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(file);
        var exe = Require();
        var profile = Directory.CreateTempSubdirectory("fisherkit-chromium-");
        try
        {
            var psi = new ProcessStartInfo(exe)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
                StandardOutputEncoding = Encoding.UTF8,
            };
            foreach (var a in HeadlessArguments(profile.FullName)) psi.ArgumentList.Add(a);
            psi.ArgumentList.Add($"--virtual-time-budget={(long)virtualTimeBudget.TotalMilliseconds}");
            psi.ArgumentList.Add("--dump-dom");
            psi.ArgumentList.Add(new Uri(Path.GetFullPath(file)).AbsoluteUri);
            using var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {exe}.");
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                cancellationToken.ThrowIfCancellationRequested();
                throw new TimeoutException($"Chromium did not finish rendering {file} within {timeout.TotalSeconds:0} s.");
            }
            var dom = await stdout.ConfigureAwait(false);
            if (process.ExitCode != 0 || dom.Length == 0)
            {
                var err = await stderr.ConfigureAwait(false);
                throw new InvalidOperationException($"Chromium exited with code {process.ExitCode} while rendering {file}: {Tail(err, 2000)}");
            }
            return dom;
        }
        finally
        {
            try { profile.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static string Tail(string s, int n) => s.Length <= n ? s : s[^n..];
}
