using System.Globalization;

namespace FisherKit.Plotting.Formatting;

/// <summary>
/// Numbers as text for tables, figure titles and sentences in notebooks: culture-invariant (a point as the
/// decimal separator on every machine), with a dash for a missing value (NaN) and ∞ for infinities, so a
/// column of results reads the same in every host and in saved CSV-derived tables.
/// </summary>
/// <example>
/// <code>
/// using FisherKit.Plotting.Formatting;
/// 0.87333.Fixed(3)            // "0.873"
/// 1234.5.Significant(3)       // "1.23E+03"
/// 0.954.Percent(1)            // "95.4 %"
/// 0.912.PlusMinus(0.0123, 3)  // "0.912 ± 0.012"
/// double.NaN.Fixed(3)         // "–"
/// </code>
/// </example>
public static class NumberFormats
{
    /// <summary>The text of a missing value (NaN): an en dash.</summary>
    public const string Missing = "–";

    /// <summary>Fixed-point with <paramref name="decimals"/> digits after the point: 0.87333 → "0.873" (3). Rounds as
    /// <see cref="Tables.DataFrames.Rounded"/> does (<see cref="Math.Round(double, int, MidpointRounding)"/>, midpoints
    /// away from zero: 0.625 → "0.63" (2)), so a number in a sentence reads as in a rounded table.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="decimals"/> is outside 0…15.</exception>
    public static string Fixed(this double value, int decimals)
    {
        CheckDigits(decimals, 0, nameof(decimals));
        return Special(value) ?? Math.Round(value, decimals, MidpointRounding.AwayFromZero)
            .ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    /// <summary>At most <paramref name="digits"/> significant digits (general format, "G3" for 3):
    /// 0.000123456 → "0.000123", 1234.5 → "1.23E+03".</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="digits"/> is outside 1…15.</exception>
    public static string Significant(this double value, int digits)
    {
        CheckDigits(digits, 1, nameof(digits));
        return Special(value) ?? value.ToString("G" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    /// <summary>Scientific notation with <paramref name="decimals"/> digits after the point: 0.000123 → "1.2E-004" (1).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="decimals"/> is outside 0…15.</exception>
    public static string Scientific(this double value, int decimals)
    {
        CheckDigits(decimals, 0, nameof(decimals));
        return Special(value) ?? value.ToString("E" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    /// <summary>A fraction as a percentage with <paramref name="decimals"/> digits after the point and a space
    /// before the sign: 0.954 → "95.4 %" (1).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="decimals"/> is outside 0…15.</exception>
    public static string Percent(this double fraction, int decimals)
    {
        CheckDigits(decimals, 0, nameof(decimals));
        return Special(fraction) ?? (100 * fraction).Fixed(decimals) + " %";
    }

    /// <summary>A mean and a spread: "0.912 ± 0.012", both with <paramref name="decimals"/> digits after the point.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="decimals"/> is outside 0…15.</exception>
    public static string PlusMinus(this double value, double spread, int decimals) =>
        $"{value.Fixed(decimals)} ± {spread.Fixed(decimals)}";

    /// <summary>A range "0.81–0.93", both ends with <paramref name="decimals"/> digits after the point.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="decimals"/> is outside 0…15.</exception>
    public static string RangeTo(this double lower, double upper, int decimals) =>
        $"{lower.Fixed(decimals)}–{upper.Fixed(decimals)}";

    private static string? Special(double value) =>
        double.IsNaN(value) ? Missing : double.IsPositiveInfinity(value) ? "∞" : double.IsNegativeInfinity(value) ? "−∞" : null;

    private static void CheckDigits(int digits, int min, string name)
    {
        if (digits < min || digits > 15)
            throw new ArgumentOutOfRangeException(name, digits, $"Digits must lie in {min}…15.");
    }
}
