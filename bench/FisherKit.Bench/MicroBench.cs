using System.Diagnostics;
using System.Globalization;
using static TorchSharp.torch;

namespace FisherKit.Bench;

/// <summary>One measured variant of a kernel comparison: seconds per call over rounds.</summary>
internal sealed record VariantTiming(string Group, string Name, Timing Timing, string? Note)
{
    internal object ToJson() => new { group = Group, name = Name, note = Note, timing = Timing.ToJson() };
}

/// <summary>
/// Interleaved timing of alternatives for the same work: every round runs every variant once (the
/// mean of <c>inner</c> calls, each inside a dispose scope), so slow phases of a shared machine hit
/// all of them; min and median are over rounds.
/// </summary>
internal static class MicroBench
{
    internal static List<VariantTiming> Compare(string group, int rounds, int inner, params (string name, Action run, string? note)[] variants)
    {
        var timings = variants.Select(_ => new Timing(inner)).ToArray();
        foreach (var v in variants)
            for (int i = 0; i < 2; i++) Scoped(v.run);       // warm-up: JIT, oneDNN primitive caches, allocator pools
        for (int r = 0; r < rounds; r++)
            for (int i = 0; i < variants.Length; i++)
            {
                var run = variants[i].run;
                timings[i].Repeat(() => Scoped(run));
            }
        var result = variants.Select((v, i) => new VariantTiming(group, v.name, timings[i], v.note)).ToList();
        Print(group, result);
        return result;
    }

    internal static void Scoped(Action a)
    {
        using var scope = NewDisposeScope();
        a();
    }

    internal static void Print(string group, IReadOnlyList<VariantTiming> rows)
    {
        Console.WriteLine($"{group}: ms per call, wall min (median), CPU min; x: relative to the fastest (CPU)");
        var best = rows.Min(r => r.Timing.CpuMin);
        foreach (var r in rows)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {r.Name,-58} {r.Timing.Min * 1e3,9:F3} ({r.Timing.Median * 1e3:F3}) {r.Timing.CpuMin * 1e3,9:F3}  x{r.Timing.CpuMin / best:F2}{(r.Note is null ? "" : "  " + r.Note)}"));
    }

    /// <summary>Wall seconds of one call of <paramref name="a"/>, best of <paramref name="repeats"/>.</summary>
    internal static double Best(Action a, int repeats)
    {
        Scoped(a);
        double best = double.MaxValue;
        for (int i = 0; i < repeats; i++)
        {
            var sw = Stopwatch.StartNew();
            Scoped(a);
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        return best;
    }
}
