using System.Diagnostics;
using System.Globalization;
using FisherKit.Fisher;
using FisherKit.TorchSharpAdditions;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace FisherKit.Bench;

/// <summary>
/// Where the time of one batch of the per-input Fisher computation goes: the stages of
/// PerInputFisher.ReducedForm and .Form for the benchmark CNN, rebuilt here from public calls
/// (the same libtorch calls FisherKit.Fisher.PerSample makes), each timed alone (wall and CPU, best of rounds).
/// </summary>
internal static class Profile
{
    internal static int Run(string[] args, string root)
    {
        int threads = args.Contains("--threads") ? int.Parse(args[Array.IndexOf(args, "--threads") + 1], CultureInfo.InvariantCulture) : 1;
        int rounds = args.Contains("--rounds") ? int.Parse(args[Array.IndexOf(args, "--rounds") + 1], CultureInfo.InvariantCulture) : 5;
        set_num_threads(threads);
        Console.WriteLine($"Profile of one batch of 64: {threads} thread(s), machine load {EnvironmentRecord.Read("/proc/loadavg")}");
        manual_seed(0);
        using var model = (TorchSharp.Modules.Sequential)Cnn.Create();
        model.eval();
        var layers = model.children().Cast<nn.Module<Tensor, Tensor>>().ToArray();
        var conv1 = (TorchSharp.Modules.Conv2d)layers[0];
        var conv2 = (TorchSharp.Modules.Conv2d)layers[2];
        var fc1 = (TorchSharp.Modules.Linear)layers[6];
        var fc2 = (TorchSharp.Modules.Linear)layers[8];
        using var x = rand(64, 1, 28, 28);
        var fisher = new PerInputFisher(model);
        long[] k3 = [3, 3], one = [1, 1], zero = [0, 0];

        // Saved activations of one forward pass, and the output gradients of the four weight layers.
        var values = new List<Tensor> { x };
        Tensor[] outputGrads;
        using (enable_grad())
        {
            foreach (var l in layers) values.Add(l.call(values[^1]).DetachFromDisposeScope());
            var z = values[^1];
            var u = (F.one_hot(z.argmax(1), 10).to(float32) - F.softmax(z, 1)).detach();
            outputGrads = [.. SafeAutograd.grad([z], [values[1], values[3], values[7], values[9]], [u]).Select(t => t!.detach().DetachFromDisposeScope())];
        }
        var (a1, b1, a2, b2, a3, b3, a4, b4) = (values[0], outputGrads[0], values[2], outputGrads[1], values[6], outputGrads[2], values[8], outputGrads[3]);

        Tensor PerInputGrad(Tensor a, Tensor b, bool tangent)
        {
            var grads = new List<Tensor>();
            var outs = new List<Tensor>();
            for (long i = 0; i < a.shape[0]; i++)
            {
                using var step = NewDisposeScope();
                var xi = a.narrow(0, i, 1);
                var gi = ConvolutionGradients.Conv2dWeight(xi, k3, b.narrow(0, i, 1), one, zero, one);
                grads.Add(step.MoveToOuter(gi.unsqueeze(0)));
                if (tangent) outs.Add(step.MoveToOuter(F.conv2d(xi, gi)));
            }
            return tangent ? cat(outs, 0) : cat(grads, 0);
        }
        Tensor Pool(Tensor xin, Tensor t)
        {
            var (v, positions) = F.max_pool2d_with_indices(xin, [2, 2], [2, 2], [0, 0]);
            return t.contiguous().flatten(2).gather(2, positions.flatten(2)).view(positions.shape);
        }

        var loops = new PlainLoops(model);
        Action Backward(int layer) => () =>
        {
            using var g = enable_grad();
            var xin = values[layer].detach().requires_grad_();
            var y = layers[layer].call(xin);
            SafeAutograd.grad([y], [xin], [ones_like(y)]);
        };
        Action Forward(int layer) => () => { using var ng = no_grad(); layers[layer].call(values[layer]); };
        var stages = new (string name, Action run)[]
        {
            ("TorchSharp loop, reduced form, 64 inputs one at a time", () => loops.Reduced(x)),
            ("forward, no grad", () => { using var ng = no_grad(); model.call(x); }),
            ("  conv1 forward", Forward(0)),
            ("  relu1 forward", Forward(1)),
            ("  conv2 forward", Forward(2)),
            ("  relu2 forward", Forward(3)),
            ("  maxpool forward (no grad)", Forward(4)),
            ("  maxpool_with_indices forward", () => F.max_pool2d_with_indices(values[4], [2, 2], [2, 2], [0, 0])),
            ("  fc1 forward", Forward(6)),
            ("forward + input gradient: conv2", Backward(2)),
            ("forward + input gradient: relu2", Backward(3)),
            ("forward + input gradient: maxpool", Backward(4)),
            ("forward + input gradient: fc1", Backward(6)),
            ("forward with graph + backward to the layer outputs", () =>
            {
                using var g = enable_grad();
                var vs = new List<Tensor> { x };
                foreach (var l in layers) vs.Add(l.call(vs[^1]));
                var z = vs[^1];
                SafeAutograd.grad([z], [vs[1], vs[3], vs[7], vs[9]], [F.softmax(z, 1).detach()]);
            }),
            ("conv1 per-input weight gradients (64 transposed conv2d)", () => PerInputGrad(a1, b1, false)),
            ("conv2 per-input weight gradients (64 transposed conv2d)", () => PerInputGrad(a2, b2, false)),
            ("conv2 weight gradients + output changes (64 + 64 conv2d)", () => PerInputGrad(a2, b2, true)),
            ("conv2 gradient squared norms (einsum knp,lnp->nkl)", () => { var gg = PerInputGrad(a2, b2, false).flatten(1).unsqueeze(0); einsum("knp,lnp->nkl", gg, gg); }),
            ("fc1 + fc2 Gram identities", () => { var bb = einsum("no,no->n", b3, b3); var aa = a3.square().sum(1); (bb * aa).sum(); einsum("no,no->n", b4, b4); }),
            ("push: conv2 over the batch + ReLU mask", () => { var t = F.conv2d(values[1], conv2.weight); (t * (values[4] > 0).to(t.dtype)).sum(); }),
            ("push: max pool positions + gather", () => Pool(values[4], values[4])),
            ("push: fc1 + ReLU + fc2", () => { var t = F.linear(values[6], fc1.weight); t = t * (values[8] > 0).to(t.dtype); F.linear(t, fc2.weight); }),
            ("PerInputFisher.ReducedForm (whole)", () => fisher.ReducedForm(x)),
            ("PerInputFisher.Form (whole)", () => fisher.Form(x)),
        };
        Console.WriteLine($"  {"stage",-62} {"wall ms",10} {"CPU ms",10}");
        foreach (var (name, run) in stages)
        {
            MicroBench.Scoped(run);
            double wall = double.MaxValue, cpu = double.MaxValue;
            using var self = Process.GetCurrentProcess();
            for (int r = 0; r < rounds; r++)
            {
                self.Refresh();
                var c0 = self.TotalProcessorTime;
                var sw = Stopwatch.StartNew();
                MicroBench.Scoped(run);
                wall = Math.Min(wall, sw.Elapsed.TotalSeconds);
                self.Refresh();
                cpu = Math.Min(cpu, (self.TotalProcessorTime - c0).TotalSeconds);
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-62} {wall * 1e3,10:F2} {cpu * 1e3,10:F2}"));
        }
        foreach (var t in values.Concat(outputGrads)) t.Dispose();
        return 0;
    }
}
