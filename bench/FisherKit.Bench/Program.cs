// FisherKit benchmark on TorchSharp: the small CNN trained with Adam (batch 64 and 1), a Hessian-vector
// product, and the per-input Fisher quantities, each measured for FisherKit, for the same work written
// the obvious way in plain TorchSharp, and for PyTorch (Python) launched by this program in the same
// run with the same thread count. `kernels` measures the kernel decisions of the port. Usage and the
// meaning of the numbers: bench/README.md.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using FisherKit.Bench;
using static TorchSharp.torch;

var root = Program.FindRoot();
args = EngineFlags.Apply(args);
if (args.Contains("--mallopt"))
    throw new ArgumentException("--mallopt is gone: FisherKit tunes glibc's allocator when first used (HostAllocator.EnsureConfigured); run with FISHERKIT_MALLOC=keep to measure FisherKit with glibc's defaults");
if (args.Length > 0 && args[0] == TorchSharpSide.Command) return TorchSharpSide.Run(args[1..]);
if (args.Length > 0 && args[0] == "kernels") return Kernels.Run(args[1..], root);
if (args.Length > 0 && args[0] == "profile") return Profile.Run(args[1..], root);
if (args.Length > 0 && args[0] == "malloc-probe") return Kernels.MallocProbe(args[1..]);
if (args.Length > 0 && args[0] == "scalar-race") return ScalarRace.Run(args[1..], root);
if (args.Length > 0 && args[0] == ScalarRace.ChildCommand) return ScalarRace.Child(args[1..]);
if (args.Length > 0 && args[0] == "onednn-fault") return OneDnnFault.Run(args[1..], root);
if (args.Length > 0 && args[0] == OneDnnFault.ChildCommand) return OneDnnFault.Child(args[1..]);
var parts = args.Length > 0 && args[0] is "cnn" or "fisher" or "all" ? args[0] : "all";
var opts = BenchOptions.Parse(args.Length > 0 && args[0] is "cnn" or "fisher" or "all" ? args[1..] : args);
return Program.Main2(parts, opts, root);

