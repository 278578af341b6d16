namespace FisherKit.Plotting.Formatting;

/// <summary>Markdown text shown rendered: <c>display(new MarkdownContent("**5** samples"))</c>.</summary>
/// <param name="Markdown">The markdown source.</param>
public sealed record MarkdownContent(string Markdown)
{
    /// <inheritdoc />
    public override string ToString() => Markdown;
}
