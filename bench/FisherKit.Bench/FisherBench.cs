using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using FisherKit.Data;
using FisherKit.Fisher;
using FisherKit.Torch;
using FisherKit.Torch.Serialization;
using static FisherKit.Torch.torch;

namespace FisherKit.Bench;

/// <summary>
/// Per-input Fisher scores for many Fashion-MNIST-shaped inputs with the benchmark CNN, against
/// PyTorch computing the same quantities one input at a time (as the reference implementation does)
/// and batched with functorch where possible, in the same run and on the same weights and inputs.
/// Also compares the values of the first inputs between the two implementations.
/// </summary>
internal static class FisherBench
{
    internal static int Run(string[] args, string root)
    {
        int inputs = IntOption(args, "--inputs", 10_000);
        int loopInputs = IntOption(args, "--loop-inputs", 200);
        int batchedInputs = IntOption(args, "--batched-inputs", 320);
        int allInputs = IntOption(args, "--all-inputs", 1000);
        int threads = IntOption(args, "--threads", 1);
        int batch = IntOption(args, "--batch", 64);
        int rounds = IntOption(args, "--rounds", 3);
        // PyTorch runs with FisherKit's allocator settings unless asked otherwise: with glibc's defaults
        // its central-difference loop spent most of its time in page faults on this machine (45 ms
        // per input instead of 8), which would flatter FisherKit.
        bool tunedMalloc = !args.Contains("--python-default-malloc");
        var python = StringOption(args, "--python", "/usr/bin/python3");
        set_num_threads(threads);
        EnvironmentRecord.SetOpenBlasThreads(threads);
        Console.WriteLine($"Fisher benchmark: {inputs} inputs, {threads} thread(s), machine load {EnvironmentRecord.Read("/proc/loadavg")}");

        manual_seed(0);
        using var model = Cnn.Create();
        model.eval();
        using var x = Inputs(inputs, out var source);
        Console.WriteLine($"inputs: {source}");
        var fisher = new PerInputFisher(model) { BatchSize = batch };

        // Values to compare with PyTorch, and the file that hands weights and inputs over.
        var file = Path.Combine(Path.GetTempPath(), $"fisherkit-fisher-bench-{Environment.ProcessId}.safetensors");
        var handOver = model.state_dict().ToDictionary(kv => "model." + kv.Key, kv => kv.Value);
        using (var first = x.narrow(0, 0, Math.Max(loopInputs, Math.Max(batchedInputs, 8))).contiguous())
        {
            handOver["inputs"] = first;
            Safetensors.Save(file, handOver);
        }

        // Rounds: every quantity once on each side per round, so slow phases of a shared machine hit
        // both; the minimum over rounds is reported (values come from the first round).
        var jobs = new List<(string name, string what, int count, Func<Tensor, double[]> f)>
        {
            ("reduced", "p/(1-p)·‖g‖², one backward per batch", inputs, fisher.ReducedForm),
            ("form_full", "vᵀFv along g/‖g‖, fast path", inputs, xs => fisher.Form(xs)),
            ("form_tensor", "per-tensor form with v = g (reference quantity)", inputs, xs => fisher.Form(xs, FisherDirection.RawGradient, FormVariant.PerTensor)),
            ("all_quantities", "trace, λmax, all forms, reduced", allInputs, xs => fisher.Compute(xs).Trace),
            ("fd_form_tensor", "one input at a time, per-tensor ±εv, v = g (as the reference code)", Math.Min(loopInputs, 100),
                xs => fisher.FormFiniteDifference(xs, FisherDirection.RawGradient, FormVariant.PerTensor)),
        };
        var times = jobs.ToDictionary(j => j.name, _ => new List<double>());
        var ours = new Dictionary<string, double[]>();
        var pyRounds = new List<JsonElement>();
        foreach (var job in jobs)
            using (var warm = x.narrow(0, 0, Math.Min(batch, job.count))) job.f(warm);
        for (int round = 1; round <= rounds; round++)
        {
            Console.WriteLine($"round {round}/{rounds}");
            foreach (var job in jobs)
            {
                using var xs = x.narrow(0, 0, job.count);
                var sw = Stopwatch.StartNew();
                var values = job.f(xs);
                times[job.name].Add(sw.Elapsed.TotalSeconds / job.count);
                ours.TryAdd(job.name, values);
            }
            try { pyRounds.Add(RunPython(python, root, file, loopInputs, batchedInputs, batch, threads, tunedMalloc)); }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                Console.WriteLine($"PyTorch side skipped: {e.Message}");
                break;
            }
        }
        File.Delete(file);
        var rows = jobs.Select(j => (j.name, j.what, secondsPerInput: times[j.name].Min(), j.count)).ToList();
        Console.WriteLine($"FisherKit (batched, exact, except the last row), ms per input, min (median) over {rounds} rounds:");
        foreach (var r in rows)
            Console.WriteLine($"  {r.name,-22} {r.secondsPerInput * 1e3,9:F3} ({Median(times[r.name]) * 1e3:F3})  ({r.count} inputs)");
        JsonElement? py = pyRounds.Count > 0 ? pyRounds[0] : null;

