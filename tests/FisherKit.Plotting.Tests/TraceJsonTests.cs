using System.Text.Json;
using System.Text.Json.Nodes;

namespace FisherKit.Plotting.Tests;

/// <summary>The JSON of each trace type, checked structurally and against committed snapshots.</summary>
public class TraceJsonTests
{
    private static JsonObject Parse(Figure f) => JsonNode.Parse(f.ToJson())!.AsObject();

    private static JsonObject FirstTrace(Figure f) => Parse(f)["data"]![0]!.AsObject();

    [Fact]
    public void Scatter_writes_its_type_first_and_omits_unset_attributes()
    {
        var fig = new Figure([new Scatter { X = new[] { 1.0, 2.0 }, Y = new[] { 3.0, 4.0 }, Mode = ScatterMode.LinesMarkers, Name = "a" }]);
        var json = fig.ToJson();
        Assert.StartsWith("{\"data\":[{\"type\":\"scatter\"", json);
        var t = FirstTrace(fig);
        Assert.Equal("lines+markers", (string?)t["mode"]);
        Assert.False(t.ContainsKey("line"));
        Assert.False(t.ContainsKey("showlegend"));
        Assert.Equal("{}", Parse(fig)["layout"]!.ToJsonString());
    }

    [Fact]
    public void Non_finite_numbers_become_null_gaps()
    {
        var t = FirstTrace(new Figure([new Scatter { Y = new[] { 1.0, double.NaN, double.PositiveInfinity, 2.5 } }]));
        Assert.Equal("[1,null,null,2.5]", t["y"]!.ToJsonString());
    }

    [Fact]
    public void Error_bars_use_plotly_underscore_names()
    {
        var t = FirstTrace(Chart.PointsWithErrors(new[] { 1.0 }, new[] { 2.0 }, new[] { 0.5 }));
        Assert.Equal("data", (string?)t["error_y"]!["type"]);
        Assert.Equal("[0.5]", t["error_y"]!["array"]!.ToJsonString());
    }

    [Fact]
    public void Titles_are_written_as_objects_as_plotly_3_requires()
    {
        var layout = Parse(Chart.Line(new[] { 0.0 }, new[] { 1.0 }, title: "T").WithAxisTitles("x [mm]", "y"))["layout"]!;
        Assert.Equal("T", (string?)layout["title"]!["text"]);
        Assert.Equal("x [mm]", (string?)layout["xaxis"]!["title"]!["text"]);
    }

    [Fact]
    public void Histogram_normalisation_and_overlay_are_spelled_as_plotly_expects()
    {
        var fig = Chart.Histograms([("a", new[] { 0.0, 1, 2 }), ("b", new[] { 1.0, 3 })], bins: 3);
        var j = Parse(fig);
        Assert.Equal("overlay", (string?)j["layout"]!["barmode"]);
        Assert.Equal("probability density", (string?)j["data"]![0]!["histnorm"]);
        // Both sets share the same bins, so their bars align.
        Assert.Equal(j["data"]![0]!["xbins"]!.ToJsonString(), j["data"]![1]!["xbins"]!.ToJsonString());
        Assert.Equal(0.0, (double)j["data"]![0]!["xbins"]!["start"]!);
        Assert.Equal(1.0, (double)j["data"]![0]!["xbins"]!["size"]!, 12);
    }

    [Fact]
    public void Count_histograms_write_plotlys_empty_normalisation()
    {
        var t = FirstTrace(new Figure([new Histogram { X = new[] { 1.0 }, HistNorm = HistNorm.Count }]));
        Assert.Equal("", (string?)t["histnorm"]);
    }

    [Fact]
    public void Heatmap_rows_are_nested_arrays_and_named_scales_strings()
    {
        var t = FirstTrace(Chart.Heatmap(new double[,] { { 1, 2, 3 }, { 4, double.NaN, 6 } }, colorScale: ColorScale.Cividis));
        Assert.Equal("heatmap", (string?)t["type"]);
        Assert.Equal("[[1,2,3],[4,null,6]]", t["z"]!.ToJsonString());
        Assert.Equal("Cividis", (string?)t["colorscale"]);
    }

    [Fact]
    public void Custom_colour_scales_are_position_colour_pairs()
    {
        var t = FirstTrace(new Figure([new Heatmap { Z = new double[,] { { 1 } }, ColorScale = ColorScale.FromStops((0, "white"), (1, "black")) }]));
        Assert.Equal("[[0,\"white\"],[1,\"black\"]]", t["colorscale"]!.ToJsonString());
    }