internal partial class Program
{
    internal static int Main2(string parts, BenchOptions o, string root)
    {
        bool cnn = parts is "all" or "cnn", fisher = parts is "all" or "fisher";
        set_num_threads(o.Threads);
        Console.WriteLine($"FisherKit benchmark ({parts}): {o.Threads} thread(s), {o.Rounds} rounds, machine load {EnvironmentRecord.Read("/proc/loadavg")}");
        var env = EnvironmentRecord.Collect(get_num_threads(), root);
        Console.WriteLine($"TorchSharp {env["torchsharp"]}, {env["libtorch"]}, {env["blas"]}; oneDNN {(EngineFlags.OneDnnEnabled == false ? "off" : "on")} on every side ({EngineFlags.Diagnosis})");

        // Rate workloads (C# side only, plain libtorch calls): the machine's matmul and convolution rates.
        var rates = new[] { Workload.Gemm(o.Cnn), Workload.Convolution(o.Cnn) };
        var rateTimes = rates.ToDictionary(w => w.Key, w => new Timing(w.Inner));
        Workload[] ours = cnn ? [Workload.TrainFisherKit(o.Cnn, 64), Workload.TrainFisherKit(o.Cnn, 1), Workload.HessianVector(o.Cnn, fisherKit: true)] : [];
        var ourTimes = ours.ToDictionary(w => w.Key, w => new Timing(w.Inner));
        var plainTimes = ours.ToDictionary(w => w.Key, w => new Timing(w.Inner));
        string? tsSkipped = null;
        var pyTimes = ours.Select(w => w.Key).Append("gemm").Append("conv").ToDictionary(k => k, _ => new Timing(1));
        string? pyVersion = null, pySkipped = o.NoPython ? "--no-python" : null;
        using var suite = fisher ? new FisherSuite(o.Fisher, root) : null;
        if (suite is not null) Console.WriteLine($"Fisher inputs: {suite.Source}");

        // Warm-up on every side (JIT, oneDNN primitive caches, allocator pools).
        foreach (var w in rates.Concat(ours)) w.Run();
        suite?.WarmUp();

        // Rounds: each side once per workload per round, so slow phases of a shared machine hit all
        // sides; min and median over rounds.
        for (int round = 1; round <= o.Rounds; round++)
        {
            var sw = Stopwatch.StartNew();
            Console.Write($"round {round}/{o.Rounds}: rates");
            foreach (var w in rates) rateTimes[w.Key].Block(w.Run);
            if (cnn)
            {
                Console.Write(", FisherKit");
                foreach (var w in ours) ourTimes[w.Key].Block(w.Run);
                if (pySkipped is null)
                {
                    Console.Write(", PyTorch");
                    try
                    {
                        var py = RunCnnPython(o, root);
                        pyVersion ??= py.GetProperty("torch_version").GetString();
                        foreach (var (k, t) in pyTimes) t.Add(py.GetProperty(k));
                    }
                    catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
                    {
                        pySkipped = e.Message;
                        Console.Write($" (skipped: {e.Message})");
                    }
                }
            }
            if (suite is not null)
            {
                Console.Write(", Fisher quantities: FisherKit");
                suite.RoundFisherKit();
            }
            if (tsSkipped is null)
            {
                // The plain TorchSharp side in its own process, from glibc's and TorchSharp's defaults.
                Console.Write(", TorchSharp");
                try
                {
                    var ts = TorchSharpSide.Launch(o, root, cnn, suite?.HandOverFile);
                    if (ts.TryGetProperty("cnn", out var c))
                        foreach (var e in c.EnumerateObject()) plainTimes[e.Name].Add(e.Value.GetProperty("seconds").GetDouble(), e.Value.GetProperty("cpu_seconds").GetDouble());
                    if (ts.TryGetProperty("fisher", out var f)) suite!.AddTorchSharp(f);
                }
                catch (InvalidOperationException e)
                {
                    tsSkipped = e.Message;
                    Console.Write($" (failed: {e.Message})");
                }
            }
            if (suite is not null && pySkipped is null)
            {
                Console.Write(", PyTorch Fisher");
                suite.RoundPython();
                pyVersion ??= suite.PyVersion;
            }
            Console.WriteLine($"  [{sw.Elapsed.TotalSeconds:F0} s]");
        }
        env["load_average_at_end"] = EnvironmentRecord.Read("/proc/loadavg");
        env["pytorch_version"] = pyVersion;
        env["pytorch_skipped"] = pySkipped ?? suite?.PySkipped;
        env["torchsharp_side_failed"] = tsSkipped;

        var report = new Report(o, rates, rateTimes, ours, ourTimes, plainTimes, pySkipped is null ? pyTimes : null, suite);
        report.Print();
        var file = Results.Write(root, "bench", report.ToJson(env));
        Console.WriteLine($"Results: {Path.GetRelativePath(root, file)}");
        foreach (var w in rates.Concat(ours)) w.Dispose();
        return 0;
    }

