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
/// <remarks>
/// The output that carries plotly.js (the session's first figure) keeps it through updates: a live training
/// curve shown with <see cref="FisherKit.Plotting.Formatting.Display.Show"/> and updated each epoch is the first
/// figure of many notebooks, and its final state is what a saved notebook keeps.
/// </remarks>
internal sealed class InteractiveDisplayHost : IDisplayHost
{
    private readonly object _gate = new();
    private string? _plotlyCarrier;

    public void Display(MimeBundle bundle, string displayId) => Publish(bundle, displayId, update: false);

    public void UpdateDisplay(MimeBundle bundle, string displayId) => Publish(bundle, displayId, update: true);

    private void Publish(MimeBundle bundle, string displayId, bool update)
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
        bundle = KeepPlotlyJs(bundle, displayId, update);
        var formatted = ToFormattedValues(bundle);
        var text = bundle.TryGetValue(MimeTypes.PlainText, out var plain) ? plain : "";
        context.Publish(update
            ? new DisplayedValueUpdated(text, displayId, context.Command, formatted)
            : new DisplayedValueProduced(text, context.Command, formatted, displayId));
    }

    private MimeBundle KeepPlotlyJs(MimeBundle bundle, string displayId, bool update)
    {
        bundle.TryGetValue(MimeTypes.Html, out var html);
        var carries = html is not null && FigureFormatting.CarriesPlotlyJs(html);
        lock (_gate)
        {
            if (carries)
            {
                _plotlyCarrier = displayId;
                return bundle;
            }
            if (!update || displayId != _plotlyCarrier) return bundle;
            if (html is not null && html.Contains("class=\"fisherkit-figure\"", StringComparison.Ordinal))
                return bundle.With(MimeTypes.Html, FigureFormatting.WithPlotlyJs(html));
            _plotlyCarrier = null;
        }
        FigureFormatting.CarrierReplaced();
        return bundle;
    }

    internal static FormattedValue[] ToFormattedValues(MimeBundle bundle) =>
        bundle.Select(kv => new FormattedValue(kv.Key, kv.Value)).ToArray();
}
