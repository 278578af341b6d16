namespace FisherKit.Plotting;

/// <summary>Figure margins in pixels.</summary>
public sealed record Margin
{
    /// <summary>Left.</summary>
    public int? L { get; init; }
    /// <summary>Right.</summary>
    public int? R { get; init; }
    /// <summary>Top.</summary>
    public int? T { get; init; }
    /// <summary>Bottom.</summary>
    public int? B { get; init; }
}
