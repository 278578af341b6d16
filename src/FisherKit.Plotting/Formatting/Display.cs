namespace FisherKit.Plotting.Formatting;

/// <summary>
/// Shows values in whatever hosts the code: the notebook engine sets a host for each cell, so a
/// library can show progress or figures without knowing the engine. Without a host, values are
/// written to <see cref="Console.Out"/> as text.
/// </summary>
public static class Display
{
    private static readonly AsyncLocal<IDisplayHost?> Current = new();
    private static IDisplayHost? _global;

    /// <summary>The host that receives displayed values on this asynchronous flow (null: the console).</summary>
    public static IDisplayHost? Host => Current.Value ?? _global;

    /// <summary>Sets the host for the current asynchronous flow until the result is disposed.</summary>
    public static IDisposable UseHost(IDisplayHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var previous = Current.Value;
        Current.Value = host;
        return new Restore(() => Current.Value = previous);
    }

    /// <summary>Sets the host for the whole process (a kernel or worker that runs one notebook).</summary>
    public static void SetProcessHost(IDisplayHost? host) => _global = host;

    /// <summary>Formats <paramref name="value"/> (into <paramref name="mimeTypes"/> when given) and shows it.</summary>
    /// <returns>A handle whose <see cref="DisplayHandle.Update"/> replaces the output in place.</returns>
    public static DisplayHandle Show(object? value, params string[] mimeTypes)
    {
        ArgumentNullException.ThrowIfNull(mimeTypes);
        var host = Host ?? ConsoleDisplayHost.Instance;
        var id = Guid.NewGuid().ToString("N");
        var types = mimeTypes.Length > 0 ? mimeTypes : null;
        host.Display(Formatter.ToMimeBundle(value, types), id);
        return new DisplayHandle(host, id, types);
    }

    private sealed class Restore(Action restore) : IDisposable
    {
        private Action? _restore = restore;
        public void Dispose() => Interlocked.Exchange(ref _restore, null)?.Invoke();
    }
}
