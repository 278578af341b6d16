using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using FisherKit.TorchSharpAdditions;
using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Bench;

/// <summary>
/// The plain TorchSharp side, run as a child process per round (like the Python side) so that it
/// starts from TorchSharp's and glibc's defaults: what FisherKit configures in its process (glibc's
/// allocator, <see cref="HostAllocator"/>) does not reach it (<c>FISHERKIT_MALLOC=keep</c>). It times the CNN workloads and the one-at-a-time
/// Fisher loops once and prints one JSON line: seconds per step or per input (wall and process CPU)
/// and the first values of each loop.
/// </summary>
internal static class TorchSharpSide
{
    internal const string Command = "torchsharp-side";

    internal static int Run(string[] args)
    {
        string? file = args.Contains("--file") ? args[Array.IndexOf(args, "--file") + 1] : null;
        bool cnn = args.Contains("--cnn"), fisher = args.Contains("--fisher");
        var o = BenchOptions.Parse([.. args.Where((a, i) => a is not ("--file" or "--cnn" or "--fisher") && (i == 0 || args[i - 1] != "--file"))]);
        set_num_threads(o.Threads);
        var result = new Dictionary<string, object?>
        {
            ["threads"] = get_num_threads(),
            ["glibc_malloc_configured"] = HostAllocator.Configured,
            ["onednn_enabled"] = EngineFlags.OneDnnEnabled,
        };
        if (cnn)
        {
            Workload[] ws = [Workload.TrainTorchSharp(o.Cnn, 64), Workload.TrainTorchSharp(o.Cnn, 1), Workload.HessianVector(o.Cnn, fisherKit: false)];
            var times = new Dictionary<string, object>();
            foreach (var w in ws)
            {
                w.Run();                                                   // warm-up
                var t = new Timing(w.Inner);
                t.Block(w.Run);
                times[w.Key] = new { seconds = t.Min, cpu_seconds = t.CpuMin };
                w.Dispose();
            }
            result["cnn"] = times;
        }
        if (fisher && file is not null)
        {
            var tensors = Safetensors.Load(file);
            using var model = Cnn.Create();
            var state = tensors.Where(kv => kv.Key.StartsWith("model.", StringComparison.Ordinal)).ToDictionary(kv => kv.Key["model.".Length..], kv => kv.Value);
            using (no_grad())
                foreach (var (name, p) in model.named_parameters()) p.copy_(state[name]);
            model.eval();
            var x = tensors["inputs"];
            var loops = new PlainLoops(model);
            var jobs = new (string key, Func<Tensor, double[]> f)[]
            {
                ("reduced", loops.Reduced),
                ("form_full", loops.FormExact),
                ("form_full_cd", xs => loops.FormCentralDifference(xs)),
                ("form_tensor_cd", xs => loops.FormPerTensorCentralDifference(xs)),
                ("trace", loops.Trace),
            };
            var times = new Dictionary<string, object>();
            int n = (int)Math.Min(o.Fisher.LoopInputs, x.shape[0]);
            foreach (var (key, f) in jobs)
            {
                // The trace needs C backward passes per input: a quarter of the inputs (at least the checked ones) suffice.
                int count = key == "trace" ? Math.Min(n, Math.Max(o.Fisher.Check, n / 4)) : n;
                using (var warm = x.narrow(0, 0, 2)) f(warm);
                using var xs = x.narrow(0, 0, count);
                var t = new Timing(count);
                double[] values = [];
                t.Block(() => values = f(xs));
                times[key] = new { seconds_per_input = t.Min, cpu_seconds_per_input = t.CpuMin, inputs = count, values = values.Take(o.Fisher.Check).ToArray() };
            }
            result["fisher"] = times;
            foreach (var t in tensors.Values) t.Dispose();
        }
        Console.WriteLine(JsonSerializer.Serialize(result, Results.Compact));
        return 0;
    }

    /// <summary>Runs the child once (same thread count, glibc defaults) and returns its JSON.</summary>
    internal static JsonElement Launch(BenchOptions o, string root, bool cnn, string? fisherFile)
    {
        var args = new List<string> { Command, "--threads", $"{o.Threads}",
            "--inner64", $"{o.Cnn.Inner64}", "--inner1", $"{o.Cnn.Inner1}", "--hvp-batch", $"{o.Cnn.HvpBatch}", "--inner-hvp", $"{o.Cnn.InnerHvp}",
            "--loop-inputs", $"{o.Fisher.LoopInputs}", "--check", $"{o.Fisher.Check}" };
        if (EngineFlags.OneDnnEnabled is { } on) args.AddRange(["--onednn", on ? "on" : "off"]);
        if (cnn) args.Add("--cnn");
        if (fisherFile is not null) args.AddRange(["--fisher", "--file", fisherFile]);
        // The child uses FisherKit's helpers (the oneDNN switch), whose first use would tune glibc's allocator.
        var (code, output, errors) = BenchChild.Run(args, new Dictionary<string, string> { ["FISHERKIT_MALLOC"] = "keep" }, root, o.Threads);
        if (code != 0) throw new InvalidOperationException($"the TorchSharp side failed ({code}): {errors}");
        var result = BenchChild.LastJsonLine(output);
        if (result.TryGetProperty("glibc_malloc_configured", out var tuned) && tuned.GetBoolean())
            throw new InvalidOperationException("the TorchSharp side ran with FisherKit's allocator settings; it must keep glibc's defaults");
        return result;
    }
}
