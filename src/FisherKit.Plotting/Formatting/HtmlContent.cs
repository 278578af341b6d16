namespace FisherKit.Plotting.Formatting;

/// <summary>An HTML fragment shown as is: <c>display(new HtmlContent("&lt;b&gt;done&lt;/b&gt;"))</c>.</summary>
/// <param name="Html">The markup.</param>
public sealed record HtmlContent(string Html)
{
    /// <inheritdoc />
    public override string ToString() => Html;
}
