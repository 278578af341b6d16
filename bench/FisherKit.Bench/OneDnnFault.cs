using System.Text.Json;
using FisherKit.TorchSharpAdditions;
using static TorchSharp.torch;

namespace FisherKit.Bench;

/// <summary>
/// How often libtorch 2.10's oneDNN gets float32 convolutions wrong on this CPU, and how often FisherKit's check
/// (<see cref="OneDnn.CheckPasses"/> passes of <see cref="OneDnn.ConvolutionError"/>) would see it: child processes
/// with oneDNN on each run many passes of the check's comparison with float64, then two with oneDNN off. The fault
/// is intermittent and differs between processes, hence processes, not passes in one process. README.md's
/// statements about the fault (how large, how often a check misses it) come from the recorded run in
/// bench/measured/, shown in bench/README.md.
/// </summary>
internal static class OneDnnFault
{
    internal const string ChildCommand = "onednn-fault-child";

    private sealed record ChildResult(double[] ErrorsOn, double[] ErrorsOff, bool OneDnnWasOn, int Threads);

    internal static int Run(string[] args, string root)
    {
        var (processes, passes, threads) = FaultOptions.Parse(args);
        var env = EnvironmentRecord.Collect(get_num_threads(), root);
        Console.WriteLine($"onednn-fault: {processes} processes with oneDNN on, {passes} passes each over the check's three convolutions "
                          + $"(float32 against float64, tolerance {OneDnn.Tolerance:G}); the check itself uses the first {OneDnn.CheckPasses}; CPU {env["cpu_model"]}");
        var results = new List<ChildResult>();
        for (int p = 0; p < processes; p++)
        {
            // keep: FisherKit leaves oneDNN on, so the child measures oneDNN itself.
            var (code, output, errors) = BenchChild.Run([ChildCommand, $"{passes}"], new Dictionary<string, string> { ["FISHERKIT_ONEDNN"] = "keep" }, threads: threads);
            if (code != 0) throw new InvalidOperationException($"process {p + 1} ended with exit code {code}: {errors.Trim()}");
            var r = BenchChild.LastJsonLine(output).Deserialize<ChildResult>(Results.Json) ?? throw new InvalidOperationException($"process {p + 1}: no result");
            if (!r.OneDnnWasOn) throw new InvalidOperationException("oneDNN was off in the child: libtorch without it, or FISHERKIT_ONEDNN ignored");
            results.Add(r);
            Console.WriteLine($"  process {p + 1,2}: {r.ErrorsOn.Count(Faulty),3} of {passes} passes wrong (first wrong pass: "
                              + $"{(Array.FindIndex(r.ErrorsOn, Faulty) is var i and >= 0 ? (i + 1).ToString() : "none")}), largest error {r.ErrorsOn.Max():G3}; oneDNN off: {r.ErrorsOff.Max():G3}");
        }
        var summary = Summarize(results);
        foreach (var (k, v) in summary) Console.WriteLine($"  {k}: {v}");
        var file = Results.Write(root, "onednn-fault", new Dictionary<string, object?>
        {
            ["environment"] = env,
            ["options"] = new Dictionary<string, object?> { ["processes"] = processes, ["passes"] = passes, ["threads"] = threads, ["check_passes"] = OneDnn.CheckPasses, ["tolerance"] = OneDnn.Tolerance },
            ["processes"] = results.Select(r => new Dictionary<string, object?> { ["errors_onednn_on"] = r.ErrorsOn, ["errors_onednn_off"] = r.ErrorsOff, ["threads"] = r.Threads }).ToList(),
            ["summary"] = summary,
        });
        Console.WriteLine($"Results: {Path.GetRelativePath(root, file)}");
        return 0;
    }

    /// <summary>A pass the check counts as wrong: relative error above the tolerance, or not finite.</summary>
    private static bool Faulty(double error) => !(error <= OneDnn.Tolerance);

    private static Dictionary<string, object?> Summarize(List<ChildResult> results)
    {
        var faultyFinite = results.SelectMany(r => r.ErrorsOn).Where(e => Faulty(e) && double.IsFinite(e)).ToList();
        return new Dictionary<string, object?>
        {
            ["processes"] = results.Count,
            ["processes_found_by_the_check"] = results.Count(r => r.ErrorsOn.Take(OneDnn.CheckPasses).Any(Faulty)),
            ["processes_with_a_wrong_pass"] = results.Count(r => r.ErrorsOn.Any(Faulty)),
            ["passes_wrong"] = results.Sum(r => r.ErrorsOn.Count(Faulty)),
            ["passes"] = results.Sum(r => r.ErrorsOn.Length),
            ["passes_non_finite"] = results.Sum(r => r.ErrorsOn.Count(e => !double.IsFinite(e))),
            ["largest_finite_error_onednn_on"] = faultyFinite.Count > 0 ? faultyFinite.Max() : results.SelectMany(r => r.ErrorsOn).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Max(),
            ["median_finite_error_of_wrong_passes"] = faultyFinite.Count > 0 ? faultyFinite.Order().ElementAt(faultyFinite.Count / 2) : double.NaN,
            ["largest_error_onednn_off"] = results.SelectMany(r => r.ErrorsOff).Max(),
        };
    }

    /// <summary>One process: the passes with oneDNN as FisherKit left it (on, by FISHERKIT_ONEDNN=keep), then two with it off.</summary>
    internal static int Child(string[] args)
    {
        int passes = int.Parse(args[0]);
        bool wasOn = OneDnn.Enabled;
        var on = Enumerable.Range(0, passes).Select(_ => OneDnn.ConvolutionError()).ToArray();
        OneDnn.Enabled = false;
        var off = Enumerable.Range(0, 2).Select(_ => OneDnn.ConvolutionError()).ToArray();
        Console.WriteLine(JsonSerializer.Serialize(new ChildResult(on, off, wasOn, get_num_threads()), Results.Compact));
        return 0;
    }
}

internal sealed record FaultOptions(int Processes, int Passes, int? Threads)
{
    internal static FaultOptions Parse(string[] args)
    {
        var o = new FaultOptions(20, 40, null);   // threads: libtorch's default in the children, as a program gets it
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int N() => int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture);
            o = args[i] switch
            {
                "--processes" => o with { Processes = N() },
                "--passes" => o with { Passes = N() },
                "--threads" => o with { Threads = N() },
                "--quick" => o with { Processes = 3, Passes = OneDnn.CheckPasses },
                _ => throw new ArgumentException($"unknown option {args[i]} for onednn-fault; see bench/README.md"),
            };
        }
        if (o.Processes < 1 || o.Passes < OneDnn.CheckPasses || o.Threads < 1)
            throw new ArgumentException($"--processes and --threads must be positive, --passes at least {OneDnn.CheckPasses} (the check's passes)");
        return o;
    }
}
