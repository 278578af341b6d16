using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;
using FisherKit.Plotting.Output;
using Xunit.Abstractions;

namespace FisherKit.Plotting.Tests.Browser;

/// <summary>Static images from headless Chromium: PNG of the requested size, SVG with the traces.</summary>
public class StaticImageTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Figures_render_to_png_and_svg_in_one_browser_run()
    {
        if (BrowserPage.SkipReason is { } reason) { output.WriteLine(reason); Console.WriteLine(reason); return; }
        var band = Snapshots.All["error-band"]();
        var hist = Snapshots.All["histograms-overlaid"]();
        var images = await StaticImageRenderer.Default.RenderManyAsync([
            new ImageRequest(band, ImageFormat.Png, 640, 360, Scale: 2),
            new ImageRequest(hist, ImageFormat.Svg, 500, 300),
        ]);
        var png = images[0];
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        Assert.Equal(1280, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)));
        Assert.Equal(720, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)));
        var svg = Encoding.UTF8.GetString(images[1]);
        Assert.StartsWith("<svg", svg);
        Assert.Equal(2, Regex.Matches(svg, "class=\"trace bars\"").Count);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(0.0)]
    [InlineData(-2.0)]
    [InlineData(1e6)]   // finite, but 3·10⁸ pixels a side
    public async Task A_scale_that_is_not_a_positive_number_is_refused_before_chromium_starts(double scale)
    {
        var dir = Directory.CreateTempSubdirectory("fk-png-");
        try
        {
            var path = Path.Combine(dir.FullName, "fig.png");
            var e = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Chart.Line(new[] { 0.0, 1 }, new[] { 1.0, 0 }).SavePngAsync(path, 300, 200, scale));
            Assert.Contains("scale", e.Message, StringComparison.Ordinal);
            Assert.Empty(Directory.GetFileSystemEntries(dir.FullName));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Saving_a_png_writes_the_file_through_a_temporary_name()
    {
        if (BrowserPage.SkipReason is { } reason) { output.WriteLine(reason); Console.WriteLine(reason); return; }
        var dir = Directory.CreateTempSubdirectory("fk-png-");
        try
        {
            var path = Path.Combine(dir.FullName, "sub", "fig.png");
            await Chart.Line(new[] { 0.0, 1 }, new[] { 1.0, 0 }).SavePngAsync(path, 300, 200);
            Assert.True(new FileInfo(path).Length > 1000);
            Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
