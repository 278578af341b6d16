namespace FisherKit.Plotting.Output;

/// <summary>One document's worth of figure fragments (a notebook run): remembers whether plotly.js
/// has been inlined already. See <see cref="FigureHtml.Use"/>.</summary>
/// <param name="mode">How fragments in this scope include plotly.js.</param>
public sealed class PlotlyScriptScope(PlotlyScriptMode mode)
{
    /// <summary>How fragments in this scope include plotly.js.</summary>
    public PlotlyScriptMode Mode { get; } = mode;

    /// <summary>Whether a fragment of this scope has inlined plotly.js.</summary>
    public bool Emitted { get; internal set; }
}
