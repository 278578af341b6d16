// FisherKit benchmark: the small CNN of the tensor-engine issue trained with Adam (batch 64 and 1)
// and a batch of Hessian-vector products by double backward, each against the same model in
// PyTorch (Python) launched by this program in the same run, with the same thread count, warm-up
// and repeats. Usage and meaning of the numbers: bench/README.md.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using FisherKit.Bench;
using static FisherKit.Torch.torch;

var root = FindRoot();
if (args.Length > 0 && args[0] == "fisher") return FisherBench.Run(args[1..], root);
var opts = Options.Parse(args);
set_num_threads(opts.Threads);
var blasThreads = EnvironmentRecord.SetOpenBlasThreads(opts.Threads);
Console.WriteLine($"FisherKit benchmark: {opts.Threads} thread(s), {opts.Repeats} rounds, machine load {EnvironmentRecord.Read("/proc/loadavg")}");
var env = EnvironmentRecord.Collect(get_num_threads(), root);
env["openblas_threads_set"] = blasThreads;

// Each round measures FisherKit once per workload, then runs the PyTorch script once (as installed,
// then with FisherKit's allocator settings), so that slow phases of a shared machine hit all sides;
// min and median are taken over the rounds.
Workload[] workloads = [Workload.Gemm(opts), Workload.Train(opts, 64), Workload.Train(opts, 1), Workload.HessianVector(opts)];
var ours = workloads.ToDictionary(w => w.Key, w => new Timing(w.Inner));
var theirs = workloads.ToDictionary(w => w.Key, w => new Timing(w.Inner));
var theirsTuned = workloads.ToDictionary(w => w.Key, w => new Timing(w.Inner));
string? pyVersion = null;
foreach (var w in workloads)
    for (int i = 0; i < w.Warmup; i++) w.Step();
for (int round = 1; round <= opts.Repeats; round++)
{
    Console.Write($"round {round}/{opts.Repeats}: FisherKit");
    foreach (var w in workloads) ours[w.Key].Repeat(w.Step);
    if (!opts.NoPython)
    {
        Console.Write(", PyTorch");
        var py = RunPython(opts, root, tunedMalloc: false);
        pyVersion ??= py.GetProperty("torch_version").GetString();
        foreach (var w in workloads) theirs[w.Key].Add(py.GetProperty(w.Key));
        if (!opts.NoPythonTuned)
        {
            Console.Write(", PyTorch with tuned malloc");
            var pt = RunPython(opts, root, tunedMalloc: true);
            foreach (var w in workloads) theirsTuned[w.Key].Add(pt.GetProperty(w.Key));
        }
    }
    Console.WriteLine();
}

// ---- report ----
var gemmRate = workloads[0].Flops!.Value / ours["gemm"].Min / 1e9;
double? pyGemmRate = opts.NoPython ? null : workloads[0].Flops!.Value / theirs["gemm"].Min / 1e9;
var rows = workloads.Select(w => new Row(w.Title, w.Flops, ours[w.Key], opts.NoPython ? null : theirs[w.Key],
                                         opts.NoPython || opts.NoPythonTuned ? null : theirsTuned[w.Key])).ToList();
Console.WriteLine();
Console.WriteLine("Wall time per step, min over rounds (median in brackets). ratio = FisherKit / PyTorch; below 1: FisherKit faster.");
Console.WriteLine($"{"benchmark",-38} {"FisherKit",22} {"PyTorch",22} {"ratio",6} {"PyTorch, tuned malloc",22} {"ratio",6} {"GFLOP/s",8} {"of GEMM",7}");
foreach (var r in rows) Console.WriteLine(r.Format(gemmRate, cpu: false));
Console.WriteLine();
Console.WriteLine("Process CPU time per step (all threads), min over rounds (median); less disturbed by other load on a shared machine.");
foreach (var r in rows) Console.WriteLine(r.Format(gemmRate, cpu: true));
Console.WriteLine();
var flopsPerSample = Cnn.TrainFlopsPerSample();
Console.WriteLine($"GEMM rate (best round): FisherKit {gemmRate:F1} GFLOP/s" + (pyGemmRate is { } pr ? $", PyTorch {pr:F1} GFLOP/s" : ""));
Console.WriteLine($"Model FLOPs per training step: {flopsPerSample / 1e6:F2} MFLOP per sample, {64 * flopsPerSample / 1e9:F2} GFLOP at batch 64;");
Console.WriteLine($"  at the measured GEMM rate a batch-64 step cannot take less than {64.0 * flopsPerSample / (gemmRate * 1e9) * 1e3:F1} ms.");
if (!opts.NoPython)
{
    foreach (var cpu in new[] { false, true })
    {
        var r64 = rows[1].Ratio(rows[1].Py, cpu)!.Value;
        var r1 = rows[2].Ratio(rows[2].Py, cpu)!.Value;
        Console.WriteLine($"Targets ({(cpu ? "CPU time" : "wall time")}, min, against PyTorch as installed): batch 64 ratio <= 1.05: {(r64 <= 1.05 ? "met" : "MISSED")} ({r64:F3}); " +
                          $"batch 1 faster: {(r1 < 1 ? "met" : "MISSED")} ({r1:F3}).");
    }
}
env["load_average_at_end"] = EnvironmentRecord.Read("/proc/loadavg");
env["pytorch_version"] = pyVersion;
env["fisherkit_host_allocator_configured"] = HostAllocatorConfigured;
foreach (var w in workloads) w.Dispose();

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

