using FisherKit.Data;
using FisherKit.Training;
using FisherKit.TorchSharpAdditions;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace FisherKit.Bench;

/// <summary>
/// One benchmarked operation with its state, on one side (FisherKit or plain TorchSharp);
/// bench/pytorch/cnn_bench.py mirrors every one. <c>Run</c> performs <c>Inner</c> steps (a training
/// run of that many mini-batches, that many products); warm-up is one such call.
/// </summary>
internal sealed class Workload(string key, string title, int inner, double? flops, Action run, params IDisposable[] owned) : IDisposable
{
    /// <summary>The name shared with the Python script's output.</summary>
    public string Key { get; } = key;
    public string Title { get; } = title;
    public int Inner { get; } = inner;
    public double? Flops { get; } = flops;
    public Action Run { get; } = run;

    public void Dispose()
    {
        foreach (var o in owned) o.Dispose();
    }

    internal static Workload Gemm(CnnOptions o)
    {
        var g = new Generator(0);
        var a = randn([o.GemmN, o.GemmN], generator: g);
        var b = randn([o.GemmN, o.GemmN], generator: g);
        return new("gemm", $"GEMM float32 {o.GemmN}^3 (one product)", 3, 2.0 * o.GemmN * o.GemmN * o.GemmN,
            () => { for (int i = 0; i < 3; i++) using (a.mm(b)) { } }, a, b, g);
    }

    /// <summary>The convolution rate: conv2 of the CNN (32→64 channels, 3×3, 26×26 inputs) over a batch of 64, forward.</summary>
    internal static Workload Convolution(CnnOptions o)
    {
        var g = new Generator(0);
        var x = randn([64, 32, 26, 26], generator: g).relu();
        var w = randn([64, 32, 3, 3], generator: g);
        return new("conv", "convolution conv2, batch 64 (forward)", 3, 2.0 * 64 * 24 * 24 * 64 * 32 * 9,
            () => { for (int i = 0; i < 3; i++) using (F.conv2d(x, w)) { } }, x, w, g);
    }

    /// <summary>Images in [0, 1] and labels for <paramref name="steps"/> mini-batches, the same on every side (seed 0).</summary>
    private static (Tensor x, Tensor y) Data(int batch, int steps)
    {
        var g = new Generator(0);
        return (rand([(long)batch * steps, 1, 28, 28], generator: g), randint(0, 10, [(long)batch * steps], generator: g));
    }

    /// <summary>
    /// FisherKit: <see cref="ClassifierTraining.Fit"/> (the one training loop) for one epoch over <c>Inner</c> mini-batches (its
    /// per-step bookkeeping included: shuffled batches, the loss read back, the accuracy count).
    /// </summary>
    internal static Workload TrainFisherKit(CnnOptions o, int batch)
    {
        int inner = batch == 1 ? o.Inner1 : o.Inner64;
        manual_seed(0);
        var model = Cnn.Create();
        var (x, y) = Data(batch, inner);
        var data = new ImageDataset(x, y, name: "bench");
        var options = new TrainingOptions { Epochs = 1, BatchSize = batch, LearningRate = 1e-3, RecordEvery = int.MaxValue };
        return new($"train_batch{batch}", $"train step, batch {batch} (Adam)", inner, (double)batch * Cnn.TrainFlopsPerSample(),
            () => ClassifierTraining.Fit(model, data, null, options), data, x, y, model);
    }

    /// <summary>
    /// Plain TorchSharp, the obvious loop: zero_grad, forward, cross entropy, backward, Adam step, in a
    /// dispose scope; a run of <c>Inner</c> steps from a fresh optimizer, as FisherKit's <c>Fit</c> starts
    /// one (a young Adam state costs more per step: its many zero second moments take a slow path in
    /// MKL's vectorised square root).
    /// </summary>
    internal static Workload TrainTorchSharp(CnnOptions o, int batch)
    {
        int inner = batch == 1 ? o.Inner1 : o.Inner64;
        manual_seed(0);
        var model = Cnn.Create();
        var (x, y) = Data(batch, inner);
        var xs = Enumerable.Range(0, inner).Select(i => x.narrow(0, (long)i * batch, batch)).ToArray();
        var ys = Enumerable.Range(0, inner).Select(i => y.narrow(0, (long)i * batch, batch)).ToArray();
        model.train();
        return new($"train_batch{batch}", $"train step, batch {batch} (Adam)", inner, (double)batch * Cnn.TrainFlopsPerSample(),
            () =>
            {
                using var opt = optim.Adam(model.parameters(), lr: 1e-3);
                for (int i = 0; i < inner; i++)
                {
                    using var scope = NewDisposeScope();
                    opt.zero_grad();
                    var loss = F.cross_entropy(model.call(xs[i]), ys[i]);
                    loss.backward();
                    opt.step();
                }
            }, [.. xs, .. ys, x, y, model]);
    }

    /// <summary>H·v of the mean cross entropy of a batch, by double backward; FisherKit's guarded grad or TorchSharp's own.</summary>
    internal static Workload HessianVector(CnnOptions o, bool fisherKit)
    {
        manual_seed(0);
        var model = Cnn.Create();
        var ps = model.parameters().Select(p => (Tensor)p).ToList();
        var g = new Generator(0);
        var x = rand([o.HvpBatch, 1, 28, 28], generator: g);
        var y = randint(0, 10, [o.HvpBatch], generator: g);
        var v = ps.Select(p => randn(p.shape, generator: g)).ToList();
        return new("hvp", $"Hessian-vector product, batch {o.HvpBatch}", o.InnerHvp, null, () =>
        {
            for (int i = 0; i < o.InnerHvp; i++)
            {
                using var scope = NewDisposeScope();
                HessianVectorProduct(model, ps, x, y, v, fisherKit);
            }
        }, [.. v, x, y, g, model]);
    }

    internal static Tensor[] HessianVectorProduct(nn.Module<Tensor, Tensor> model, IList<Tensor> ps, Tensor x, Tensor y, IList<Tensor> v, bool safe)
    {
        var loss = F.cross_entropy(model.call(x), y);
        IList<Tensor?> grads = safe ? SafeAutograd.grad([loss], [.. ps], create_graph: true) : autograd.grad([loss], ps, retain_graph: true, create_graph: true);
        var dot = (grads[0]! * v[0]).sum();
        for (int i = 1; i < ps.Count; i++) dot = dot + (grads[i]! * v[i]).sum();
        return safe ? [.. SafeAutograd.grad([dot], [.. ps]).Select(t => t!)] : [.. autograd.grad([dot], ps)];
    }
}
