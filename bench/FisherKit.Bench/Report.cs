using System.Globalization;

namespace FisherKit.Bench;

/// <summary>The tables printed at the end of a run and the results JSON (bench/README.md explains every column).</summary>
internal sealed class Report(BenchOptions o, Workload[] rates, Dictionary<string, Timing> rateTimes, Workload[] ours,
    Dictionary<string, Timing> ourTimes, Dictionary<string, Timing> plainTimes, Dictionary<string, Timing>? pyTimes, FisherSuite? suite)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>One Fisher quantity across the sides: FisherKit's key, plain TorchSharp loops, PyTorch loops and PyTorch batched (functorch).</summary>
    private sealed record FisherRow(string Key, string Title, string Ours, string[] Plain, string[] PyLoop, string? PyBatched, long? Flops, bool Target);

    private static readonly FisherRow[] FisherRows =
    [
        new("reduced", "reduced form p/(1-p)·‖g‖²", "reduced", ["reduced"], ["loop_reduced"], "batched_reduced", Cnn.TrainFlopsPerSample(), true),
        new("form_full", "full form along g/‖g‖", "form_full", ["form_full", "form_full_cd"], ["loop_form_full_exact", "loop_form_full"], "batched_form_full", Cnn.FormFlopsPerSample(), true),
        new("form_tensor", "per-tensor form, v = g", "form_tensor", ["form_tensor_cd"], ["loop_form_tensor"], null, null, false),
        new("all_quantities", "all quantities (loops: trace only)", "all_quantities", ["trace"], ["loop_trace"], null, null, false),
        new("fd_form_tensor", "FisherKit's own one-at-a-time ±εv loop", "fd_form_tensor", ["form_tensor_cd"], ["loop_form_tensor"], null, null, false),
    ];

    private double GemmRate => rates[0].Flops!.Value / rateTimes["gemm"].Min / 1e9;
    private double ConvRate => rates[1].Flops!.Value / rateTimes["conv"].Min / 1e9;

    private static string Ms(double s) => double.IsNaN(s) ? "-" : (s * 1e3).ToString(s < 0.01 ? "F3" : "F1", Inv);
    private static string T(Timing? t, bool cpu = false) => t is null || !t.Any ? "-" : cpu ? $"{Ms(t.CpuMin)} ({Ms(t.CpuMedian)})" : $"{Ms(t.Min)} ({Ms(t.Median)})";
    private static string R(double r) => double.IsNaN(r) ? "-" : r.ToString("F3", Inv);
    private static double Ratio(Timing? a, Timing? b, bool cpu = false) =>
        a is { Any: true } && b is { Any: true } ? (cpu ? a.CpuMin / b.CpuMin : a.Min / b.Min) : double.NaN;

    internal void Print()
    {
        Console.WriteLine();
        Console.WriteLine(string.Create(Inv, $"Compute rates (best round): matmul {o.Cnn.GemmN}³ float32 {GemmRate:F1} GFLOP/s, convolution (conv2, batch 64) {ConvRate:F1} GFLOP/s") +
            (pyTimes is not null ? string.Create(Inv, $"; PyTorch {PyRate("gemm", 0):F1} and {PyRate("conv", 1):F1} GFLOP/s") : ""));
        if (ours.Length > 0) PrintCnn();
        if (suite is not null) PrintFisher(suite);
    }

    private double PyRate(string key, int rate) => Py(key) is { } t ? rates[rate].Flops!.Value / t.Min / 1e9 : double.NaN;

    private Timing? Py(string key) => pyTimes is not null && pyTimes.TryGetValue(key, out var t) && t.Any ? t : null;

    private void PrintCnn()
    {
        Console.WriteLine();
        Console.WriteLine("Training and Hessian-vector product: ms per step, min (median) over rounds; ratio = FisherKit / other (below 1: FisherKit faster).");
        foreach (var cpu in new[] { false, true })
        {
            if (cpu) Console.WriteLine("Process CPU time per step (all threads), min (median):");
            Console.WriteLine($"  {"workload",-36} {"FisherKit",20} {"TorchSharp",20} {"ratio",6} {"PyTorch",20} {"ratio",6}" + (cpu ? "" : $" {"GFLOP/s",8} {"of GEMM",7} {"of conv",7}"));
            foreach (var w in ours)
            {
                var line = $"  {w.Title,-36} {T(ourTimes[w.Key], cpu),20} {T(plainTimes[w.Key], cpu),20} {R(Ratio(ourTimes[w.Key], plainTimes[w.Key], cpu)),6} {T(Py(w.Key), cpu),20} {R(Ratio(ourTimes[w.Key], Py(w.Key), cpu)),6}";
                if (!cpu)
                {
                    var rate = w.Flops is { } f ? f / ourTimes[w.Key].Min / 1e9 : double.NaN;
                    line += string.Create(Inv, $" {(double.IsNaN(rate) ? "-" : rate.ToString("F1", Inv)),8} {(double.IsNaN(rate) ? "-" : (rate / GemmRate).ToString("P0", Inv)),7} {(double.IsNaN(rate) ? "-" : (rate / ConvRate).ToString("P0", Inv)),7}");
                }
                Console.WriteLine(line);
            }
        }
        var flops = Cnn.TrainFlopsPerSample();
        Console.WriteLine(string.Create(Inv, $"A training step costs {flops / 1e6:F2} MFLOP per sample ({64 * flops / 1e9:F2} GFLOP at batch 64): at least {64.0 * flops / (Math.Max(GemmRate, ConvRate) * 1e9) * 1e3:F1} ms at the faster measured rate."));
        foreach (var key in new[] { "train_batch64", "train_batch1" })
        {
            var r = Ratio(ourTimes[key], plainTimes[key]);
            Console.WriteLine(string.Create(Inv, $"Target {key}: FisherKit / plain TorchSharp <= 1.0: {(r <= 1.0 ? "met" : "MISSED")} ({r:F3}; CPU time {Ratio(ourTimes[key], plainTimes[key], cpu: true):F3})"));
        }
    }

    private Timing? PlainTiming(FisherSuite s, string key) => s.PlainTimes.TryGetValue(key, out var t) && t.Any ? t : null;
    private static Timing? PyTiming(FisherSuite s, string? key) => key is not null && s.PyTimes.TryGetValue(key, out var t) && t.Any ? t : null;

    /// <summary>The fastest of the given loops (the strictest comparison).</summary>
    private static (string? key, Timing? t) Fastest(IEnumerable<(string key, Timing? t)> loops) =>
        loops.Where(l => l.t is not null).OrderBy(l => l.t!.Min).Select(l => ((string?)l.key, l.t)).FirstOrDefault();

    private void PrintFisher(FisherSuite s)
    {
        Console.WriteLine();
        Console.WriteLine($"Per-input Fisher quantities ({s.Source}): ms per input, min (median) over rounds; speed-up = other / FisherKit.");
        Console.WriteLine($"  {"quantity",-40} {"FisherKit",18} {"TorchSharp loop",18} {"x",6} {"PyTorch loop",18} {"x",6} {"functorch",18} {"x",6}");
        foreach (var row in FisherRows)
        {
            var ourT = s.OurTimes[row.Ours];
            var (pk, pt) = Fastest(row.Plain.Select(k => (k, PlainTiming(s, k))));
            var (yk, yt) = Fastest(row.PyLoop.Select(k => (k, PyTiming(s, k))));
            var bt = PyTiming(s, row.PyBatched);
            Console.WriteLine($"  {row.Title,-40} {T(ourT),18} {T(pt),18} {R(Ratio(pt, ourT)),6} {T(yt),18} {R(Ratio(yt, ourT)),6} {T(bt),18} {R(Ratio(bt, ourT)),6}");
        }
        Console.WriteLine("  TorchSharp loops (ms per input): " + string.Join("; ", s.PlainTimes.Select(kv => $"{kv.Key} {T(kv.Value)}")));
        if (s.PyTimes.Count > 0) Console.WriteLine("  PyTorch (ms per input): " + string.Join("; ", s.PyTimes.Select(kv => $"{kv.Key} {T(kv.Value)}")));
        if (s.PyBatchedError is not null) Console.WriteLine($"  functorch unavailable: {s.PyBatchedError}");

        Console.WriteLine("Agreement of the first inputs' values (max relative difference):");
        foreach (var (ourKey, plainKey, pyKey) in new (string, string?, string?)[]
                 {
                     ("reduced", "reduced", "loop_reduced"), ("reduced", null, "batched_reduced"),
                     ("form_full", "form_full", "loop_form_full_exact"), ("form_full", "form_full_cd", "loop_form_full"), ("form_full", null, "batched_form_full"),
                     ("form_tensor", "form_tensor_cd", "loop_form_tensor"), ("all_quantities", "trace", "loop_trace"),
                 })
        {
            var ourV = s.OurValues.GetValueOrDefault(ourKey);
            var parts = new List<string>();
            if (plainKey is not null) parts.Add($"TorchSharp {plainKey} {FisherSuite.Agreement(ourV, s.PlainValues.GetValueOrDefault(plainKey), o.Fisher.Check):E1}");
            if (pyKey is not null && s.PyValues.ContainsKey(pyKey)) parts.Add($"PyTorch {pyKey} {FisherSuite.Agreement(ourV, s.PyValues[pyKey], o.Fisher.Check):E1}");
            Console.WriteLine($"  {ourKey,-16} vs " + string.Join(", ", parts));
        }

        Console.WriteLine(string.Create(Inv, $"Distance to the limit (convolution {ConvRate:F0} GFLOP/s, matmul {GemmRate:F0} GFLOP/s):"));
        foreach (var row in FisherRows.Where(r => r.Flops is not null))
        {
            var t = s.OurTimes[row.Ours].Min;
            var floor = row.Flops!.Value / (ConvRate * 1e9);
            Console.WriteLine(string.Create(Inv, $"  {row.Title}: {row.Flops / 1e6:F1} MFLOP per input, at least {floor * 1e3:F3} ms at the convolution rate; measured {t * 1e3:F3} ms = {floor / t:P0} of the convolution rate ({row.Flops / (GemmRate * 1e9) / t:P0} of the matmul rate)"));
        }
        foreach (var row in FisherRows.Where(r => r.Target))
        {
            var ourT = s.OurTimes[row.Ours];
            var (pk, pt) = Fastest(row.Plain.Select(k => (k, PlainTiming(s, k))));
            var speedup = Ratio(pt, ourT);
            // The stricter yardstick: the faster of the two measured rates (with oneDNN off, libtorch's own
            // convolution kernel is slower than its matmul, and a fraction of it is no bound).
            var best = Math.Max(ConvRate, GemmRate);
            var fraction = row.Flops!.Value / (best * 1e9) / ourT.Min;
            var name = best == ConvRate ? "convolution" : "matmul";
            Console.WriteLine(string.Create(Inv, $"Target {row.Key}: >= 5x the TorchSharp loop ({pk}): {(speedup >= 5 ? "met" : "MISSED")} ({speedup:F1}x); >= 60% of the faster measured rate ({name}): {(fraction >= 0.6 ? "met" : "MISSED")} ({fraction:P0})"));
        }
    }

    internal Dictionary<string, object?> ToJson(Dictionary<string, object?> env)
    {
        object Side(Timing? t) => t is { Any: true } ? t.ToJson() : null!;
        var result = new Dictionary<string, object?>
        {
            ["environment"] = env,
            ["options"] = o,
            ["rates_gflops"] = new
            {
                gemm = GemmRate, conv = ConvRate,
                pytorch_gemm = Py("gemm") is { } pg ? rates[0].Flops!.Value / pg.Min / 1e9 : (double?)null,
                pytorch_conv = Py("conv") is { } pc ? rates[1].Flops!.Value / pc.Min / 1e9 : (double?)null,
                gemm_timing = rateTimes["gemm"].ToJson(), conv_timing = rateTimes["conv"].ToJson(),
            },
            ["train_flops_per_sample"] = Cnn.TrainFlopsPerSample(),
            ["form_flops_per_input"] = Cnn.FormFlopsPerSample(),
        };
        if (ours.Length > 0)
            result["cnn"] = ours.Select(w => new
            {
                key = w.Key, title = w.Title, flops = w.Flops,
                fisherkit = Side(ourTimes[w.Key]), torchsharp = Side(plainTimes[w.Key]), pytorch = Side(Py(w.Key)),
                ratio_vs_torchsharp = Ratio(ourTimes[w.Key], plainTimes[w.Key]),
                ratio_vs_torchsharp_cpu = Ratio(ourTimes[w.Key], plainTimes[w.Key], cpu: true),
                ratio_vs_pytorch = Ratio(ourTimes[w.Key], Py(w.Key)),
                torchsharp_vs_pytorch = Ratio(plainTimes[w.Key], Py(w.Key)),
                fraction_of_gemm = w.Flops / ourTimes[w.Key].Min / 1e9 / GemmRate,
                fraction_of_conv = w.Flops / ourTimes[w.Key].Min / 1e9 / ConvRate,
            }).ToList();
        if (suite is { } s)
        {
            result["fisher_inputs"] = s.Source;
            result["fisher"] = FisherRows.Select(row =>
            {
                var ourT = s.OurTimes[row.Ours];
                var (pk, pt) = Fastest(row.Plain.Select(k => (k, PlainTiming(s, k))));
                var (yk, yt) = Fastest(row.PyLoop.Select(k => (k, PyTiming(s, k))));
                var bt = PyTiming(s, row.PyBatched);
                return new
                {
                    key = row.Key, title = row.Title, flops_per_input = row.Flops, inputs = ourT.Inner,
                    fisherkit = Side(ourT),
                    torchsharp_loop = pk, torchsharp = Side(pt), speedup_vs_torchsharp = Ratio(pt, ourT),
                    pytorch_loop = yk, pytorch = Side(yt), speedup_vs_pytorch = Ratio(yt, ourT),
                    pytorch_batched = Side(bt), speedup_vs_functorch = Ratio(bt, ourT),
                    fraction_of_conv = row.Flops is { } f ? f / (ConvRate * 1e9) / ourT.Min : (double?)null,
                    fraction_of_gemm = row.Flops is { } g ? g / (GemmRate * 1e9) / ourT.Min : (double?)null,
                };
            }).ToList();
            result["fisher_fisherkit"] = s.OurTimes.ToDictionary(kv => kv.Key, kv => Side(kv.Value));
            result["fisher_torchsharp"] = s.PlainTimes.ToDictionary(kv => kv.Key, kv => Side(kv.Value));
            result["fisher_pytorch"] = s.PyTimes.ToDictionary(kv => kv.Key, kv => Side(kv.Value));
            result["fisher_values"] = new { fisherkit = s.OurValues.ToDictionary(kv => kv.Key, kv => kv.Value.Take(o.Fisher.Check)), torchsharp = s.PlainValues.ToDictionary(kv => kv.Key, kv => kv.Value.Take(o.Fisher.Check)), pytorch = s.PyValues };
            result["pytorch_functorch_error"] = s.PyBatchedError;
        }
        return result;
    }
}
