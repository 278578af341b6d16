using System.Diagnostics;

namespace FisherKit.Bench;

/// <summary>Seconds per call: min and median over repeats, each repeat the mean of <c>Inner</c> calls.</summary>
internal sealed record Timing(double Min, double Median, double[] All, int Inner)
{
    internal static Timing Measure(Action action, int warmup, int repeats, int inner)
    {
        for (int i = 0; i < warmup; i++) action();
        var all = new double[repeats];
        for (int r = 0; r < repeats; r++)
        {
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < inner; i++) action();
            all[r] = sw.Elapsed.TotalSeconds / inner;
        }
        var sorted = all.Order().ToArray();
        var median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        return new Timing(sorted[0], median, all, inner);
    }

    internal static Timing FromJson(System.Text.Json.JsonElement e) => new(
        e.GetProperty("min").GetDouble(), e.GetProperty("median").GetDouble(),
        e.GetProperty("all").EnumerateArray().Select(x => x.GetDouble()).ToArray(), e.GetProperty("inner").GetInt32());
}
