using FisherKit.Torch;
using static FisherKit.Torch.torch;
using F = FisherKit.Torch.torch.nn.functional;

namespace FisherKit.Bench;

/// <summary>The FisherKit side of each benchmark; bench/pytorch/cnn_bench.py mirrors every one.</summary>
internal static class Workloads
{
    internal static (Timing timing, double gflops) Gemm(int n, int warmup, int repeats)
    {
        using var g = new Generator(0);
        using var a = randn([n, n], generator: g);
        using var b = randn([n, n], generator: g);
        var t = Timing.Measure(() => { using var c = a.mm(b); }, warmup, repeats, 3);
        return (t, 2.0 * n * n * n / t.Min / 1e9);
    }

    internal static Timing Train(int batch, int warmup, int repeats, int inner)
    {
        manual_seed(0);
        using var model = Cnn.Create();
        using var opt = optim.Adam(model.parameters(), lr: 1e-3);
        using var x = randn(batch, 1, 28, 28);
        using var y = randint(0, 10, [batch]);
        return Timing.Measure(() =>
        {
            using var scope = NewDisposeScope();
            opt.zero_grad();
            var loss = F.cross_entropy(model.forward(x), y);
            loss.backward();
            opt.step();
        }, warmup, repeats, inner);
    }

    internal static Timing HessianVector(int batch, int warmup, int repeats, int inner)
    {
        manual_seed(0);
        using var model = Cnn.Create();
        Tensor[] ps = [.. model.parameters()];
        using var x = randn(batch, 1, 28, 28);
        using var y = randint(0, 10, [batch]);
        var v = ps.Select(p => randn_like(p)).ToArray();
        try
        {
            return Timing.Measure(() =>
            {
                using var scope = NewDisposeScope();
                var loss = F.cross_entropy(model.forward(x), y);
                var grads = autograd.grad([loss], ps, create_graph: true);
                var dot = (grads[0]! * v[0]).sum();
                for (int i = 1; i < ps.Length; i++) dot = dot + (grads[i]! * v[i]).sum();
                autograd.grad([dot], ps);
            }, warmup, repeats, inner);
        }
        finally
        {
            foreach (var t in v) t.Dispose();
        }
    }
}
