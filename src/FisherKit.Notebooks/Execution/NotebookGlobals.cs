using FisherKit.Plotting.Formatting;

namespace FisherKit.Notebooks.Execution;

/// <summary>
/// Names every cell can use without a <c>using</c>, as in .NET Interactive: <c>display(x)</c>.
/// </summary>
public class NotebookGlobals
{
    /// <summary>Shows <paramref name="value"/> as an output of the running cell (into
    /// <paramref name="mimeTypes"/> only, when given) and returns a handle whose
    /// <see cref="DisplayHandle.Update"/> replaces that output in place.</summary>
#pragma warning disable IDE1006, CA1822 // lower-case like .NET Interactive's display(); an instance member so scripts see it
    public DisplayHandle display(object? value, params string[] mimeTypes) => Display.Show(value, mimeTypes);
#pragma warning restore IDE1006, CA1822
}
