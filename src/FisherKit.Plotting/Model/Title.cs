namespace FisherKit.Plotting;

/// <summary>
/// A title of a figure, axis or colour bar. plotly.js 3 and later accept only the object form
/// (<c>{"text": ...}</c>), which is what this record writes; a string converts implicitly.
/// </summary>
public sealed record Title
{
    /// <summary>The text; plotly.js renders a subset of HTML (<c>&lt;sub&gt;</c>, <c>&lt;b&gt;</c>, <c>&lt;br&gt;</c>).</summary>
    public string? Text { get; init; }

    /// <summary>Font of the title.</summary>
    public Font? Font { get; init; }

    /// <summary>Horizontal position in normalised coordinates (figure titles).</summary>
    public double? X { get; init; }

    /// <summary>Converts a plain string (null stays null).</summary>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(text))]
    public static implicit operator Title?(string? text) => text is null ? null : new() { Text = text };
}
