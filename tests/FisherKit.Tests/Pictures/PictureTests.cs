using FisherKit.Pictures;
using FisherKit.Plotting;

namespace FisherKit.Tests.Pictures;

public class PictureTests
{
    [Fact]
    public void Images_become_matrices_with_nan_outside_the_mask()
    {
        using var scope = NewDisposeScope();
        var img = arange(0, 6, 1, float64).reshape(1, 1, 2, 3);
        var mask = tensor(new bool[] { true, true, false, true, true, true }, [2, 3]);
        var m = Picture.ToMatrix(img, mask);
        Assert.Equal(5.0, m[1, 2]);
        Assert.True(double.IsNaN(m[0, 2]));
        Assert.Equal(1.0, Picture.ToMatrix(img)[0, 1]);
        Assert.Equal(4.0, Picture.ToMatrix(img.to(float32)[0])[1, 1]);
        Assert.Throws<ArgumentException>(() => Picture.ToMatrix(zeros([2, 2, 3], float64)));
        Assert.Throws<ArgumentException>(() => Picture.ToMatrix(img, ones([3, 2])));
    }

    [Fact]
    public void A_greyscale_picture_is_a_heat_map_from_black_to_white_without_a_colour_bar()
    {
        using var scope = NewDisposeScope();
        var figure = Picture.Greyscale(rand(1, 4, 5), "shirt");
        var map = Assert.IsType<Heatmap>(Assert.Single(figure.Data));
        Assert.False(map.ShowScale);
        Assert.Equal(0, map.ZMin);
        Assert.Equal(1, map.ZMax);
        Assert.Equal(ColorScale.Greys, map.ColorScale);
        Assert.Equal("shirt", figure.Layout.Title?.Text);
        Assert.Equal(4, map.Z!.Rows);
        Assert.Equal(5, map.Z.Columns);
    }

    [Fact]
    public void Maps_carry_their_unit_and_signed_maps_are_centred_at_zero()
    {
        using var scope = NewDisposeScope();
        var image = randn(6, 6, dtype: float64);
        var aperture = ones(6, 6, dtype: ScalarType.Bool);
        aperture[0, 0] = tensor(false);
        var map = Assert.IsType<Heatmap>(Assert.Single(Picture.Map(image, "u", unit: "nm", mask: aperture).Data));
        Assert.Equal("nm", map.ColorBar?.Title?.Text);
        Assert.True(double.IsNaN(map.Z![0, 0]));
        Assert.Equal(ColorScale.Viridis, map.ColorScale);

        var signed = Assert.IsType<Heatmap>(Assert.Single(Picture.SignedMap(image, 20, "error", "nm").Data));
        Assert.Equal((-20.0, 20.0, 0.0), (signed.ZMin, signed.ZMax, signed.ZMid));
        Assert.Equal(ColorScale.RdBu, signed.ColorScale);
        Assert.Throws<ArgumentOutOfRangeException>(() => Picture.SignedMap(image, 0));
    }

    [Fact]
    public void A_grid_takes_as_many_rows_as_the_pictures_need()
    {
        using var scope = NewDisposeScope();
        var pictures = Enumerable.Range(0, 7).Select(i => Picture.Greyscale(rand(3, 3), $"image {i}")).ToList();
        var grid = Picture.Grid(pictures, columns: 3, title: "seven");
        Assert.Equal(7, grid.Data.Count);
        Assert.Equal(7, grid.Layout.Annotations!.Count);
        Assert.Equal(Chart.Grid(3, 3, pictures, title: "seven", horizontalSpacing: 0.02, verticalSpacing: 0.1), grid);
        Assert.Equal(1, Picture.Grid(pictures.Take(2).ToList(), columns: 5).Data.Count(t => t.XAxis is null));
        Assert.Throws<ArgumentException>(() => Picture.Grid([], 3));
    }
}
