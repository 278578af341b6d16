using System.Globalization;

namespace FisherKit.Tests.TorchSharpAdditions;

/// <summary>
/// Native memory is owned: long loops with one dispose scope per step keep a flat resident size and
/// leave the live-tensor count where it was, and every addition releases what it makes (checked
/// outside any dispose scope, where a forgotten temporary would stay). These tests read
/// process-wide counters, so they run in the LeakChecks collection, alone.
/// </summary>
[Collection(LeakChecks.Name)]
public class MemoryTests
{
    private static long ResidentBytes()
    {
        // /proc/self/statm: size resident shared text lib data dt, in pages.
        var fields = File.ReadAllText("/proc/self/statm").Split(' ');
        return long.Parse(fields[1], CultureInfo.InvariantCulture) * Environment.SystemPageSize;
    }

    private static void Settle()
    {
        for (int i = 0; i < 2; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
    }

    /// <summary>Runs <paramref name="step"/> in a dispose scope per step; samples resident memory after the warm-up.</summary>
    private static List<(int step, long rss)> Loop(int steps, int warmup, int every, Action<int> step)
    {
        var samples = new List<(int, long)>();
        for (int i = 1; i <= steps; i++)
        {
            using (NewDisposeScope()) step(i);
            if (i >= warmup && i % every == 0)
            {
                Settle();
                samples.Add((i, ResidentBytes()));
            }
        }
        return samples;
    }

    /// <summary>Late window against early window: a leak of one step's graph (tens of KB) over thousands of steps is far above the margin.</summary>
    private static void AssertFlat(List<(int step, long rss)> samples, long marginBytes)
    {
        var early = samples.Take(3).Max(s => s.rss);
        var late = samples.TakeLast(3).Max(s => s.rss);
        var report = string.Join(", ", samples.Select(s => $"{s.step}: {s.rss >> 20} MiB"));
        Assert.True(late - early < marginBytes, $"resident memory grew by {(late - early) >> 10} KiB between the early and the late window ({report})");
    }

    [Fact]
    public void Training_a_small_CNN_for_thousands_of_steps_keeps_memory_flat_and_releases_every_tensor()
    {
        // Adam, SafeAutograd.backward (which keeps the graph natively until the step's scope disposes it)
        // and one dispose scope per step; 2,000 steps take a few seconds on an idle machine. The count is
        // taken after the model, the optimizer (its state appears in the first step) and the data exist:
        // TorchSharp's layer constructors leave wrappers of their own in Tensor.TotalCount.
        using var g = new Generator(11);
        using var model = nn.Sequential(nn.Conv2d(1, 6, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(54, 32), nn.Tanh(), nn.Linear(32, 10));
        using var opt = optim.Adam(model.parameters(), lr: 3e-3);
        using var x = randn([32, 1, 8, 8], generator: g);
        using var y = randint(0, 10, [32], generator: g);
        double first = 0, last = 0;
        void Step(int step)
        {
            opt.zero_grad();
            var loss = nn.functional.cross_entropy(model.call(x), y);
            SafeAutograd.backward(loss);
            opt.step();
            if (step == 1) first = loss.item<float>();
            last = loss.item<float>();
        }
        using (NewDisposeScope()) Step(1);
        var start = LeakChecks.SettledCount();
        var samples = Loop(2_000, 400, 200, i => Step(i + 1));
        Assert.Equal(start, LeakChecks.SettledCount());
        Assert.True(last < first * 0.2, $"the network should fit a fixed batch: loss {first} → {last}");
        AssertFlat(samples, 16L << 20);
    }

    [Fact]
    public void Thousands_of_Hessian_vector_products_keep_memory_flat_and_release_every_tensor()
    {
        using var g = new Generator(12);
        using var model = nn.Sequential(nn.Linear(20, 64), nn.Tanh(), nn.Linear(64, 10));
        using var x = randn([16, 20], generator: g);
        using var y = randint(0, 10, [16], generator: g);
        var ps = model.parameters().Select(p => (Tensor)p).ToList();
        var start = LeakChecks.SettledCount();
        var samples = Loop(1_500, 300, 150, _ =>
        {
            var loss = nn.functional.cross_entropy(model.call(x), y);
            var grads = SafeAutograd.grad([loss], ps, create_graph: true);
            var gv = grads.Select(t => t!.square().sum()).Aggregate((a, b) => a + b);
            SafeAutograd.grad([gv], ps);
        });
        Assert.Equal(start, LeakChecks.SettledCount());
        AssertFlat(samples, 16L << 20);
    }

    [Fact]
    public void Hundreds_of_parameter_swaps_keep_memory_flat()
    {
        // Each swap makes 1 MiB substitutes; were they left to the garbage collector (which does not see
        // native memory), a few hundred swaps would hold hundreds of MiB.
        using var g = new Generator(13);
        using var model = nn.Sequential(nn.Linear(512, 512), nn.Tanh(), nn.Linear(512, 4));
        using var x = randn([8, 512], generator: g, requires_grad: true);
        var names = model.named_parameters().Select(p => p.name).ToList();
        var samples = Loop(600, 100, 50, _ =>
        {
            var values = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach() * 1.01);
            Tensor y;
            using (model.WithParameterValues(values)) y = model.call(x).sum();
            SafeAutograd.grad(y, x);
        });
        AssertFlat(samples, 64L << 20);
    }

    [Fact]
    public void Every_addition_releases_the_tensors_it_makes_even_outside_a_dispose_scope()
    {
        using var dir = new TempFolder();
        using var model = nn.Sequential(nn.Linear(3, 4), nn.Dropout(), nn.Linear(4, 2));
        using var input = randn(5, 3);
        using var wide = randn(6, 4);
        using var values = randn(4, 3);
        using var other = nn.Linear(2, 2);        // made before the count: TorchSharp's constructors leave wrappers of their own
        var path = dir.File("m.safetensors");
        var start = LeakChecks.SettledCount();

        void Check(string what, Action action, int torchSharpArtefacts = 0)
        {
            action();
            start += torchSharpArtefacts;
            Assert.True(start == Tensor.TotalCount, $"{what} left {Tensor.TotalCount - start} tensor(s) alive");
        }

        // TorchSharp counts a wrapper without a native tensor as alive forever (Dispose lowers
        // Tensor.TotalCount only for a wrapper that still holds a handle): the wrapper a Parameter takes its
        // handle from (so every Parameter made, even by TorchSharp's own layers, adds one) and the invalid
        // tensor autograd.grad returns for an unused input. No memory is held; the checks allow for them.
        Check("TorchSharp's Parameter constructor", () => { using var d = values.detach(); new TorchSharp.Modules.Parameter(d, false).Dispose(); }, torchSharpArtefacts: 1);
        Check("TorchSharp's autograd.grad with an unused input", () =>
        {
            using var scope = NewDisposeScope();
            var x = input.detach().requires_grad_();
            var unused = input.detach().requires_grad_();
            foreach (var t in autograd.grad([x.sum()], [x, unused], allow_unused: true)) t.Dispose();
        }, torchSharpArtefacts: 1);

        Check("ToArray of a transposed tensor", () => { using var t = wide.t(); _ = t.ToArray<float>(); });
        Check("ToDoubleArray", () => _ = wide.ToDoubleArray());
        Check("TensorChecks.Finite", () => TensorChecks.Finite(wide, "wide"));
        Check("SaveSafetensors", () => model.SaveSafetensors(path, new Dictionary<string, string> { ["k"] = "v" }));
        Check("Load (and dispose the result)", () => { foreach (var t in Safetensors.Load(path).Values) t.Dispose(); });
        Check("LoadSafetensors", () => model.LoadSafetensors(path));
        Check("a failed LoadSafetensors", () => Assert.Throws<InvalidDataException>(() => other.LoadSafetensors(path)));
        Check("ModuleMode", () => { using (ModuleMode.MonteCarloDropout(model)) { } });
        Check("WithParameterValues (one Parameter made and disposed)", () =>
        {
            using (model.WithParameterValues(new Dictionary<string, Tensor> { ["0.weight"] = values }))
                model.call(input).Dispose();
        }, torchSharpArtefacts: 1);
        Check("SafeAutograd.grad with create_graph, in a scope", () =>
        {
            using var scope = NewDisposeScope();
            var x = input.detach().requires_grad_();
            var g = SafeAutograd.grad(x.pow(3).sum(), x, create_graph: true);
            SafeAutograd.grad(g.sum(), x);
        });
        Check("a refused SafeAutograd.grad, in a scope", () =>
        {
            using var scope = NewDisposeScope();
            var x = input.detach().requires_grad_();
            var unused = input.detach().requires_grad_();
            Assert.Throws<InvalidOperationException>(() => SafeAutograd.grad([x.sum()], [x, unused]));
        }, torchSharpArtefacts: 1);
        Check("Conv2dWeight, in a scope", () =>
        {
            using var scope = NewDisposeScope();
            ConvolutionGradients.Conv2dWeight(randn(1, 2, 5, 5), [3, 3], randn(1, 3, 3, 3), [1, 1], [0, 0], [1, 1]);
        });
    }
}
