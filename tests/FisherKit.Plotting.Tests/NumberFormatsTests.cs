using System.Globalization;
using FisherKit.Plotting.Formatting;
using FisherKit.Plotting.Tables;
using Microsoft.Data.Analysis;

namespace FisherKit.Plotting.Tests;

public class NumberFormatsTests
{
    [Fact]
    public void Numbers_read_the_same_in_every_culture()
    {
        var before = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            Assert.Equal("0.873", 0.87333.Fixed(3));
            Assert.Equal("12", 12.4.Fixed(0));
            Assert.Equal("0.000123", 0.000123456.Significant(3));
            Assert.Equal("1.23E+03", 1234.5.Significant(3));
            Assert.Equal("1.2E-004", 0.000123.Scientific(1));
            Assert.Equal("95.4 %", 0.954.Percent(1));
            Assert.Equal("0.912 ± 0.012", 0.912.PlusMinus(0.0123, 3));
            Assert.Equal("0.81–0.93", 0.8123.RangeTo(0.9251, 2));
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    [Fact]
    public void Fixed_rounds_as_a_rounded_table_does()
    {
        // .NET's "F" format rounds exact binary midpoints to even (0.625 → "0.62") and the exact binary value
        // otherwise (7.9795 → "7.979"), Math.Round midpoints away from zero (0.63, 7.98): a sentence and a
        // rounded table disagreed on accuracies such as 5/8.
        Assert.Equal("0.63", 0.625.Fixed(2));
        Assert.Equal("3", 2.5.Fixed(0));
        Assert.Equal("-3", (-2.5).Fixed(0));
        Assert.Equal("62.5 %", 0.625.Percent(1));
        Assert.Equal("1.000", 0.9995.Fixed(3));
        var random = new Random(7);
        var values = Enumerable.Range(0, 2000).Select(i => Math.Round((random.NextDouble() - 0.3) * 20, 4)).Append(0.8125).Append(7.9795).ToArray();
        var rounded = new DataFrame(new DoubleDataFrameColumn("x", values)).Rounded(3);
        for (var i = 0; i < values.Length; i++)
            Assert.Equal(((double)rounded["x"][i]!).ToString("F3", CultureInfo.InvariantCulture), values[i].Fixed(3));
    }

    [Fact]
    public void Missing_and_infinite_values_have_their_own_text()
    {
        Assert.Equal(NumberFormats.Missing, double.NaN.Fixed(3));
        Assert.Equal("–", double.NaN.Percent(1));
        Assert.Equal("∞", double.PositiveInfinity.Significant(3));
        Assert.Equal("−∞", double.NegativeInfinity.Fixed(1));
        Assert.Equal("– ± 0.10", double.NaN.PlusMinus(0.1, 2));
    }

    [Fact]
    public void Digits_out_of_range_are_refused_by_name()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => 1.0.Fixed(-1));
        Assert.Equal("decimals", e.ParamName);
        Assert.Equal("digits", Assert.Throws<ArgumentOutOfRangeException>(() => 1.0.Significant(0)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => 1.0.Scientific(16));
    }
}

public class FigureTweakTests
{
    [Fact]
    public void Colour_bars_go_and_the_height_is_set()
    {
        var map = Chart.ImageMap(new Matrix(2, 2, [1, 2, 3, 4]), title: "m");
        var grid = Chart.Grid(1, 2, [map, map]);
        var bare = grid.WithoutColorBars();
        Assert.All(bare.Data, t => Assert.False(Assert.IsType<Heatmap>(t).ShowScale));
        Assert.All(grid.Data, t => Assert.Null(Assert.IsType<Heatmap>(t).ShowScale));
        Assert.Equal(333, grid.WithHeight(333).Layout.Height);
        Assert.Equal(grid.Layout.Width, grid.WithHeight(333).Layout.Width);
        Assert.Throws<ArgumentOutOfRangeException>(() => grid.WithHeight(0));
    }
}
