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
    public bool Any => Wall.Count > 0;
    public double Min => Wall.Count > 0 ? Wall.Min() : double.NaN;
    public double Median => MedianOf(Wall);
    public double CpuMin => Cpu.Count > 0 ? Cpu.Min() : double.NaN;
    public double CpuMedian => MedianOf(Cpu);

    /// <summary>Runs <c>Inner</c> calls once and records their mean wall and CPU time.</summary>
    internal void Repeat(Action action) => Repeat(action, Inner);

    /// <summary>Runs <paramref name="calls"/> calls once and records the wall and CPU time per call.</summary>
    internal void Repeat(Action action, int calls)
    {
        using var self = Process.GetCurrentProcess();
        var c0 = self.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < calls; i++) action();
        Wall.Add(sw.Elapsed.TotalSeconds / calls);
        self.Refresh();
        Cpu.Add((self.TotalProcessorTime - c0).TotalSeconds / calls);
    }

    /// <summary>Runs <paramref name="block"/> once, which performs <c>Inner</c> steps, and records the time per step.</summary>
    internal void Block(Action block)
    {
        using var self = Process.GetCurrentProcess();
        var c0 = self.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        block();
        Wall.Add(sw.Elapsed.TotalSeconds / Inner);
        self.Refresh();
        Cpu.Add((self.TotalProcessorTime - c0).TotalSeconds / Inner);
    }

    /// <summary>Records one measurement made elsewhere (seconds per call).</summary>
    internal void Add(double wall, double cpu)
    {
        Wall.Add(wall);
        Cpu.Add(cpu);
    }

    /// <summary>Adds the repeats one run of the Python script measured.</summary>
    internal void Add(System.Text.Json.JsonElement e)
    {
        Wall.AddRange(e.GetProperty("all").EnumerateArray().Select(x => x.GetDouble()));
        Cpu.AddRange(e.GetProperty("cpu_all").EnumerateArray().Select(x => x.GetDouble()));
    }

    internal static double MedianOf(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0) return double.NaN;
        var s = values.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }

    internal object ToJson() => new { min_s = Min, median_s = Median, cpu_min_s = CpuMin, cpu_median_s = CpuMedian, inner = Inner, wall_s = Wall, cpu_s = Cpu };
}
