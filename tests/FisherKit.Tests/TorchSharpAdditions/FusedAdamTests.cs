using System.Text.Json;
using TorchSharp.Modules;

namespace FisherKit.Tests.TorchSharpAdditions;

/// <summary>
/// FusedAdam: after six steps with given gradients its parameters equal PyTorch's Adam
/// (Reference/make_reference.py: plain, L2 weight decay, AMSGrad, maximize with other betas and ε; two
/// parameter groups with their own learning rates; float64 to 10⁻¹², float32 to float rounding) and
/// TorchSharp's Adam; it follows PyTorch's trajectory when training a small CNN (weight decay, AMSGrad);
/// tensors the one-pass kernel does not take are updated by TorchSharp's operations; gradients set to
/// none are skipped; a learning rate changed on a group takes effect; the state dictionary is
/// TorchSharp's Adam's (each loads the other's); bad options and disposed parameters give .NET
/// exceptions; parameters on another device (meta, and CUDA where there is one) take TorchSharp's
/// operations; float32 results equal TorchSharp's Adam to float rounding (not bit for bit: libtorch's
/// float32 sqrt is not correctly rounded); without the one-pass kernel (<c>OnePass = false</c>) they equal TorchSharp's
/// Adam bit for bit.
/// </summary>
public class FusedAdamTests
{
    private static JsonElement Adam => Reference.Section("adam");

    private static (double b1, double b2, double eps, double wd, bool ams, bool max) Setting(string name)
    {
        var s = Adam.GetProperty("settings").GetProperty(name);
        double Get(string k, double d) => s.TryGetProperty(k, out var v) ? v.GetDouble() : d;
        var betas = s.TryGetProperty("betas", out var b) ? b.EnumerateArray().Select(e => e.GetDouble()).ToArray() : [0.9, 0.999];
        return (betas[0], betas[1], Get("eps", 1e-8), Get("weight_decay", 0),
                s.TryGetProperty("amsgrad", out var a) && a.GetBoolean(), s.TryGetProperty("maximize", out var m) && m.GetBoolean());
    }

    /// <summary>Runs six steps of the optimizer <paramref name="make"/> builds over two groups of parameters starting at the reference values.</summary>
    private static List<Tensor> Run(string dtype, string setting, Func<IEnumerable<Adam.ParamGroup>, (double, double, double, double, bool, bool), double, Adam> make)
    {
        var r = Adam.GetProperty(dtype);
        var ps = r.GetProperty("start").EnumerateArray().Select(e => new Parameter(Reference.T(e), requires_grad: true)).ToList();
        var groups = new[]
        {
            new Adam.ParamGroup(ps.Take(2), new Adam.Options()),
            new Adam.ParamGroup(ps.Skip(2), new Adam.Options { LearningRate = Adam.GetProperty("lr_group2").GetDouble() }),
        };
        using var opt = make(groups, Setting(setting), Adam.GetProperty("lr").GetDouble());
        foreach (var step in r.GetProperty("grads").EnumerateArray())
        {
            foreach (var (p, g) in ps.Zip(step.EnumerateArray())) p.grad = Reference.T(g);
            opt.step();
        }
        return [.. ps.Select(p => p.detach().clone())];
    }

    private static Adam MakeFused(IEnumerable<Adam.ParamGroup> g, (double b1, double b2, double eps, double wd, bool ams, bool max) s, double lr) =>
        new FusedAdam(g, lr, s.b1, s.b2, s.eps, s.wd, s.ams, s.max);

    private static Adam MakeTorchSharp(IEnumerable<Adam.ParamGroup> g, (double b1, double b2, double eps, double wd, bool ams, bool max) s, double lr) =>
        new Adam(g, lr, s.b1, s.b2, s.eps, s.wd, s.ams, s.max);

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.dtype == b.dtype && a.eq(b).all().item<bool>();

    private static double MaxRelative(Tensor actual, Tensor expected)
    {
        using var scope = NewDisposeScope();
        var e = expected.to(float64);
        return ((actual.to(float64) - e).abs() / (e.abs() + 1e-3)).max().ToDouble();
    }

