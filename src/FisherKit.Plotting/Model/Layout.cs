using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using FisherKit.Plotting.Serialization;

namespace FisherKit.Plotting;

/// <summary>Everything about a figure that is not data: titles, axes, legend, size, annotations.</summary>
public sealed partial record Layout
{
    /// <summary>Figure title.</summary>
    public Title? Title { get; init; }

    /// <summary>The first x axis.</summary>
    [JsonPropertyName("xaxis")]
    public Axis? XAxis { get; init; }

    /// <summary>The first y axis.</summary>
    [JsonPropertyName("yaxis")]
    public Axis? YAxis { get; init; }

    /// <summary>Further axes of subplot grids, keyed by plotly.js name: <c>"xaxis2"</c>, <c>"yaxis3"</c>, ...</summary>
    /// <exception cref="ArgumentException">A key is not of the form <c>xaxisN</c>/<c>yaxisN</c> with N ≥ 2.</exception>
    [JsonIgnore]
    public IReadOnlyDictionary<string, Axis>? SubplotAxes
    {
        get => _subplotAxes ?? (_readAxes is { Count: > 0 }
            ? _readAxes.Where(kv => AxisKey().IsMatch(kv.Key))
                .ToDictionary(kv => kv.Key, kv => kv.Value.Deserialize<Axis>(PlotlyJson.Options)!)
            : null);
        init
        {
            if (value is not null)
                foreach (var key in value.Keys)
                    if (!AxisKey().IsMatch(key))
                        throw new ArgumentException($"Subplot axis key '{key}' must be 'xaxisN' or 'yaxisN' with N >= 2.", nameof(SubplotAxes));
            _subplotAxes = value;
        }
    }

    private readonly IReadOnlyDictionary<string, Axis>? _subplotAxes;
    private Dictionary<string, JsonElement>? _readAxes;

    [GeneratedRegex("^[xy]axis([2-9]|[1-9][0-9]+)$")]
    private static partial Regex AxisKey();

    /// <summary>Written in place of <see cref="SubplotAxes"/>: each axis as a top-level layout
    /// attribute. When reading, the serializer fills the dictionary it gets from the setter.</summary>
    [JsonExtensionData]
    [JsonInclude]
    internal Dictionary<string, JsonElement>? SubplotAxesJson
    {
        get => _subplotAxes is null ? _readAxes : _subplotAxes.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .ToDictionary(kv => kv.Key, kv => JsonSerializer.SerializeToElement(kv.Value, PlotlyJson.Options));
        set => _readAxes = value;
    }

    /// <summary>Whether the legend is shown.</summary>
    public bool? ShowLegend { get; init; }

    /// <summary>Legend placement.</summary>
    public Legend? Legend { get; init; }

    /// <summary>How bars and histograms share the axis (<see cref="BarMode.Overlay"/> for overlaid histograms).</summary>
    public BarMode? BarMode { get; init; }

    /// <summary>Gap between bars as a fraction of the bar width.</summary>
    public double? BarGap { get; init; }

    /// <summary><c>"group"</c> or <c>"overlay"</c> for several box traces.</summary>
    public string? BoxMode { get; init; }

    /// <summary><c>"group"</c> or <c>"overlay"</c> for several violin traces.</summary>
    public string? ViolinMode { get; init; }

    /// <summary>Notes placed in the figure.</summary>
    public IReadOnlyList<Annotation>? Annotations { get; init; }

    /// <summary>Width in pixels (null: fill the container).</summary>
    public int? Width { get; init; }

    /// <summary>Height in pixels.</summary>
    public int? Height { get; init; }

    /// <summary>Margins.</summary>
    public Margin? Margin { get; init; }

    /// <summary>Default font.</summary>
    public Font? Font { get; init; }

    /// <summary>Hover behaviour: <c>"closest"</c>, <c>"x"</c>, <c>"x unified"</c>, ...</summary>
    public string? HoverMode { get; init; }

    /// <summary>Background of the whole figure.</summary>
    [JsonPropertyName("paper_bgcolor")]
    public string? PaperBgColor { get; init; }

    /// <summary>Background of the plotting area.</summary>
    [JsonPropertyName("plot_bgcolor")]
    public string? PlotBgColor { get; init; }
}
