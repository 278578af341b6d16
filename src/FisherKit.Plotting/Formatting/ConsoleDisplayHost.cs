namespace FisherKit.Plotting.Formatting;

/// <summary>Shows displayed values as their text on <see cref="Console.Out"/> (updates print again).</summary>
public sealed class ConsoleDisplayHost : IDisplayHost
{
    /// <summary>The one instance.</summary>
    public static ConsoleDisplayHost Instance { get; } = new();

    private ConsoleDisplayHost() { }

    /// <inheritdoc />
    public void Display(MimeBundle bundle, string displayId)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        Console.Out.WriteLine(bundle.TryGetValue(MimeTypes.PlainText, out var text) ? text : bundle.ToString());
    }

    /// <inheritdoc />
    public void UpdateDisplay(MimeBundle bundle, string displayId) => Display(bundle, displayId);
}
