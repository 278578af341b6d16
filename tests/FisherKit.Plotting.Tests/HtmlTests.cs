using FisherKit.Plotting.Output;

namespace FisherKit.Plotting.Tests;

/// <summary>HTML output: offline pages and notebook fragments.</summary>
public class HtmlTests
{
    [Fact]
    public void Pages_inline_plotly_once_and_never_reference_a_network_location()
    {
        if (!PlotlyJs.IsAvailable) { Console.WriteLine("plotly.js not installed; HTML page test skipped"); return; }
        var page = HtmlPage.Render([Chart.Line(new[] { 0.0 }, new[] { 1.0 }), Chart.Bar(new[] { "a" }, new[] { 1.0 })]);
        Assert.Equal(1, CountOf(page, "plotly.js v"));
        Assert.Equal(2, CountOf(page, "class=\"fisherkit-figure\""));
        // No element loads anything from the network (plotly.js's own code mentions URLs, unused offline).
        Assert.DoesNotMatch("<(script|link|img)[^>]+(src|href)=\"(https?:)?//", page);
    }

    [Fact]
    public void Notebook_fragments_include_plotly_only_in_the_first_figure_of_a_scope()
    {
        if (!PlotlyJs.IsAvailable) { Console.WriteLine("plotly.js not installed; fragment test skipped"); return; }
        var fig = Chart.Line(new[] { 0.0 }, new[] { 1.0 });
        using (FigureHtml.BeginScope())
        {
            Assert.Contains("plotly.js v", FigureHtml.Render(fig));
            Assert.DoesNotContain("plotly.js v", FigureHtml.Render(fig));
        }
        using (FigureHtml.BeginScope(PlotlyScriptMode.None))
            Assert.DoesNotContain("plotly.js v", FigureHtml.Render(fig));
    }

    [Fact]
    public void A_static_image_fills_the_placeholder_of_a_fragment()
    {
        var html = FigureHtml.Render(Chart.Line(new[] { 0.0 }, new[] { 1.0 }), includePlotlyJs: false, id: "t");
        Assert.Contains(FigureHtml.StaticImagePlaceholder, html);
        var with = FigureHtml.WithStaticImage(html, "AAAA", 10, 20);
        Assert.Contains("<img src=\"data:image/png;base64,AAAA\" width=\"10\" height=\"20\"", with);
    }

    [Theory]
    [InlineData("a'b")]
    [InlineData("a\\b")]
    [InlineData("x</script>")]
    [InlineData("a b")]
    public void A_figure_id_that_html_and_javascript_would_read_differently_is_refused(string id)
    {
        var e = Assert.Throws<ArgumentException>(() => FigureHtml.Render(Chart.Line(new[] { 0.0 }, new[] { 1.0 }), includePlotlyJs: false, id: id));
        Assert.Equal("id", e.ParamName);
        Assert.Contains("id=\"fk-figure-report_7-a\"", FigureHtml.Render(Chart.Line(new[] { 0.0 }, new[] { 1.0 }), false, "report_7-a"), StringComparison.Ordinal);
    }

    [Fact]
    public void Saving_html_replaces_the_file_atomically()
    {
        if (!PlotlyJs.IsAvailable) { Console.WriteLine("plotly.js not installed; save test skipped"); return; }
        var dir = Directory.CreateTempSubdirectory("fk-html-");
        try
        {
            var path = Path.Combine(dir.FullName, "f.html");
            File.WriteAllText(path, "old");
            Chart.Line(new[] { 0.0 }, new[] { 1.0 }).SaveHtml(path);
            Assert.StartsWith("<!DOCTYPE html>", File.ReadAllText(path));
            Assert.Single(Directory.GetFiles(dir.FullName));
        }
        finally { dir.Delete(true); }
    }

    private static int CountOf(string s, string what)
    {
        var n = 0;
        for (var i = s.IndexOf(what, StringComparison.Ordinal); i >= 0; i = s.IndexOf(what, i + 1, StringComparison.Ordinal)) n++;
        return n;
    }
}
