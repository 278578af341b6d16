namespace FisherKit.Plotting;

/// <summary>Violin plot of samples (plotly.js <c>violin</c>): a kernel density estimate drawn mirrored.</summary>
public sealed record Violin : Trace
{
    /// <summary>Samples (vertical violin).</summary>
    public DataArray? Y { get; init; }

    /// <summary>Group labels (vertical violin).</summary>
    public DataArray? X { get; init; }

    /// <summary>Inner box settings (<c>{ visible: true }</c>).</summary>
    public ViolinBox? Box { get; init; }

    /// <summary>Mean line settings.</summary>
    public ViolinBox? MeanLine { get; init; }

    /// <summary>Which points are drawn beside the violin.</summary>
    public BoxPoints? Points { get; init; }

    /// <summary><c>"both"</c>, <c>"positive"</c> or <c>"negative"</c>: split violins compare two sets.</summary>
    public string? Side { get; init; }

    /// <summary>Fill and line colour.</summary>
    public Line? Line { get; init; }

    /// <summary>Orientation.</summary>
    public Orientation? Orientation { get; init; }
}

/// <summary>A visible/hidden switch of a violin part.</summary>
public sealed record ViolinBox
{
    /// <summary>Whether the part is drawn.</summary>
    public bool Visible { get; init; } = true;
}
