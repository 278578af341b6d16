using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using FisherKit.Data;
using FisherKit.Fisher;
using FisherKit.TorchSharpAdditions;
using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Bench;

/// <summary>
/// Per-input Fisher quantities of notebook 01 for many Fashion-MNIST test images with the benchmark
/// CNN (randomly initialised), on three sides with the same weights and inputs: FisherKit (batched,
/// exact), plain TorchSharp one input at a time (<see cref="PlainLoops"/>, in a child process:
/// <see cref="TorchSharpSide"/>), and PyTorch
/// (bench/pytorch/fisher_bench.py: the same loops, and functorch's vmap where it is available). The
/// values of the first inputs are compared between all of them.
/// </summary>
internal sealed class FisherSuite : IDisposable
{
    /// <summary>A quantity on one side: key, description, inputs per round, the computation.</summary>
    internal sealed record Job(string Key, string What, int Count, Func<Tensor, double[]> Compute);

    private readonly FisherOptions _o;
    private readonly string _root;
    private readonly nn.Module<Tensor, Tensor> _model;
    private readonly Tensor _x;
    private readonly string _handOver;
    internal string Source { get; }
    internal List<Job> Ours { get; }
    internal Dictionary<string, Timing> OurTimes { get; }
    internal Dictionary<string, Timing> PlainTimes { get; } = [];
    internal Dictionary<string, string> PlainWhat { get; } = new()
    {
        ["reduced"] = "one backward per input",
        ["form_full"] = "exact: double-backward Jv per input",
        ["form_full_cd"] = "central difference ±εv per input (the reference code)",
        ["form_tensor_cd"] = "per-tensor central difference, v = g (the reference code)",
        ["trace"] = "trace from the C×P Jacobian, C backward passes per input",
    };
    internal string HandOverFile => _handOver;
    internal Dictionary<string, Timing> PyTimes { get; } = [];
    internal Dictionary<string, double[]> OurValues { get; } = [];
    internal Dictionary<string, double[]> PlainValues { get; } = [];
    internal Dictionary<string, double[]> PyValues { get; } = [];
    internal Dictionary<string, int> PyInputs { get; } = [];
    internal string? PyVersion { get; private set; }
    internal string? PyBatchedError { get; private set; }
    internal string? PySkipped { get; private set; }

    internal FisherSuite(FisherOptions o, string root)
    {
        _o = o;
        _root = root;
        manual_seed(0);
        _model = Cnn.Create();
        _model.eval();
        _x = Inputs(o.Inputs, out var source);
        Source = source;
        var fisher = new PerInputFisher(_model) { BatchSize = o.Batch };
        int check = Math.Max(o.Check, 1);
        Ours =
        [
            new("reduced", "p/(1-p)·‖g‖², batched", o.Inputs, fisher.ReducedForm),
            new("form_full", "vᵀF(x)v along v = g/‖g‖, full, batched", o.Inputs, xs => fisher.Form(xs)),
            new("form_tensor", "per-tensor form, v = g (the reference quantity), batched", o.Inputs, xs => fisher.Form(xs, FisherDirection.RawGradient, FormVariant.PerTensor)),
            new("all_quantities", "trace, λmax, all forms, reduced (Compute), batched", o.AllInputs, xs => fisher.Compute(xs).Trace),
            new("fd_form_tensor", "FormFiniteDifference, per tensor, v = g, one at a time", o.FdInputs,
                xs => fisher.FormFiniteDifference(xs, FisherDirection.RawGradient, FormVariant.PerTensor)),
        ];
        OurTimes = Ours.ToDictionary(j => j.Key, j => new Timing(j.Count));

        // The file that hands weights and inputs to the Python side.
        _handOver = Path.Combine(Path.GetTempPath(), $"fisherkit-fisher-bench-{Environment.ProcessId}.safetensors");
        var handOver = _model.state_dict().ToDictionary(kv => "model." + kv.Key, kv => kv.Value);
        using var first = _x.narrow(0, 0, Math.Min(_o.Inputs, Math.Max(o.LoopInputs, Math.Max(o.BatchedInputs, check)))).contiguous();
        handOver["inputs"] = first;
        Safetensors.Save(_handOver, handOver);
    }

    /// <summary>Warm-up: every computation once on one batch.</summary>
    internal void WarmUp()
    {
        foreach (var job in Ours)
        {
            using var scope = NewDisposeScope();
            job.Compute(_x.narrow(0, 0, Math.Min(job.Count, Math.Min(_o.Batch, 4))));
        }
    }