static JsonElement RunPython(Options o, string root, bool tunedMalloc)
{
    var psi = new ProcessStartInfo(o.Python) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
    foreach (var a in new[] { Path.Combine(root, "bench", "pytorch", "cnn_bench.py"), "--threads", $"{o.Threads}", "--repeats", "1",
                              "--warmup", $"{o.Warmup}", "--gemm-n", $"{o.GemmN}", "--inner64", $"{o.Inner64}", "--inner1", $"{o.Inner1}",
                              "--hvp-batch", $"{o.HvpBatch}", "--inner-hvp", $"{o.InnerHvp}" })
        psi.ArgumentList.Add(a);
    // The same thread count for OpenMP, libtorch's pool and OpenBLAS, on both sides.
    psi.Environment["OMP_NUM_THREADS"] = $"{o.Threads}";
    psi.Environment["OPENBLAS_NUM_THREADS"] = $"{o.Threads}";
    if (tunedMalloc) EnvironmentRecord.UseFisherKitMallocSettings(psi);
    using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {o.Python}");
    var stdout = p.StandardOutput.ReadToEndAsync();
    var stderr = p.StandardError.ReadToEndAsync();
    p.WaitForExit();
    if (p.ExitCode != 0)
        throw new InvalidOperationException($"{o.Python} cnn_bench.py failed ({p.ExitCode}): {stderr.Result}\nInstall Debian's python3-torch, or run with --no-python.");
    var last = stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
    return JsonDocument.Parse(last).RootElement.Clone();
}

internal sealed record Row(string Name, double? Flops, Timing Ours, Timing? Py, Timing? PyTuned)
{
    internal double? Ratio(Timing? theirs, bool cpu) => theirs is { } t ? (cpu ? Ours.CpuMin / t.CpuMin : Ours.Min / t.Min) : null;

    internal string Format(double gemmRate, bool cpu)
    {
        static string Ms(double v) => (v * 1e3).ToString(v < 0.01 ? "F3" : "F1", CultureInfo.InvariantCulture);
        string T(Timing? t) => t is null ? "-" : cpu ? $"{Ms(t.CpuMin)} ({Ms(t.CpuMedian)}) ms" : $"{Ms(t.Min)} ({Ms(t.Median)}) ms";
        string R(double? r) => r is { } v ? v.ToString("F3", CultureInfo.InvariantCulture) : "-";
        var line = $"{Name,-38} {T(Ours),22} {T(Py),22} {R(Ratio(Py, cpu)),6} {T(PyTuned),22} {R(Ratio(PyTuned, cpu)),6}";
        if (cpu) return line;
        var rate = Flops is { } f ? f / Ours.Min / 1e9 : (double?)null;
        return line + $" {(rate is { } g ? g.ToString("F1", CultureInfo.InvariantCulture) : "-"),8} {(rate is { } q ? (q / gemmRate).ToString("P0", CultureInfo.InvariantCulture) : "-"),7}";
    }

    internal object ToJson(double gemmRate) => new
    {
        name = Name,
        flops = Flops,
        fisherkit = Ours.ToJson(),
        pytorch = Py?.ToJson(),
        pytorch_tuned_malloc = PyTuned?.ToJson(),
        ratio_min = Ratio(Py, false),
        ratio_median = Py is { } p ? Ours.Median / p.Median : (double?)null,
        ratio_cpu_min = Ratio(Py, true),
        ratio_min_vs_tuned = Ratio(PyTuned, false),
        ratio_cpu_min_vs_tuned = Ratio(PyTuned, true),
        gflops_at_min = Flops / Ours.Min / 1e9,
        fraction_of_gemm_rate = Flops / Ours.Min / 1e9 / gemmRate,
    };
}

internal sealed record Options(int Threads, int Repeats, int Warmup, int GemmN, int Inner64, int Inner1, int HvpBatch, int InnerHvp, string Python, bool NoPython, bool NoPythonTuned)
{
    internal static Options Parse(string[] args)
    {
        var o = new Options(Environment.ProcessorCount, 7, 3, 1024, 3, 50, 64, 2, "/usr/bin/python3", false, false);
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
                "--no-pytorch-tuned" => o with { NoPythonTuned = true },
                "--quick" => o with { Repeats = 3, Warmup = 1, Inner64 = 1, Inner1 = 10, InnerHvp = 1 },
                _ => throw new ArgumentException($"unknown option {args[i]}; see bench/README.md"),
            };
        }
        if (o.Threads < 1 || o.Repeats < 1) throw new ArgumentException("--threads and --repeats must be positive");
        return o;
    }
}