    [Fact]
    public void Visibility_and_box_points_mix_booleans_and_words()
    {
        var fig = new Figure([
            new Box { Y = new[] { 1.0 }, BoxPoints = BoxPoints.None, Visible = Visibility.LegendOnly },
            new Box { Y = new[] { 1.0 }, BoxPoints = BoxPoints.SuspectedOutliers, Visible = Visibility.Visible },
        ]);
        var d = Parse(fig)["data"]!;
        Assert.Equal("false", d[0]!["boxpoints"]!.ToJsonString());
        Assert.Equal("\"legendonly\"", d[0]!["visible"]!.ToJsonString());
        Assert.Equal("\"suspectedoutliers\"", d[1]!["boxpoints"]!.ToJsonString());
        Assert.Equal("true", d[1]!["visible"]!.ToJsonString());
    }

    [Fact]
    public void Log_axes_and_reversed_image_axes()
    {
        var layout = Parse(Chart.Line(new[] { 1.0, 10 }, new[] { 1.0, 100 }).WithLogAxes(x: true, y: true))["layout"]!;
        Assert.Equal("log", (string?)layout["xaxis"]!["type"]);
        Assert.Equal("log", (string?)layout["yaxis"]!["type"]);
        var image = Parse(Chart.ImageMap(new double[,] { { 1, 2 } }))["layout"]!;
        Assert.Equal("reversed", (string?)image["yaxis"]!["autorange"]);
        Assert.Equal("y", (string?)image["xaxis"]!["scaleanchor"]);
    }

    [Fact]
    public void Text_is_escaped_for_embedding_in_script_tags()
    {
        var json = Chart.Line(new[] { 0.0 }, new[] { 0.0 }, name: "</script><b>&", title: "σ in µm").ToJson();
        Assert.DoesNotContain("</script>", json);
        Assert.Contains("σ in µm", json);
        Assert.Equal("</script><b>&", (string?)JsonNode.Parse(json)!["data"]![0]!["name"]);
    }

    [Fact]
    public void Figures_read_back_from_their_json()
    {
        var fig = Chart.Grid(1, 2, [Chart.Heatmap(new double[,] { { 1, 2 }, { 3, 4 } }), Chart.Box([("a", new[] { 1.0, 2 })])]);
        var back = Figure.FromJson(fig.ToJson());
        Assert.Equal(fig.ToJson(), back.ToJson());
        Assert.IsType<Heatmap>(back.Data[0]);
        Assert.IsType<Box>(back.Data[1]);
    }