    /// <summary>FisherKit's side of one round: every quantity once.</summary>
    internal void RoundFisherKit()
    {
        foreach (var job in Ours)
        {
            using var scope = NewDisposeScope();
            var xs = _x.narrow(0, 0, job.Count);
            double[] v = [];
            OurTimes[job.Key].Block(() => v = job.Compute(xs));
            OurValues.TryAdd(job.Key, v);
        }
    }

    /// <summary>Adds the loop timings and values the TorchSharp side reported.</summary>
    internal void AddTorchSharp(JsonElement fisher)
    {
        foreach (var e in fisher.EnumerateObject())
        {
            var n = e.Value.GetProperty("inputs").GetInt32();
            if (!PlainTimes.TryGetValue(e.Name, out var t)) PlainTimes[e.Name] = t = new Timing(n);
            t.Add(e.Value.GetProperty("seconds_per_input").GetDouble(), e.Value.GetProperty("cpu_seconds_per_input").GetDouble());
            PlainValues.TryAdd(e.Name, [.. e.Value.GetProperty("values").EnumerateArray().Select(v => v.GetDouble())]);
        }
    }

    /// <summary>The PyTorch side of one round.</summary>
    internal void RoundPython()
    {
        if (PySkipped is not null) return;
        try
        {
            var py = RunPython();
            PyVersion ??= py.GetProperty("torch_version").GetString();
            if (py.TryGetProperty("batched_error", out var be)) PyBatchedError = be.GetString();
            foreach (var e in py.EnumerateObject().Where(e => e.Value.ValueKind == JsonValueKind.Object))
            {
                var t = PyTimes.TryGetValue(e.Name, out var tt) ? tt : PyTimes[e.Name] = new Timing(e.Value.GetProperty("inputs").GetInt32());
                t.Add(e.Value.GetProperty("seconds_per_input").GetDouble(), e.Value.GetProperty("cpu_seconds_per_input").GetDouble());
                PyValues.TryAdd(e.Name, [.. e.Value.GetProperty("values").EnumerateArray().Select(v => v.GetDouble())]);
                PyInputs[e.Name] = e.Value.GetProperty("inputs").GetInt32();
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            PySkipped = e.Message;
            Console.WriteLine($"PyTorch side skipped: {e.Message}");
        }
    }

    private JsonElement RunPython()
    {
        var args = new List<string> { Path.Combine(_root, "bench", "pytorch", "fisher_bench.py"), "--file", _handOver, "--loop-inputs", $"{_o.LoopInputs}",
                                      "--batched-inputs", $"{_o.BatchedInputs}", "--batch", $"{_o.Batch}", "--threads", $"{_o.Threads}", "--check", $"{_o.Check}" };
        if (_o.OneDnn is { } on) args.AddRange(["--mkldnn", on ? "on" : "off"]);
        var (code, output, errors) = BenchChild.RunProgram(_o.Python, args, workingDirectory: _root, threads: _o.Threads);
        if (code != 0) throw new InvalidOperationException($"fisher_bench.py failed ({code}): {errors}");
        return BenchChild.LastJsonLine(output);
    }

    /// <summary>The Fashion-MNIST test images when they are on this machine, otherwise uniform noise of the same shape.</summary>
    private static Tensor Inputs(int n, out string source)
    {
        try
        {
            using var test = Datasets.FashionMnist(DatasetPart.Test);
            if (test.Count >= n)
            {
                source = $"Fashion-MNIST test images (first {n})";
                return test.Images.narrow(0, 0, n).contiguous().DetachFromDisposeScope();
            }
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or InvalidDataException) { }
        source = $"{n} uniform random 1×28×28 images (Fashion-MNIST not found)";
        return rand(n, 1, 28, 28).DetachFromDisposeScope();
    }

    /// <summary>Max relative difference of the first values, a against b (NaN when either side is missing).</summary>
    internal static double Agreement(double[]? a, double[]? b, int count)
    {
        if (a is null || b is null) return double.NaN;
        int n = Math.Min(count, Math.Min(a.Length, b.Length));
        double worst = 0;
        for (int i = 0; i < n; i++) worst = Math.Max(worst, Math.Abs(a[i] - b[i]) / Math.Max(Math.Abs(b[i]), 1e-30));
        return n == 0 ? double.NaN : worst;
    }

    public void Dispose()
    {
        File.Delete(_handOver);
        _x.Dispose();
        _model.Dispose();
    }
}

internal sealed record FisherOptions(int Threads, int Inputs, int LoopInputs, int BatchedInputs, int AllInputs, int FdInputs, int Batch, int Check, string Python, bool? OneDnn = null);
