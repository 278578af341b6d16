// FisherKit benchmark: the small CNN of the tensor-engine issue trained with Adam (batch 64 and 1)
// and a batch of Hessian-vector products by double backward, each against the same model in
// PyTorch (Python) launched by this program in the same run, with the same thread count, warm-up
// and repeats. Usage and meaning of the numbers: bench/README.md.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using FisherKit.Bench;
using static FisherKit.Torch.torch;

var opts = Options.Parse(args);
var root = FindRoot();
set_num_threads(opts.Threads);
Console.WriteLine($"FisherKit benchmark: {opts.Threads} thread(s), {opts.Repeats} repeats (min and median), machine load {EnvironmentRecord.Read("/proc/loadavg")}");
var env = EnvironmentRecord.Collect(get_num_threads(), root);

// ---- FisherKit ----
Console.Write("FisherKit: GEMM");
var (gemm, gemmRate) = Workloads.Gemm(opts.GemmN, opts.Warmup, opts.Repeats);
Console.Write(", train batch 64");
var train64 = Workloads.Train(64, opts.Warmup, opts.Repeats, opts.Inner64);
Console.Write(", train batch 1");
var train1 = Workloads.Train(1, opts.Warmup * 10, opts.Repeats, opts.Inner1);
Console.Write(", Hessian-vector products");
var hvp = Workloads.HessianVector(opts.HvpBatch, opts.Warmup, opts.Repeats, opts.InnerHvp);
Console.WriteLine(".");

// ---- PyTorch, same run ----
JsonElement? py = null;
if (!opts.NoPython)
{
    Console.WriteLine($"PyTorch: running {opts.Python} bench/pytorch/cnn_bench.py ...");
    py = RunPython(opts, root);
}

// ---- report ----
var flopsPerSample = Cnn.TrainFlopsPerSample();
var rows = new List<Row>
{
    new("GEMM float32 " + opts.GemmN + "³ (one product)", gemm, py?.GetProperty("gemm"), 2.0 * opts.GemmN * opts.GemmN * opts.GemmN),
    new("train step, batch 64 (Adam)", train64, py?.GetProperty("train_batch64"), 64.0 * flopsPerSample),
    new("train step, batch 1 (Adam)", train1, py?.GetProperty("train_batch1"), 1.0 * flopsPerSample),
    new($"Hessian-vector product, batch {opts.HvpBatch}", hvp, py?.GetProperty("hvp"), null),
};
var pyGemmRate = py?.GetProperty("gemm").GetProperty("gflops_best").GetDouble();
Console.WriteLine();
Console.WriteLine($"{"benchmark",-40} {"FisherKit min",14} {"PyTorch min",12} {"ratio",6}   {"FisherKit med",14} {"PyTorch med",12} {"ratio",6}   {"GFLOP/s",8} {"of GEMM",7}");
foreach (var r in rows) Console.WriteLine(r.Format(gemmRate));
Console.WriteLine();
Console.WriteLine($"GEMM rate (best of {opts.Repeats}): FisherKit {gemmRate:F1} GFLOP/s" + (pyGemmRate is { } pr ? $", PyTorch {pr:F1} GFLOP/s" : ""));
Console.WriteLine($"Model FLOPs per training step: {flopsPerSample / 1e6:F2} MFLOP per sample, {64 * flopsPerSample / 1e9:F2} GFLOP at batch 64;");
Console.WriteLine($"  at the GEMM rate a batch-64 step cannot take less than {64.0 * flopsPerSample / (gemmRate * 1e9) * 1e3:F1} ms.");
Console.WriteLine("ratio = FisherKit time / PyTorch time (below 1: FisherKit faster). Times are per step, seconds.");
if (py is not null)
{
    var r64 = rows[1].RatioMin!.Value;
    var r1 = rows[2].RatioMin!.Value;
    Console.WriteLine($"Targets: batch 64 ratio <= 1.05: {(r64 <= 1.05 ? "met" : "MISSED")} ({r64:F3}); batch 1 faster than PyTorch: {(r1 < 1 ? "met" : "MISSED")} ({r1:F3}).");
}
env["load_average_at_end"] = EnvironmentRecord.Read("/proc/loadavg");
if (py is { } p) { env["pytorch_version"] = p.GetProperty("torch_version").GetString(); env["python"] = p.GetProperty("python").GetString(); env["pytorch_threads"] = p.GetProperty("threads").GetInt32(); }

var result = new Dictionary<string, object?>
{
    ["environment"] = env,
    ["options"] = opts,
    ["model_train_flops_per_sample"] = flopsPerSample,
    ["gemm_gflops"] = new { fisherkit = gemmRate, pytorch = pyGemmRate },
    ["results"] = rows.Select(r => r.ToJson(gemmRate)).ToList(),
};
var dir = Path.Combine(root, "bench", "results");
Directory.CreateDirectory(dir);
var file = Path.Combine(dir, $"cnn-{DateTime.UtcNow:yyyyMMdd-HHmmss}.json");
File.WriteAllText(file, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine($"Results: {Path.GetRelativePath(root, file)}");
return 0;

static string FindRoot()
{
    foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "FisherKit.sln"))) return d.FullName;
    throw new InvalidOperationException("Run the benchmark from inside the FisherKit repository (FisherKit.sln not found).");
}

