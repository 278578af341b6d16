namespace FisherKit.Plotting;

/// <summary>Text style.</summary>
public sealed record Font
{
    /// <summary>CSS font family.</summary>
    public string? Family { get; init; }

    /// <summary>Size in points.</summary>
    public double? Size { get; init; }

    /// <summary>CSS colour.</summary>
    public string? Color { get; init; }
}
