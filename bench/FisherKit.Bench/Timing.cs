using System.Diagnostics;

namespace FisherKit.Bench;

/// <summary>
/// Seconds per call over repeats (each repeat the mean of <c>Inner</c> calls): wall time and the
/// process's CPU time (all threads), which other load on a shared machine disturbs less.
/// </summary>
internal sealed class Timing(int inner)
{
    public int Inner { get; } = inner;
    public List<double> Wall { get; } = [];
    public List<double> Cpu { get; } = [];
    public double Min => Wall.Min();
    public double Median => MedianOf(Wall);
    public double CpuMin => Cpu.Min();
    public double CpuMedian => MedianOf(Cpu);

    /// <summary>Runs <paramref name="inner"/> calls once and records their mean wall and CPU time.</summary>
    internal void Repeat(Action action)
    {
        using var self = Process.GetCurrentProcess();
        var c0 = self.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < Inner; i++) action();
        Wall.Add(sw.Elapsed.TotalSeconds / Inner);
        self.Refresh();
        Cpu.Add((self.TotalProcessorTime - c0).TotalSeconds / Inner);
    }

    /// <summary>Adds the repeats one run of the Python script measured.</summary>
    internal void Add(System.Text.Json.JsonElement e)
    {
        Wall.AddRange(e.GetProperty("all").EnumerateArray().Select(x => x.GetDouble()));
        Cpu.AddRange(e.GetProperty("cpu_all").EnumerateArray().Select(x => x.GetDouble()));
    }

    internal static double MedianOf(IReadOnlyCollection<double> values)
    {
        var s = values.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }

    internal object ToJson() => new { min_s = Min, median_s = Median, cpu_min_s = CpuMin, cpu_median_s = CpuMedian, inner = Inner, wall_s = Wall, cpu_s = Cpu };
}
