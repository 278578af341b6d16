namespace FisherKit.Plotting;

/// <summary>Box plot of samples (plotly.js <c>box</c>): median, quartiles, whiskers.</summary>
public sealed record Box : Trace
{
    /// <summary>Samples (vertical box) or group labels (horizontal box).</summary>
    public DataArray? Y { get; init; }

    /// <summary>Group labels (vertical box) or samples (horizontal box).</summary>
    public DataArray? X { get; init; }

    /// <summary>Which points are drawn beside the box.</summary>
    public BoxPoints? BoxPoints { get; init; }

    /// <summary><c>true</c> to show the mean, <c>"sd"</c> for mean and standard deviation.</summary>
    public bool? BoxMean { get; init; }

    /// <summary>Box colour.</summary>
    public Marker? Marker { get; init; }

    /// <summary>Orientation.</summary>
    public Orientation? Orientation { get; init; }
}