    [Theory]
    [InlineData("float64", "plain"), InlineData("float64", "weight_decay"), InlineData("float64", "amsgrad"), InlineData("float64", "maximize")]
    [InlineData("float32", "plain"), InlineData("float32", "weight_decay"), InlineData("float32", "amsgrad"), InlineData("float32", "maximize")]
    public void Six_steps_give_PyTorchs_and_TorchSharps_parameters(string dtype, string setting)
    {
        using var scope = NewDisposeScope();
        var expected = Adam.GetProperty(dtype).GetProperty("after").GetProperty(setting).EnumerateArray().Select(Reference.T).ToList();
        var fused = Run(dtype, setting, MakeFused);
        var torchSharp = Run(dtype, setting, MakeTorchSharp);
        // float32: a few rounding steps of the update (about 1e-7 relative each) over six steps; the
        // parameters move by about 6·lr, so 1e-5 relative to them would show a wrong update.
        double tolerance = dtype == "float64" ? 1e-12 : 2e-6;
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].dtype, fused[i].dtype);
            Assert.True(MaxRelative(fused[i], expected[i]) < tolerance, $"tensor {i}: FusedAdam off PyTorch's by {MaxRelative(fused[i], expected[i]):G3}");
            Assert.True(MaxRelative(torchSharp[i], expected[i]) < tolerance, $"tensor {i}: TorchSharp's Adam off PyTorch's by {MaxRelative(torchSharp[i], expected[i]):G3}");
            Assert.True(MaxRelative(fused[i], torchSharp[i]) < tolerance, $"tensor {i}: FusedAdam off TorchSharp's Adam by {MaxRelative(fused[i], torchSharp[i]):G3}");
        }
    }

    [Theory]
    [InlineData("float64", "plain"), InlineData("float32", "plain"), InlineData("float32", "weight_decay"), InlineData("float32", "amsgrad"), InlineData("float32", "maximize")]
    public void Without_the_one_pass_kernel_six_steps_give_TorchSharps_Adam_bit_for_bit(string dtype, string setting)
    {
        using var scope = NewDisposeScope();
        var held = Run(dtype, setting, (g, s, lr) => new FusedAdam(g, lr, s.Item1, s.Item2, s.Item3, s.Item4, s.Item5, s.Item6) { OnePass = false });
        var torchSharp = Run(dtype, setting, MakeTorchSharp);
        for (int i = 0; i < torchSharp.Count; i++)
            Assert.True(Same(held[i], torchSharp[i]), $"tensor {i}: off TorchSharp's Adam by {MaxRelative(held[i], torchSharp[i]):G3}");
    }

    [Fact]
    public void Five_training_steps_of_a_CNN_follow_PyTorchs_trajectory()
    {
        var r = Reference.Section("cnn");
        using var scope = NewDisposeScope();
        var model = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.Conv2d(4, 8, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                                  nn.Linear(128, 16), nn.Tanh(), nn.Linear(16, 10));
        model.to(float64);
        var state = Reference.Dict(r.GetProperty("state"));
        using (no_grad())
            foreach (var (name, p) in model.named_parameters()) p.copy_(state[name]);
        var x = Reference.T(r.GetProperty("input"));
        var y = Reference.T(r.GetProperty("target"));
        using var opt = new FusedAdam(model.parameters(), lr: 0.01, weight_decay: 1e-3, amsgrad: true);
        var losses = new List<double>();
        for (int step = 0; step < 5; step++)
        {
            using var s = NewDisposeScope();
            opt.zero_grad(set_to_none: true);
            var loss = nn.functional.cross_entropy(model.call(x), y);
            SafeAutograd.backward(loss);
            opt.step();
            losses.Add(loss.item<double>());
        }
        var expectedLosses = Reference.Doubles(r.GetProperty("adam_losses"));
        for (int i = 0; i < 5; i++) Assert.True(Math.Abs(expectedLosses[i] - losses[i]) < 1e-10, $"loss {i}: {losses[i]} against PyTorch's {expectedLosses[i]}");
        var after = Reference.Dict(r.GetProperty("state_after_adam"));
        foreach (var (name, p) in model.named_parameters())
            Assert.True(MaxRelative(p, after[name]) < 1e-8, $"{name} off by {MaxRelative(p, after[name]):G3}");
    }

    [Fact]
    public void Tensors_the_kernel_does_not_take_are_updated_like_TorchSharps_Adam()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(5);
        var start = randn([4, 6], generator: g);
        var grads = Enumerable.Range(0, 3).Select(_ => randn([6, 4], generator: g)).ToList();
        List<Tensor> Steps(bool fused)
        {
            // A transposed (non-contiguous) parameter and a float16 one: neither goes through the kernel.
            var p = new Parameter(start.clone().t(), requires_grad: true);
            var h = new Parameter(start.clone().to(float16), requires_grad: true);
            Adam opt = fused ? new FusedAdam([p, h], lr: 0.05, weight_decay: 0.01) : new Adam([p, h], lr: 0.05, weight_decay: 0.01);
            foreach (var gr in grads)
            {
                p.grad = gr.clone();
                h.grad = gr.t().to(float16);
                opt.step();
            }
            opt.Dispose();
            return [p.detach().clone(), h.detach().to(float32)];
        }
        var (a, b) = (Steps(fused: true), Steps(fused: false));
        Assert.True(Same(a[0], b[0]), "non-contiguous parameter");
        Assert.True(Same(a[1], b[1]), "float16 parameter");
    }

    [Fact]
    public void Gradients_set_to_none_are_skipped_and_zero_grad_works_both_ways()
    {
        using var scope = NewDisposeScope();
        var p = new Parameter(ones(3), requires_grad: true);
        var q = new Parameter(ones(3), requires_grad: true);
        using var opt = new FusedAdam([p, q], lr: 0.1);
        p.grad = full(3, 2.0f);
        opt.step();                                   // q has no gradient: unchanged, its step count stays 0
        Assert.True(Same(q.detach(), ones(3)));
        Assert.True(p.detach().allclose(full(3, 0.9f), rtol: 0, atol: 1e-6), string.Join(", ", p.detach().ToArray<float>()));
        opt.zero_grad();
        Assert.True(Same(p.grad!, zeros(3)));
        opt.zero_grad(set_to_none: true);
        Assert.Null(p.grad);
        Assert.Null(q.grad);
    }

    [Fact]
    public void A_learning_rate_changed_on_a_group_takes_effect_and_the_state_dictionary_is_Adams()
    {
        using var scope = NewDisposeScope();
        var p = new Parameter(zeros(2), requires_grad: true);
        using var opt = new FusedAdam([p], lr: 0.1);
        p.grad = ones(2);
        opt.step();                                   // the first Adam step moves by lr exactly (m/√v = 1)
        Assert.True(p.detach().allclose(full(2, -0.1f), rtol: 0, atol: 1e-6));
        foreach (var group in opt.ParamGroups) group.LearningRate = 0.01;   // what a scheduler does
        p.grad = ones(2);
        opt.step();
        Assert.True(p.detach().allclose(full(2, -0.11f), rtol: 0, atol: 1e-6), string.Join(", ", p.detach().ToArray<float>()));
        // Saved by FusedAdam, loaded into TorchSharp's Adam (and back): the same state format.
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) opt.save_state_dict(w);
        var p2 = new Parameter(p.detach().clone(), requires_grad: true);
        using var plain = new Adam([p2], lr: 0.01);
        stream.Position = 0;
        using (var rd = new BinaryReader(stream)) plain.load_state_dict(rd);
        p2.grad = ones(2);
        plain.step();
        p.grad = ones(2);
        opt.step();
        Assert.True(p.detach().allclose(p2.detach(), rtol: 0, atol: 1e-7));
        // And back: TorchSharp's Adam's state loads into FusedAdam.
        using var back = new MemoryStream();
        using (var w = new BinaryWriter(back, System.Text.Encoding.UTF8, leaveOpen: true)) plain.save_state_dict(w);
        var p3 = new Parameter(p2.detach().clone(), requires_grad: true);
        using var fused = new FusedAdam([p3], lr: 0.5);
        back.Position = 0;
        using (var rd = new BinaryReader(back)) fused.load_state_dict(rd);
        Assert.Equal(0.01, fused.ParamGroups.Single().LearningRate);
        p2.grad = ones(2);
        plain.step();
        p3.grad = ones(2);
        fused.step();
        Assert.True(p3.detach().allclose(p2.detach(), rtol: 0, atol: 1e-7));
    }

    [Fact]
    public void Bad_options_and_disposed_parameters_give_clear_exceptions()
    {
        using var scope = NewDisposeScope();
        var p = new Parameter(ones(3), requires_grad: true);
        Assert.Equal("lr", Assert.Throws<ArgumentOutOfRangeException>(() => new FusedAdam([p], lr: double.NaN)).ParamName);
        Assert.Equal("beta1", Assert.Throws<ArgumentOutOfRangeException>(() => new FusedAdam([p], beta1: -0.1)).ParamName);
        Assert.Equal("beta2", Assert.Throws<ArgumentOutOfRangeException>(() => new FusedAdam([p], beta2: 1.0)).ParamName);
        Assert.Equal("eps", Assert.Throws<ArgumentOutOfRangeException>(() => new FusedAdam([p], eps: double.PositiveInfinity)).ParamName);
        Assert.Equal("weight_decay", Assert.Throws<ArgumentOutOfRangeException>(() => new FusedAdam([p], weight_decay: double.NaN)).ParamName);
        using (var opt = new FusedAdam([p], lr: 0.1))
        {
            foreach (var g in opt.ParamGroups) g.LearningRate = double.NaN;       // a broken scheduler
            p.grad = ones(3);
            Assert.Contains("lr", Assert.Throws<ArgumentOutOfRangeException>(() => opt.step()).Message);
        }
        var q = new Parameter(ones(3), requires_grad: true);
        using var opt2 = new FusedAdam([q], lr: 0.1);
        q.Dispose();
        Assert.Throws<ObjectDisposedException>(() => opt2.step());
    }

    [Fact]
    public void Parameters_on_another_device_take_TorchSharps_operations()
    {
        // The meta device has shapes and no data: the kernel must not touch it; TorchSharp's operations run.
        using var scope = NewDisposeScope();
        var p = new Parameter(empty([4, 5], device: new Device(DeviceType.META)), requires_grad: true);
        using var opt = new FusedAdam([p], lr: 0.1, amsgrad: true);
        p.grad = empty([4, 5], device: new Device(DeviceType.META));
        opt.step();
        Assert.Equal(DeviceType.META, p.device_type);
        Assert.Equal([4L, 5L], p.shape);
        if (!cuda.is_available()) return;
        // On a GPU (where there is one): the same steps as TorchSharp's Adam on the CPU.
        using var gen = new Generator(13);
        var start = randn([40, 3], generator: gen);
        var grads = Enumerable.Range(0, 4).Select(_ => randn([40, 3], generator: gen)).ToList();
        var onGpu = new Parameter(start.cuda(), requires_grad: true);
        var onCpu = new Parameter(start.clone(), requires_grad: true);
        using var fused = new FusedAdam([onGpu], lr: 0.05, weight_decay: 0.01, amsgrad: true);
        using var plain = new Adam([onCpu], lr: 0.05, weight_decay: 0.01, amsgrad: true);
        foreach (var g in grads)
        {
            onGpu.grad = g.cuda();
            onCpu.grad = g.clone();
            fused.step();
            plain.step();
        }
        Assert.True(onGpu.detach().cpu().allclose(onCpu.detach(), rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void Float32_parameters_match_TorchSharps_Adam_to_float_rounding()
    {
        // Every operation but the square root rounds as libtorch's (fused multiply-adds where libtorch's
        // kernels have them); libtorch's float32 sqrt is not correctly rounded, so a few elements differ
        // by a unit in the last place after a step, and the trajectories part at rounding level.
        using var scope = NewDisposeScope();
        using var gen = new Generator(11);
        long[] sizes = [1000, 37, 4099];
        var start = sizes.Select(s => randn(s, generator: gen)).ToList();
        var grads = Enumerable.Range(0, 6).Select(_ => sizes.Select(s => randn(s, generator: gen) * 0.1).ToList()).ToList();
        List<Tensor> Steps(bool fused)
        {
            var ps = start.Select(s => new Parameter(s.clone(), requires_grad: true)).ToList();
            using Adam opt = fused ? new FusedAdam(ps, lr: 0.01, weight_decay: 0.01) : new Adam(ps, lr: 0.01, weight_decay: 0.01);
            foreach (var gs in grads)
            {
                foreach (var (p, g) in ps.Zip(gs)) p.grad = g.clone();
                opt.step();
            }
            return [.. ps.Select(p => p.detach().clone())];
        }
        var (a, b) = (Steps(fused: true), Steps(fused: false));
        for (int i = 0; i < a.Count; i++)
        {
            // A few roundings of |p| (up to about 4) and of the six updates (lr = 0.01 each).
            var gap = (a[i] - b[i]).abs() - 4 * 1.2e-7f * b[i].abs();
            Assert.True(gap.max().item<float>() <= 1e-8f, $"tensor {i}: {(a[i] - b[i]).abs().max().item<float>():G3} apart");
        }
    }
}