    [Fact]
    public void Non_finite_settings_are_written_as_null_like_non_finite_data()
    {
        // A NaN axis bound (the maximum of a diverged loss curve), opacity, colour midpoint or annotation position,
        // and the infinite bin size of a histogram over ±1e308, made ToJson throw for the whole figure.
        var fig = Chart.Line(new[] { 0.0, 1 }, new[] { 1.0, double.NaN }).AddAnnotation(new Annotation { Text = "a", X = double.PositiveInfinity, Y = 1 });
        fig = fig with { Layout = fig.Layout with { YAxis = new Axis { Range = [0, double.NaN] } } };
        fig = fig.AddTraces(new Scatter { Opacity = double.NaN }, new Heatmap { Z = new double[,] { { 1 } }, ZMid = double.NegativeInfinity });
        var json = JsonNode.Parse(fig.ToJson())!;
        Assert.Equal("[0,null]", json["layout"]!["yaxis"]!["range"]!.ToJsonString());
        var annotation = json["layout"]!["annotations"]![0]!.AsObject();
        Assert.True(annotation.ContainsKey("x") && annotation["x"] is null);
        Assert.True(json["data"]![1]!.AsObject().ContainsKey("opacity") && json["data"]![1]!["opacity"] is null);
        Assert.True(json["data"]![2]!.AsObject().ContainsKey("zmid") && json["data"]![2]!["zmid"] is null);
        Assert.True(double.IsNaN(Figure.FromJson(fig.ToJson()).Layout.YAxis!.Range![1]));
        Assert.Contains("\"size\":null", Chart.Histograms([("wide", new[] { -1e308, 1e308 })]).ToJson(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"data": [{"x": [1]}]}""", "type discriminator")]          // a trace without "type"
    [InlineData("""{"data": [null]}""", "Trace 0 is null")]
    [InlineData("""{"data": [{"type": "heatmap", "z": [[1, 2], [3]]}]}""", "Row 1 has 1 values")]
    [InlineData("""{"layout": {}}""", "no 'data' array")]
    public void Json_that_is_not_a_figure_is_refused_with_a_JsonException(string json, string reason)
    {
        var e = Assert.Throws<System.Text.Json.JsonException>(() => Figure.FromJson(json));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reversed_image_axes_survive_reading_back_from_json()
    {
        // Static images of notebook outputs are rendered from the figure read back from its JSON; a lost
        // "reversed" turned every single image map (and the first panel of a grid) upside down.
        var grid = Chart.Grid(1, 2, [Chart.ImageMap(new double[,] { { 1, 2 }, { 3, 4 } }), Chart.ImageMap(new double[,] { { 1, 2 } })]);
        var back = Figure.FromJson(grid.ToJson());
        Assert.True(back.Layout.YAxis!.Reversed);
        Assert.Equal(grid.ToJson(), back.ToJson());
        var layout = JsonNode.Parse(back.ToJson())!["layout"]!;
        Assert.Equal("reversed", (string?)layout["yaxis"]!["autorange"]);
        Assert.Equal("reversed", (string?)layout["yaxis2"]!["autorange"]);
        // plotly.js also allows true/false there: accepted, not reversed.
        var plain = Figure.FromJson("""{"data": [], "layout": {"yaxis": {"autorange": true}}}""");
        Assert.False(plain.Layout.YAxis!.Reversed);
    }

    [Fact]
    public void An_image_map_with_one_colour_bound_gets_the_other_from_the_data()
    {
        // plotly.js ignores zmin unless zmax is set too: the uncertainty map's "from zero" was lost.
        var t = FirstTrace(Chart.UncertaintyMap(new double[,] { { 1, 2.5 }, { double.NaN, 2 } }, "nm"));
        Assert.Equal(0, (double)t["zmin"]!);
        Assert.Equal(2.5, (double)t["zmax"]!);
        var upper = FirstTrace(Chart.ImageMap(new double[,] { { -1, 3 } }, zMax: 2));
        Assert.Equal(-1, (double)upper["zmin"]!);
        Assert.Equal(2, (double)upper["zmax"]!);
        var free = FirstTrace(Chart.ImageMap(new double[,] { { -1, 3 } }));
        Assert.Null(free["zmin"]);
        Assert.Null(free["zmax"]);
    }

    [Fact]
    public void Grid_colour_bars_sit_beside_their_own_row()
    {
        var map = Chart.UncertaintyMap(new double[,] { { 1, 2 } }, "nm");
        var layout = Parse(Chart.Grid(2, 1, [map, map], verticalSpacing: 0.2));
        var bars = layout["data"]!.AsArray().Select(t => t!["colorbar"]!).ToArray();
        Assert.Equal(0.8, (double)bars[0]["y"]!, 6);   // row 1 spans [0.6, 1]
        Assert.Equal(0.2, (double)bars[1]["y"]!, 6);   // row 2 spans [0, 0.4]
        Assert.Equal(0.4, (double)bars[0]["len"]!, 6);
        var oneRow = Parse(Chart.Grid(1, 2, [map, map]));
        Assert.Null(oneRow["data"]![0]!["colorbar"]!["y"]);
    }

    [Fact]
    public void Bad_input_is_rejected_with_the_reason()
    {
        var e = Assert.Throws<ArgumentException>(() => Chart.PointsWithErrors(new[] { 1.0, 2 }, new[] { 1.0 }, new[] { 1.0, 2 }));
        Assert.Contains("same length", e.Message);
        // plotly.js would silently draw only the first min(|x|, |y|) points.
        Assert.Contains("'y' has 1 values but 'x' has 3", Assert.Throws<ArgumentException>(() => Chart.Line(new[] { 0.0, 1, 2 }, new[] { 1.0 })).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Chart.Points(new[] { 0.0 }, new double[0]));
        Assert.Contains("'std' has 1 values but 'x' has 2", Assert.Throws<ArgumentException>(() => Chart.ErrorBand(new[] { 0.0, 1 }, new[] { 1.0, 2 }, new[] { 0.1 })).Message, StringComparison.Ordinal);
        Assert.Contains("'mean' has 3 values but 'x' has 2", Assert.Throws<ArgumentException>(() => Chart.ErrorBand(new[] { 0.0, 1 }, new[] { 1.0, 2, 3 }, new[] { 0.1, 0.1, 0.1 })).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Matrix.FromRows([new[] { 1.0, 2 }, new[] { 1.0 }]));
        Assert.Throws<ArgumentException>(() => new Layout { SubplotAxes = new Dictionary<string, Axis> { ["xaxis1"] = new() } });
        Assert.Throws<ArgumentException>(() => ColorScale.FromStops((0.2, "red"), (1, "blue")));
        Assert.Throws<ArgumentException>(() => Chart.ErrorBand(new[] { 1.0 }, new[] { 1.0 }, new[] { 2.0 }, new[] { 0.0 }));
    }

    public static TheoryData<string> SnapshotNames => new(Snapshots.All.Keys);

    [Theory]
    [MemberData(nameof(SnapshotNames))]
    public void Figure_json_matches_the_approved_snapshot(string name) =>
        Approval.Verify(name, Snapshots.All[name]().ToJson(indented: true));
}
