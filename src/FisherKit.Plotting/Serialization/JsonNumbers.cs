using System.Text.Json;

namespace FisherKit.Plotting;

/// <summary>Writes doubles as plotly.js expects them: finite values as numbers, the rest as null (a gap).</summary>
internal static class JsonNumbers
{
    public static void Write(Utf8JsonWriter writer, double v)
    {
        if (double.IsFinite(v)) writer.WriteNumberValue(v);
        else writer.WriteNullValue();
    }
}