        if (py is { } p)
        {
            Console.WriteLine($"PyTorch {p.GetProperty("torch_version").GetString()} (same weights and inputs; glibc allocator {(tunedMalloc ? "with FisherKit's settings" : "defaults")}):");
            List<double> PyTimes(string key) => pyRounds.Where(r => r.TryGetProperty(key, out _)).Select(r => r.GetProperty(key).GetProperty("seconds_per_input").GetDouble()).ToList();
            double Py(string key) => PyTimes(key) is { Count: > 0 } t ? t.Min() : double.NaN;
            foreach (var key in new[] { "loop_reduced", "loop_form_full", "loop_form_tensor", "batched_reduced", "batched_form_full" })
                if (p.TryGetProperty(key, out var e))
                    Console.WriteLine($"  {key,-22} {Py(key) * 1e3,9:F3} ({Median(PyTimes(key)) * 1e3:F3})  ({e.GetProperty("inputs").GetInt32()} inputs)");
            if (p.TryGetProperty("batched_error", out var be)) Console.WriteLine($"  batched functorch variant unavailable: {be.GetString()}");
            double Ours(string n) => rows.First(r => r.name == n).secondsPerInput;
            Console.WriteLine();
            Console.WriteLine("Speed-up = PyTorch time / FisherKit time per input (above 1: FisherKit faster).");
            Console.WriteLine($"  reduced form vs one-at-a-time loop:            {Py("loop_reduced") / Ours("reduced"),6:F1}x  (target >= 3)");
            Console.WriteLine($"  full form along g/‖g‖ vs one-at-a-time ±εv:    {Py("loop_form_full") / Ours("form_full"),6:F1}x  (target >= 5)");
            Console.WriteLine($"  per-tensor form (v = g) vs the reference loop: {Py("loop_form_tensor") / Ours("form_tensor"),6:F1}x");
            Console.WriteLine($"  reduced form vs functorch vmap:                {Py("batched_reduced") / Ours("reduced"),6:F1}x");
            Console.WriteLine($"  full form vs functorch vmap(jvp):              {Py("batched_form_full") / Ours("form_full"),6:F1}x");
            Console.WriteLine("Agreement of the values of the first inputs (max relative difference):");
            foreach (var (ourKey, pyKey) in new[] { ("reduced", "loop_reduced"), ("form_full", "loop_form_full"), ("form_tensor", "loop_form_tensor"), ("reduced", "batched_reduced"), ("form_full", "batched_form_full") })
            {
                if (!p.TryGetProperty(pyKey, out var e)) continue;
                var theirs = e.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ToArray();
                var diff = theirs.Select((t, i) => Math.Abs(t - ours[ourKey][i]) / Math.Max(Math.Abs(t), 1e-30)).Max();
                Console.WriteLine($"  {ourKey,-12} vs {pyKey,-18} {diff:E2}");
            }
        }

        // The physical limit. The reduced form needs the forward pass, the input gradients and the
        // per-sample weight gradients: the FLOPs of one training step per input. The full form adds
        // each layer's own output change (a convolution with the per-sample gradient) and pushing the
        // changes through the rest of the network (the forward of every layer after the first).
        // Two compute rates bound them: the BLAS matmul and oneDNN's convolution (the faster here,
        // where it uses AVX-512 kernels the BLAS build lacks).
        var flops = Cnn.TrainFlopsPerSample();
        var macs = Cnn.ForwardMacs();
        var convMacs = macs.Where(l => l.layer.StartsWith("conv", StringComparison.Ordinal)).Sum(l => l.macs);
        var formFlops = flops + 2 * (convMacs + macs.Skip(1).Sum(l => l.macs));
        var gemm = MeasureGemm();
        var conv = MeasureConvolution();
        var peak = Math.Max(gemm, conv);
        Console.WriteLine();
        Console.WriteLine($"Compute rates: matmul 1024³ {gemm:F1} GFLOP/s, convolution (conv2 of the CNN, batch 64) {conv:F1} GFLOP/s.");
        foreach (var (row, need, what) in new[] { (rows[0], flops, "reduced form"), (rows[1], formFlops, "full form") })
        {
            var floor = need / (peak * 1e9);
            Console.WriteLine($"  {what}: {need / 1e6:F1} MFLOP per input, at least {floor * 1e3:F3} ms at {peak:F0} GFLOP/s; measured {row.secondsPerInput * 1e3:F3} ms ({floor / row.secondsPerInput:P0} of the limit; {need / (gemm * 1e9) / row.secondsPerInput:P0} of the matmul rate)");
        }

        var dir = Path.Combine(root, "bench", "results");
        Directory.CreateDirectory(dir);
        var env = EnvironmentRecord.Collect(get_num_threads(), root);
        var result = new Dictionary<string, object?>
        {
            ["environment"] = env,
            ["inputs"] = source,
            ["fisherkit"] = rows.Select(r => new { r.name, r.what, seconds_per_input = r.secondsPerInput, inputs = r.count }).ToList(),
            ["fisherkit_rounds"] = times,
            ["pytorch_tuned_malloc"] = tunedMalloc,
            ["pytorch"] = pyRounds.Select(r => r.ToString()).ToList(),
            ["gemm_gflops"] = gemm,
            ["conv_gflops"] = conv,
            ["reduced_flops_per_input"] = flops,
            ["form_full_flops_per_input"] = formFlops,
        };
        var outFile = Path.Combine(dir, $"fisher-{DateTime.UtcNow:yyyyMMdd-HHmmss}.json");
        File.WriteAllText(outFile, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine($"Results: {Path.GetRelativePath(root, outFile)}");
        return 0;
    }

    /// <summary>The Fashion-MNIST test images when the data cache has them, otherwise uniform noise of the same shape.</summary>
    private static Tensor Inputs(int n, out string source)
    {
        try
        {
            var test = Datasets.FashionMnist(DatasetPart.Test);
            if (test.Count >= n)
            {
                source = $"Fashion-MNIST test images (first {n})";
                return test.Images.narrow(0, 0, n).contiguous();
            }
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or InvalidDataException) { }
        source = $"{n} uniform random 1×28×28 images (Fashion-MNIST not in the data cache)";
        return rand(n, 1, 28, 28);
    }

    private static double MeasureGemm()
    {
        using var a = randn(1024, 1024);
        using var b = randn(1024, 1024);
        for (int i = 0; i < 3; i++) using (a.matmul(b)) { }
        double best = double.MaxValue;
        for (int r = 0; r < 5; r++)
        {
            var sw = Stopwatch.StartNew();
            using (a.matmul(b)) { }
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        return 2.0 * 1024 * 1024 * 1024 / best / 1e9;
    }

    private static double Median(List<double> v)
    {
        var s = v.Order().ToArray();
        return s.Length == 0 ? double.NaN : s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }

    /// <summary>The rate of the CNN's second convolution over a batch of 64 (its forward pass, as libtorch runs it).</summary>
    private static double MeasureConvolution()
    {
        using var x = randn(64, 32, 26, 26);
        using var w = randn(64, 32, 3, 3);
        for (int i = 0; i < 3; i++) using (nn.functional.conv2d(x, w)) { }
        double best = double.MaxValue;
        for (int r = 0; r < 5; r++)
        {
            var sw = Stopwatch.StartNew();
            using (nn.functional.conv2d(x, w)) { }
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        return 2.0 * 64 * 24 * 24 * 64 * 32 * 9 / best / 1e9;
    }

    private static JsonElement RunPython(string python, string root, string file, int loopInputs, int batchedInputs, int batch, int threads, bool tunedMalloc)
    {
        var psi = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
        foreach (var a in new[] { Path.Combine(root, "bench", "pytorch", "fisher_bench.py"), "--file", file, "--loop-inputs", $"{loopInputs}",
                                  "--batched-inputs", $"{batchedInputs}", "--batch", $"{batch}", "--threads", $"{threads}" })
            psi.ArgumentList.Add(a);
        psi.Environment["OMP_NUM_THREADS"] = $"{threads}";
        psi.Environment["OPENBLAS_NUM_THREADS"] = $"{threads}";
        if (tunedMalloc) EnvironmentRecord.UseFisherKitMallocSettings(psi);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {python}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"fisher_bench.py failed ({p.ExitCode}): {stderr.Result}");
        return JsonDocument.Parse(stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement.Clone();
    }

    private static int IntOption(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string StringOption(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
