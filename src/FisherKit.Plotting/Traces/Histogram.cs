namespace FisherKit.Plotting;

/// <summary>Histogram of raw samples (plotly.js <c>histogram</c>); binning happens in the browser.</summary>
public sealed record Histogram : Trace
{
    /// <summary>Samples, binned along x.</summary>
    public DataArray? X { get; init; }

    /// <summary>Samples, binned along y (horizontal histogram).</summary>
    public DataArray? Y { get; init; }

    /// <summary>Normalisation (<see cref="Plotting.HistNorm.ProbabilityDensity"/> to compare sets of different size).</summary>
    public HistNorm? HistNorm { get; init; }

    /// <summary>Maximum number of bins along x.</summary>
    public int? NBinsX { get; init; }

    /// <summary>Explicit bins along x.</summary>
    public Bins? XBins { get; init; }

    /// <summary>Bin colour.</summary>
    public Marker? Marker { get; init; }

    /// <summary>Cumulative histogram settings (<c>{ enabled: true }</c>).</summary>
    public Cumulative? Cumulative { get; init; }
}

/// <summary>Explicit histogram bins.</summary>
public sealed record Bins
{
    /// <summary>Left edge of the first bin.</summary>
    public double? Start { get; init; }

    /// <summary>Right edge of the last bin.</summary>
    public double? End { get; init; }

    /// <summary>Bin width.</summary>
    public double? Size { get; init; }
}

/// <summary>Cumulative histogram switch.</summary>
public sealed record Cumulative
{
    /// <summary>Whether counts accumulate (an empirical distribution function).</summary>
    public bool Enabled { get; init; }
}
