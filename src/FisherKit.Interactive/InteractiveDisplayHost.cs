using FisherKit.Plotting.Formatting;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

namespace FisherKit.Interactive;

/// <summary>
/// FisherKit's <see cref="IDisplayHost"/> in .NET Interactive: a shown value becomes a
/// <see cref="DisplayedValueProduced"/> and an update a <see cref="DisplayedValueUpdated"/> of the command
/// running now, both under FisherKit's display id, so Jupyter front ends (and nbconvert, which saves the
/// final state) replace the output in place, also when a later cell updates it. Without a command (a thread
/// that did not inherit one) values go to the console as text.
/// </summary>
internal sealed class InteractiveDisplayHost : IDisplayHost
{
    public void Display(MimeBundle bundle, string displayId) => Publish(bundle, displayId, update: false);

    public void UpdateDisplay(MimeBundle bundle, string displayId) => Publish(bundle, displayId, update: true);

    private static void Publish(MimeBundle bundle, string displayId, bool update)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentException.ThrowIfNullOrWhiteSpace(displayId);
        var context = KernelInvocationContext.Current;
        if (context is null || context.IsComplete)
        {
            if (update) ConsoleDisplayHost.Instance.UpdateDisplay(bundle, displayId);
            else ConsoleDisplayHost.Instance.Display(bundle, displayId);
            return;
        }
        var formatted = ToFormattedValues(bundle);
        var text = bundle.TryGetValue(MimeTypes.PlainText, out var plain) ? plain : "";
        context.Publish(update
            ? new DisplayedValueUpdated(text, displayId, context.Command, formatted)
            : new DisplayedValueProduced(text, context.Command, formatted, displayId));
    }

    internal static FormattedValue[] ToFormattedValues(MimeBundle bundle) =>
        bundle.Select(kv => new FormattedValue(kv.Key, kv.Value)).ToArray();
}
