using FisherKit.Torch;
using static FisherKit.Torch.torch;
using F = FisherKit.Torch.torch.nn.functional;

namespace FisherKit.Bench;

/// <summary>One benchmarked operation with its state; bench/pytorch/cnn_bench.py mirrors every one.</summary>
internal sealed class Workload(string key, string title, int warmup, int inner, double? flops, Action step, params IDisposable[] owned) : IDisposable
{
    /// <summary>The name shared with the Python script's output.</summary>
    public string Key { get; } = key;
    public string Title { get; } = title;
    public int Warmup { get; } = warmup;
    public int Inner { get; } = inner;
    public double? Flops { get; } = flops;
    public Action Step { get; } = step;

    public void Dispose()
    {
        foreach (var o in owned) o.Dispose();
    }

    internal static Workload Gemm(Options o)
    {
        var g = new Generator(0);
        var a = randn([o.GemmN, o.GemmN], generator: g);
        var b = randn([o.GemmN, o.GemmN], generator: g);
        return new("gemm", $"GEMM float32 {o.GemmN}^3 (one product)", o.Warmup, 3, 2.0 * o.GemmN * o.GemmN * o.GemmN,
            () => { using var c = a.mm(b); }, a, b, g);
    }

    internal static Workload Train(Options o, int batch)
    {
        manual_seed(0);
        var model = Cnn.Create();
        var opt = optim.Adam(model.parameters(), lr: 1e-3);
        var x = randn(batch, 1, 28, 28);
        var y = randint(0, 10, [batch]);
        return new($"train_batch{batch}", $"train step, batch {batch} (Adam)", batch == 1 ? o.Warmup * 10 : o.Warmup,
            batch == 1 ? o.Inner1 : o.Inner64, (double)batch * Cnn.TrainFlopsPerSample(), () =>
            {
                using var scope = NewDisposeScope();
                opt.zero_grad();
                var loss = F.cross_entropy(model.forward(x), y);
                loss.backward();
                opt.step();
            }, x, y, opt, model);
    }

    internal static Workload HessianVector(Options o)
    {
        manual_seed(0);
        var model = Cnn.Create();
        Tensor[] ps = [.. model.parameters()];
        var x = randn(o.HvpBatch, 1, 28, 28);
        var y = randint(0, 10, [o.HvpBatch]);
        var v = ps.Select(p => randn_like(p)).ToArray();
        return new("hvp", $"Hessian-vector product, batch {o.HvpBatch}", o.Warmup, o.InnerHvp, null, () =>
        {
            using var scope = NewDisposeScope();
            var loss = F.cross_entropy(model.forward(x), y);
            var grads = autograd.grad([loss], ps, create_graph: true);
            var dot = (grads[0]! * v[0]).sum();
            for (int i = 1; i < ps.Length; i++) dot = dot + (grads[i]! * v[i]).sum();
            autograd.grad([dot], ps);
        }, [.. v, x, y, model]);
    }
}