static JsonElement RunPython(Options o, string root)
{
    var psi = new ProcessStartInfo(o.Python) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
    foreach (var a in new[] { Path.Combine(root, "bench", "pytorch", "cnn_bench.py"), "--threads", $"{o.Threads}", "--repeats", $"{o.Repeats}",
                              "--warmup", $"{o.Warmup}", "--gemm-n", $"{o.GemmN}", "--inner64", $"{o.Inner64}", "--inner1", $"{o.Inner1}",
                              "--hvp-batch", $"{o.HvpBatch}", "--inner-hvp", $"{o.InnerHvp}" })
        psi.ArgumentList.Add(a);
    // The same thread count for OpenMP as for libtorch's own pool, on both sides.
    psi.Environment["OMP_NUM_THREADS"] = $"{o.Threads}";
    using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {o.Python}");
    var stdout = p.StandardOutput.ReadToEndAsync();
    var stderr = p.StandardError.ReadToEndAsync();
    p.WaitForExit();
    if (p.ExitCode != 0)
        throw new InvalidOperationException($"{o.Python} cnn_bench.py failed ({p.ExitCode}): {stderr.Result}\nInstall Debian's python3-torch, or run with --no-python.");
    var last = stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
    return JsonDocument.Parse(last).RootElement.Clone();
}

internal sealed record Row(string Name, Timing Ours, JsonElement? Theirs, double? Flops)
{
    private Timing? Py => Theirs is { } t ? Timing.FromJson(t) : null;
    internal double? RatioMin => Py is { } p ? Ours.Min / p.Min : null;
    internal double? RatioMedian => Py is { } p ? Ours.Median / p.Median : null;

    internal string Format(double gemmRate)
    {
        string S(double? s) => s is { } v ? (v * 1e3).ToString("F3", CultureInfo.InvariantCulture) + " ms" : "-";
        string R(double? r) => r is { } v ? v.ToString("F3", CultureInfo.InvariantCulture) : "-";
        var rate = Flops is { } f ? f / Ours.Min / 1e9 : (double?)null;
        return $"{Name,-40} {S(Ours.Min),14} {S(Py?.Min),12} {R(RatioMin),6}   {S(Ours.Median),14} {S(Py?.Median),12} {R(RatioMedian),6}   " +
               $"{(rate is { } g ? g.ToString("F1", CultureInfo.InvariantCulture) : "-"),8} {(rate is { } q ? (q / gemmRate).ToString("P0", CultureInfo.InvariantCulture) : "-"),7}";
    }

    internal object ToJson(double gemmRate) => new
    {
        name = Name,
        flops = Flops,
        fisherkit = new { min_s = Ours.Min, median_s = Ours.Median, all_s = Ours.All, inner = Ours.Inner, gflops_at_min = Flops / Ours.Min / 1e9 },
        pytorch = Py is { } p ? new { min_s = p.Min, median_s = p.Median, all_s = p.All, inner = p.Inner } : null,
        ratio_min = RatioMin,
        ratio_median = RatioMedian,
        fraction_of_gemm_rate = Flops / Ours.Min / 1e9 / gemmRate,
    };
}

internal sealed record Options(int Threads, int Repeats, int Warmup, int GemmN, int Inner64, int Inner1, int HvpBatch, int InnerHvp, string Python, bool NoPython)
{
    internal static Options Parse(string[] args)
    {
        var o = new Options(Environment.ProcessorCount, 7, 3, 1024, 3, 50, 64, 2, "/usr/bin/python3", false);
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int N() => int.Parse(Next(), CultureInfo.InvariantCulture);
            o = args[i] switch
            {
                "--threads" => o with { Threads = N() },
                "--repeats" => o with { Repeats = N() },
                "--warmup" => o with { Warmup = N() },
                "--gemm-n" => o with { GemmN = N() },
                "--inner64" => o with { Inner64 = N() },
                "--inner1" => o with { Inner1 = N() },
                "--hvp-batch" => o with { HvpBatch = N() },
                "--inner-hvp" => o with { InnerHvp = N() },
                "--python" => o with { Python = Next() },
                "--no-python" => o with { NoPython = true },
                "--quick" => o with { Repeats = 3, Warmup = 1, Inner64 = 1, Inner1 = 10, InnerHvp = 1 },
                _ => throw new ArgumentException($"unknown option {args[i]}; see bench/README.md"),
            };
        }
        if (o.Threads < 1 || o.Repeats < 1) throw new ArgumentException("--threads and --repeats must be positive");
        return o;
    }
}
