using System.Globalization;

namespace FisherKit.Plotting;

/// <summary>The colours charts cycle through (plotly.js's default colour way) and helpers for bands.</summary>
public static class Palette
{
    private static readonly string[] Colors =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    /// <summary>The <paramref name="index"/>-th colour (cycling).</summary>
    public static string Color(int index) => Colors[((index % Colors.Length) + Colors.Length) % Colors.Length];

    /// <summary><c>rgba(...)</c> of a <c>#rrggbb</c> colour with the given opacity, for filled bands.</summary>
    /// <exception cref="ArgumentException">The colour is not <c>#rrggbb</c> or the opacity is outside [0, 1].</exception>
    public static string WithAlpha(string hexColor, double alpha)
    {
        ArgumentNullException.ThrowIfNull(hexColor);
        if (hexColor.Length != 7 || hexColor[0] != '#' ||
            !int.TryParse(hexColor.AsSpan(1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var rgb))
            throw new ArgumentException($"Expected a colour like #1f77b4, got '{hexColor}'.", nameof(hexColor));
        if (alpha is < 0 or > 1 || double.IsNaN(alpha)) throw new ArgumentException($"Opacity must be in [0, 1], got {alpha}.", nameof(alpha));
        return string.Create(CultureInfo.InvariantCulture, $"rgba({(rgb >> 16) & 255},{(rgb >> 8) & 255},{rgb & 255},{alpha:0.###})");
    }
}
