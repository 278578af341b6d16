using Markdig;

namespace FisherKit.Notebooks.Report;

/// <summary>
/// Markdown of notebook cells to HTML (Markdig, CommonMark with tables, emphasis extras, task
/// lists, auto-links). LaTeX (<c>$...$</c>, <c>$$...$$</c>) is kept as text in a
/// <c>span/div class="math"</c>: the site loads nothing from the network, so no MathJax.
/// </summary>
public static class MarkdownRenderer
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseAdvancedExtensions()
        .Build();

    /// <summary>The HTML of <paramref name="markdown"/>.</summary>
    public static string ToHtml(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        return Markdown.ToHtml(markdown, Pipeline);
    }
}