    internal static string FindRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "FisherKit.sln"))) return d.FullName;
        throw new InvalidOperationException("Run the benchmark from inside the FisherKit repository (FisherKit.sln not found).");
    }

    /// <summary>The same thread count for the Python side: OpenMP, MKL and OpenBLAS (Debian's PyTorch uses OpenBLAS).</summary>
    internal static void SameThreads(ProcessStartInfo psi, int threads)
    {
        psi.Environment["OMP_NUM_THREADS"] = $"{threads}";
        psi.Environment["MKL_NUM_THREADS"] = $"{threads}";
        psi.Environment["OPENBLAS_NUM_THREADS"] = $"{threads}";
    }

    private static JsonElement RunCnnPython(BenchOptions o, string root)
    {
        var args = new List<string> { Path.Combine(root, "bench", "pytorch", "cnn_bench.py"), "--threads", $"{o.Threads}", "--repeats", "1",
                                      "--gemm-n", $"{o.Cnn.GemmN}", "--inner64", $"{o.Cnn.Inner64}", "--inner1", $"{o.Cnn.Inner1}",
                                      "--hvp-batch", $"{o.Cnn.HvpBatch}", "--inner-hvp", $"{o.Cnn.InnerHvp}" };
        if (EngineFlags.OneDnnEnabled is { } on) args.AddRange(["--mkldnn", on ? "on" : "off"]);
        var (code, output, errors) = BenchChild.RunProgram(o.Python, args, workingDirectory: root, threads: o.Threads);
        if (code != 0)
            throw new InvalidOperationException($"{o.Python} cnn_bench.py failed ({code}): {errors.Trim().Split('\n')[^1]}");
        return BenchChild.LastJsonLine(output);
    }
}

internal sealed record CnnOptions(int GemmN, int Inner64, int Inner1, int HvpBatch, int InnerHvp);

internal sealed record BenchOptions(int Threads, int Rounds, string Python, bool NoPython, CnnOptions Cnn, FisherOptions Fisher)
{
    internal static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions(1, 5, "/usr/bin/python3", false, new CnnOptions(1024, 4, 500, 64, 2),
                                 new FisherOptions(1, 10_000, 200, 320, 1000, 100, 64, 8, "/usr/bin/python3"));
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int N() => int.Parse(Next(), CultureInfo.InvariantCulture);
            o = args[i] switch
            {
                "--threads" => o with { Threads = N() },
                "--rounds" or "--repeats" => o with { Rounds = N() },
                "--gemm-n" => o with { Cnn = o.Cnn with { GemmN = N() } },
                "--inner64" => o with { Cnn = o.Cnn with { Inner64 = N() } },
                "--inner1" => o with { Cnn = o.Cnn with { Inner1 = N() } },
                "--hvp-batch" => o with { Cnn = o.Cnn with { HvpBatch = N() } },
                "--inner-hvp" => o with { Cnn = o.Cnn with { InnerHvp = N() } },
                "--inputs" => o with { Fisher = o.Fisher with { Inputs = N() } },
                "--loop-inputs" => o with { Fisher = o.Fisher with { LoopInputs = N() } },
                "--batched-inputs" => o with { Fisher = o.Fisher with { BatchedInputs = N() } },
                "--all-inputs" => o with { Fisher = o.Fisher with { AllInputs = N() } },
                "--fd-inputs" => o with { Fisher = o.Fisher with { FdInputs = N() } },
                "--batch" => o with { Fisher = o.Fisher with { Batch = N() } },
                "--check" => o with { Fisher = o.Fisher with { Check = N() } },
                "--python" => o with { Python = Next() },
                "--no-python" => o with { NoPython = true },
                "--quick" => o with
                {
                    Rounds = 3,
                    Cnn = o.Cnn with { Inner64 = 2, Inner1 = 20, InnerHvp = 1 },
                    Fisher = o.Fisher with { Inputs = 640, LoopInputs = 32, BatchedInputs = 128, AllInputs = 128, FdInputs = 16 },
                },
                _ => throw new ArgumentException($"unknown option {args[i]}; see bench/README.md"),
            };
        }
        if (o.Threads < 1 || o.Rounds < 1) throw new ArgumentException("--threads and --rounds must be positive");
        var f = o.Fisher;
        f = f with
        {
            Threads = o.Threads, Python = o.Python, OneDnn = EngineFlags.OneDnnEnabled,
            LoopInputs = Math.Min(f.LoopInputs, f.Inputs), BatchedInputs = Math.Min(f.BatchedInputs, f.Inputs),
            AllInputs = Math.Min(f.AllInputs, f.Inputs), FdInputs = Math.Min(f.FdInputs, f.Inputs),
        };
        return o with { Fisher = f };
    }
}
