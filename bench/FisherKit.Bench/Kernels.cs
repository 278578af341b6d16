using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using FisherKit.TorchSharpAdditions;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace FisherKit.Bench;

/// <summary>
/// The measurements behind the kernel decisions of FisherKit on TorchSharp and libtorch 2.10:
/// how to form per-input convolution weight gradients (and the output change along them), whether a
/// custom max-pool kernel, a one-pass Adam update (FusedAdam) and glibc allocator tuning still pay. Every group
/// times its alternatives interleaved in rounds; exactness is checked against float64 autograd.
/// </summary>
internal static class Kernels
{
    internal static int Run(string[] args, string root)
    {
        var o = KernelOptions.Parse(args);
        set_num_threads(o.Threads);
        Console.WriteLine($"Kernel measurements: {o.Threads} thread(s), {o.Rounds} rounds, oneDNN {(EngineFlags.OneDnnEnabled == false ? "off" : "on")} ({EngineFlags.Diagnosis}), machine load {EnvironmentRecord.Read("/proc/loadavg")}");
        var env = EnvironmentRecord.Collect(get_num_threads(), root);
        var rows = new List<VariantTiming>();
        var checks = new Dictionary<string, object?>();
        if (o.Parts.Contains("conv")) rows.AddRange(ConvGradients(o, checks));
        if (o.Parts.Contains("pool")) rows.AddRange(MaxPool(o, checks));
        if (o.Parts.Contains("adam")) rows.AddRange(Adam(o, checks));
        if (o.Parts.Contains("batch")) rows.AddRange(CallSize(o));
        Dictionary<string, object?>? malloc = null;
        if (o.Parts.Contains("malloc")) malloc = Malloc(o, root);
        env["load_average_at_end"] = EnvironmentRecord.Read("/proc/loadavg");
        var file = Results.Write(root, "kernels", new Dictionary<string, object?>
        {
            ["environment"] = env,
            ["options"] = o,
            ["variants"] = rows.Select(r => r.ToJson()).ToList(),
            ["checks"] = checks,
            ["malloc"] = malloc,
        });
        Console.WriteLine($"Results: {Path.GetRelativePath(root, file)}");
        return 0;
    }

    // ------------------------------------------------------------------ convolution weight gradients

    /// <summary>
    /// Per-input weight gradients G_n = ∂(b_n · conv(x_n, W))/∂W of the CNN's conv2 for a batch of 64
    /// (x: 64×32×26×26, b: 64×64×24×24, G: 64×64×32×3×3), and the output change conv(x_n, G_n) the full
    /// Fisher form needs, by each candidate.
    /// </summary>
    private static List<VariantTiming> ConvGradients(KernelOptions o, Dictionary<string, object?> checks)
    {
        long n = o.Batch, c = 32, cout = 64, h = 26, k = 3;
        var gen = new Generator(1);
        using var x = randn([n, c, h, h], generator: gen).relu();           // post-ReLU activations, as in the CNN
        using var b = randn([n, cout, h - k + 1, h - k + 1], generator: gen);
        using var w = randn([cout, c, k, k], generator: gen) * 0.05;
        long[] kernel = [k, k], one = [1, 1], zero = [0, 0];

        // FisherKit's own methods (ConvolutionGradients), and the alternatives a TorchSharp user has.
        Tensor Library(Tensor xs, Tensor bs, PerInputConvolutionMethod method) =>
            ConvolutionGradients.Conv2dWeightPerInput(xs, kernel, bs, one, zero, one, method);
        Tensor LibraryUnfold(Tensor xs, Tensor bs) => Library(xs, bs, PerInputConvolutionMethod.Unfold);
        Tensor LibraryPerInput(Tensor xs, Tensor bs) => Library(xs, bs, PerInputConvolutionMethod.PerInputConvolution);
        Tensor LibraryGrouped(Tensor xs, Tensor bs) => Library(xs, bs, PerInputConvolutionMethod.GroupedConvolution);
        Tensor UnfoldBmm(Tensor xs, Tensor bs)
        {
            var u = F.unfold(xs, (k, k));                                                       // (N, C·k², L)
            var g = bs.flatten(2).bmm(u.transpose(1, 2));                                         // (N, O, C·k²)
            return g.view(xs.shape[0], bs.shape[1], xs.shape[1], k, k);
        }
        Tensor UnfoldBmmTransposed(Tensor xs, Tensor bs)
        {
            var u = F.unfold(xs, (k, k)).transpose(1, 2).contiguous();                          // (N, L, C·k²): the product's right factor row-major
            return bs.flatten(2).bmm(u).view(xs.shape[0], bs.shape[1], xs.shape[1], k, k);
        }
        Tensor AutogradPerInput(Tensor xs, Tensor bs)
        {
            using var g = enable_grad();
            var wr = w.to(xs.dtype).detach().requires_grad_();
            var parts = new Tensor[xs.shape[0]];
            for (long i = 0; i < parts.Length; i++)
            {
                var y = F.conv2d(xs.narrow(0, i, 1), wr);
                parts[i] = SafeAutograd.grad([y], [wr], [bs.narrow(0, i, 1)])[0]!.unsqueeze(0);
            }
            return cat(parts, 0);
        }
        Tensor AutogradGrouped(Tensor xs, Tensor bs)
        {
            // The "expanded weights" trick: one grouped convolution with the weight repeated per input,
            // and libtorch's convolution backward for its weight (a forward pass is wasted).
            using var g = enable_grad();
            var nn_ = xs.shape[0];
            var wr = w.to(xs.dtype).detach().repeat(nn_, 1, 1, 1).requires_grad_();         // (N·O, C, k, k)
            var y = F.conv2d(xs.reshape(1, nn_ * c, xs.shape[2], xs.shape[3]), wr, groups: nn_);
            return SafeAutograd.grad([y], [wr], [bs.reshape(1, nn_ * cout, bs.shape[2], bs.shape[3])])[0]!.view(nn_, cout, c, k, k);
        }

        // Exactness: each variant in float64 against per-input autograd in float64 (libtorch's own
        // convolution backward), and in float32 against that float64 reference.
        var exact = new Dictionary<string, object?>();
        using (var x64 = x.narrow(0, 0, 4).to(float64))
        using (var b64 = b.narrow(0, 0, 4).to(float64))
        using (var w64 = w.to(float64))
        {
            Tensor Reference()
            {
                using var g = enable_grad();
                var wr = w64.detach().requires_grad_();
                var parts = new Tensor[4];
                for (long i = 0; i < 4; i++)
                    parts[i] = SafeAutograd.grad([F.conv2d(x64.narrow(0, i, 1), wr)], [wr], [b64.narrow(0, i, 1)])[0]!.unsqueeze(0);
                return cat(parts, 0);
            }
            using var scope = NewDisposeScope();
            var reference = Reference();
            foreach (var (name, f) in new (string, Func<Tensor, Tensor, Tensor>)[]
                     { ("fisherkit_unfold", LibraryUnfold), ("fisherkit_per_input", LibraryPerInput), ("fisherkit_grouped", LibraryGrouped),
                       ("libtorch_unfold_bmm", UnfoldBmm), ("libtorch_unfold_bmm_transposed", UnfoldBmmTransposed),
                       ("autograd_per_input", AutogradPerInput), ("autograd_grouped", AutogradGrouped) })
            {
                var d64 = RelativeError(f(x64, b64), reference);
                var d32 = RelativeError(f(x.narrow(0, 0, 4), b.narrow(0, 0, 4)).to(float64), reference);
                exact[name] = new { float64_max_rel = d64, float32_max_rel = d32 };
                Console.WriteLine($"  exactness {name,-24} float64 {d64:E2}, float32 {d32:E2} (max |difference| / max |reference|)");
            }
        }
        checks["conv_weight_gradient"] = exact;

        using (var scope = NewDisposeScope())
            checks["conv_input_gradient_forward_conv_vs_transposed"] = RelativeError(F.conv2d(b, w.flip(2, 3).transpose(0, 1), padding: [2, 2]), F.conv_transpose2d(b, w));
        var wp = w.detach().requires_grad_();
        var bsum = b.clone();
        var backward = MicroBench.Compare($"conv2 over the batch of {n}: forward and libtorch's backward", o.Rounds, o.Inner,
            ("forward", () => F.conv2d(x, w), null),
            ("input gradient: conv_transpose2d(b, W)", () => F.conv_transpose2d(b, w), null),
            ("input gradient: conv2d(pad(b, 2), flipped Wᵀ)", () => F.conv2d(F.pad(b, [2, 2, 2, 2]), w.flip(2, 3).transpose(0, 1)), "stride 1"),
            ("input gradient: conv2d(b, flipped Wᵀ, padding 2)", () => F.conv2d(b, w.flip(2, 3).transpose(0, 1), padding: [2, 2]), "stride 1"),
            ("autograd: forward + input gradient", () => { using var g = enable_grad(); var xr = x.detach().requires_grad_(); SafeAutograd.grad([F.conv2d(xr, w)], [xr], [bsum]); }, null),
            ("autograd: forward + weight gradient", () => { using var g = enable_grad(); SafeAutograd.grad([F.conv2d(x, wp)], [wp], [bsum]); }, null),
            ("autograd: forward + both", () => { using var g = enable_grad(); var xr = x.detach().requires_grad_(); SafeAutograd.grad([F.conv2d(xr, wp)], [xr, wp], [bsum]); }, null));

        using var unfolded = F.unfold(x, (k, k));                                          // (N, C·9, L)
        using var unfoldedT = unfolded.transpose(1, 2).contiguous();                        // (N, L, C·9)
        using var bflat = b.flatten(2).contiguous();                                         // (N, O, L)
        backward.AddRange(MicroBench.Compare($"Pieces of unfold + bmm, batch {n}", o.Rounds, o.Inner,
            ("unfold (im2col) alone", () => F.unfold(x, (k, k)), null),
            ("bmm (N,O,L)·(N,L,C·9), both contiguous", () => bflat.bmm(unfoldedT), null),
            ("bmm (N,O,L)·(N,C·9,L)ᵀ (transposed view)", () => bflat.bmm(unfolded.transpose(1, 2)), null),
            ("64 × mm (O,L)·(L,C·9)", () => { for (long i = 0; i < n; i++) bflat[i].mm(unfoldedT[i]); }, null),
            ("one input's mm (O,L)·(L,C·9): (64,576)·(576,288)", () => bflat[0].mm(unfoldedT[0]), "1/64 of the work"),
            ("matmul 1024³ (GEMM rate reference)", () => { using var a = ones(1024, 1024); a.mm(a); }, null)));

        var rows = MicroBench.Compare($"Per-input weight gradients of conv2, batch {n} (64×32×3×3 each)", o.Rounds, o.Inner,
            ("FisherKit Unfold: own window copy + bmm (Auto's choice)", () => LibraryUnfold(x, b), null),
            ("FisherKit PerInputConvolution: a transposed conv2d per input", () => LibraryPerInput(x, b), null),
            ("FisherKit GroupedConvolution: one grouped conv2d over the batch", () => LibraryGrouped(x, b), null),
            ("libtorch unfold (im2col) + bmm", () => UnfoldBmm(x, b), null),
            ("libtorch unfold, transpose to (N, L, C·9), bmm", () => UnfoldBmmTransposed(x, b), null),
            ("per input: autograd of conv2d (libtorch's weight backward)", () => AutogradPerInput(x, b), "forward pass included"),
            ("grouped conv2d with repeated weight + autograd", () => AutogradGrouped(x, b), "forward pass included"),
            ("reference: conv2 forward over the batch", () => F.conv2d(x, w), "the convolution rate"));
        rows.InsertRange(0, backward);

        // Gradient and output change together, as ConvRule.TangentsAndGrams needs them: FisherKit's
        // methods, and libtorch's unfold with two bmm as the alternative.
        Tensor[] LibraryPair(PerInputConvolutionMethod method)
        {
            var (g, y) = ConvolutionGradients.Conv2dWeightPerInputAndOutputs(x, kernel, b, one, zero, one, method);
            return [g, y];
        }
        Tensor[] LibtorchUnfoldPair()
        {
            var u = F.unfold(x, (k, k));                                                       // (N, C·9, L)
            var g = b.flatten(2).bmm(u.transpose(1, 2));                                        // (N, O, C·9)
            var t = g.bmm(u);                                                                   // (N, O, L)
            return [g, t];
        }
        // What Auto picks for the output changes of these inputs, asked of FisherKit itself.
        var autoOutputs = ConvolutionGradients.ResolveOutputs(PerInputConvolutionMethod.Auto, x);
        string Choice(PerInputConvolutionMethod m) => m == autoOutputs && m == PerInputConvolutionMethod.Unfold ? " (Auto's choice here)" : "";
        using (var scope = NewDisposeScope())
        {
            var reference = LibraryPair(PerInputConvolutionMethod.PerInputConvolution)[1].to(float64);
            var agreement = new Dictionary<string, double>();
            foreach (var (name, pair) in new (string, Func<Tensor[]>)[]
                     { ("fisherkit_unfold", () => LibraryPair(PerInputConvolutionMethod.Unfold)),
                       ("fisherkit_grouped", () => LibraryPair(PerInputConvolutionMethod.GroupedConvolution)),
                       ("libtorch_unfold_bmm", LibtorchUnfoldPair) })
            {
                agreement[name] = RelativeError(pair()[1].view(reference.shape), reference);
                Console.WriteLine($"  output changes agree (float32): {name} {agreement[name]:E2} relative to FisherKit's per-input convolutions");
            }
            checks["conv_tangent_float32_agreement"] = agreement;
        }
        var pairs = new List<(string, Action, string?)>
        {
            ($"FisherKit Unfold: window copy once, bmm + bmm{Choice(PerInputConvolutionMethod.Unfold)}", () => LibraryPair(PerInputConvolutionMethod.Unfold), null),
            ("FisherKit PerInputConvolution: transposed conv2d + conv2d per input", () => LibraryPair(PerInputConvolutionMethod.PerInputConvolution), null),
            ("FisherKit GroupedConvolution: grouped conv2d + grouped conv2d", () => LibraryPair(PerInputConvolutionMethod.GroupedConvolution), null),
            ("libtorch unfold once + bmm (gradient) + bmm (output change)", () => LibtorchUnfoldPair(), null),
        };
        if (autoOutputs != PerInputConvolutionMethod.Unfold)   // Auto mixes the methods only where it picks a grouped convolution for the outputs
            pairs.Insert(1, ("FisherKit Auto: Unfold gradients + grouped conv2d outputs (Auto's choice here)", () => LibraryPair(PerInputConvolutionMethod.Auto), null));
        rows.AddRange(MicroBench.Compare($"Weight gradients and output changes conv(x_n, G_n) of conv2, batch {n}", o.Rounds, o.Inner, pairs.ToArray()));
        return rows;
    }

    private static double RelativeError(Tensor a, Tensor reference)
    {
        using var scope = NewDisposeScope();
        var r = reference.to(float64);
        return (a.to(float64) - r).abs().max().item<double>() / r.abs().max().item<double>();
    }

    // ------------------------------------------------------------------ max pooling

    /// <summary>2×2 max pooling of the CNN's 64×64×24×24 activations: libtorch against simple alternatives.</summary>
    private static List<VariantTiming> MaxPool(KernelOptions o, Dictionary<string, object?> checks)
    {
        var gen = new Generator(2);
        using var x = randn([o.Batch, 64, 24, 24], generator: gen).relu();
        using var up = randn([o.Batch, 64, 12, 12], generator: gen);
        using var conv2In = randn([o.Batch, 32, 26, 26], generator: gen).relu();
        using var conv2W = randn([64, 32, 3, 3], generator: gen);
        long[] two = [2, 2];
        Tensor Reshaped(Tensor t) => t.view(t.shape[0], t.shape[1], 12, 2, 12, 2).amax([3, 5]);
        void Backward(Func<Tensor, Tensor> pool)
        {
            using var g = enable_grad();
            var xr = x.detach().requires_grad_();
            SafeAutograd.grad([pool(xr)], [xr], [up]);
        }
        using (var scope = NewDisposeScope())
        {
            var lib = F.max_pool2d(x, two);
            checks["maxpool_values"] = new
            {
                reshape_amax = RelativeError(Reshaped(x), lib),
                csharp_argmax_index_select = RelativeError(MaxPoolKernel.Pool2x2(x), lib),
            };
            var (_, idx) = F.max_pool2d_with_indices(x, two);
            checks["maxpool_indices_equal"] = MaxPoolKernel.Positions2x2(x, perPlane: true).eq(idx).all().item<bool>();
        }
        var rows = MicroBench.Compare($"Max pooling 2×2 of {o.Batch}×64×24×24 (forward)", o.Rounds, o.Inner * 4,
            ("libtorch max_pool2d", () => F.max_pool2d(x, two), null),
            ("libtorch max_pool2d_with_indices", () => F.max_pool2d_with_indices(x, two), null),
            ("view (N,C,12,2,12,2) + amax", () => Reshaped(x), "ties: gradient shared"),
            ("C# branch-free argmax + index_select (old FisherKit kernel)", () => MaxPoolKernel.Pool2x2(x), null),
            ("reference: conv2 forward of the CNN, same batch", () => F.conv2d(conv2In, conv2W), "for scale"));
        rows.AddRange(MicroBench.Compare($"Max pooling 2×2 of {o.Batch}×64×24×24, forward + backward", o.Rounds, o.Inner * 2,
            ("libtorch max_pool2d", () => Backward(t => F.max_pool2d(t, two)), null),
            ("view + amax", () => Backward(Reshaped), "ties: gradient shared"),
            ("C# argmax + index_select", () => Backward(MaxPoolKernel.Pool2x2), null)));
        return rows;
    }

    // ------------------------------------------------------------------ inputs per call

    /// <summary>
    /// The benchmark CNN over 256 images, evaluation mode without gradients, in calls of 16 to 256 images,
    /// and what <see cref="ConvolutionWorkspace"/> picks for it (the whole batch with oneDNN on; below
    /// glibc's 32 MiB mmap threshold for libtorch's own im2col buffer with oneDNN off); then forward and
    /// backward to the input (what an attack or a Fisher form does) in calls of 16 to 128 images.
    /// </summary>
    private static List<VariantTiming> CallSize(KernelOptions o)
    {
        manual_seed(0);
        using var model = Cnn.Create();
        model.eval();
        using var x = rand(256, 1, 28, 28);
        int picked = ConvolutionWorkspace.InputsPerCall(model, x, 256);
        void Forward(int perCall)
        {
            using var g = no_grad();
            for (long s = 0; s < 256; s += perCall) model.call(x.narrow(0, s, Math.Min(perCall, 256 - s)));
        }
        void Backward(int perCall)
        {
            for (long s = 0; s < 256; s += perCall)
            {
                using var g = enable_grad();
                var xi = x.narrow(0, s, Math.Min(perCall, 256 - s)).detach().requires_grad_();
                SafeAutograd.grad([model.call(xi).logsumexp(1).sum()], [xi]);
            }
        }
        var rows = MicroBench.Compare("CNN forward over 256 images (no gradient), by images per call", o.Rounds, o.Inner,
            [.. new[] { 16, 32, 48, 64, 128, 256 }.Select(k => ($"{k} per call", (Action)(() => Forward(k)), (string?)(k == picked ? "ConvolutionWorkspace's choice" : null))),
             ($"ConvolutionWorkspace: {picked} per call", () => Forward(picked), null)]);
        rows.AddRange(MicroBench.Compare("CNN forward + input gradient over 256 images, by images per call", o.Rounds, o.Inner,
            [.. new[] { 16, 32, 64, 128, 256 }.Select(k => ($"{k} per call", (Action)(() => Backward(k)), (string?)(k == 256 ? "one call for a batch of 256, an attack's default" : null))),
             ($"ConvolutionWorkspace: {picked} per call", () => Backward(picked), null)]));
        return rows;
    }

    // ------------------------------------------------------------------ Adam

    /// <summary>
    /// One Adam update of the CNN's 1.2 M parameters (what dominates a batch-1 training step):
    /// TorchSharp's optim.Adam, FisherKit's <see cref="FusedAdam"/> (one pass in C# over each tensor's
    /// memory) and the same update in five libtorch passes; then whole training steps, batch 1 and batch
    /// 64, with TorchSharp's Adam (the plain TorchSharp loop) and with FusedAdam.
    /// </summary>
    private static List<VariantTiming> Adam(KernelOptions o, Dictionary<string, object?> checks)
    {
        manual_seed(0);
        using var model = Cnn.Create();
        var ps = model.parameters().ToList();
        foreach (var p in ps) p.grad = randn_like(p) * 1e-3;
        using var ts = optim.Adam(ps, lr: 1e-3);
        using var fused = new FusedAdam(ps, lr: 1e-3);
        var few = new FewPassAdam(ps);

        // Same update? Copies of the model stepped 3 times by each, compared.
        checks["adam_agreement"] = AdamAgreement();

        var rows = MicroBench.Compare("Adam update of the CNN's 1.2 M parameters (gradients given)", o.Rounds, o.Inner * 4,
            ("TorchSharp optim.Adam.step", () => ts.step(), "8 passes, 2 temporaries per tensor"),
            ("FusedAdam.step (one pass in C#)", () => fused.step(), null),
            ("libtorch ops, 5 passes (lerp_, mul_+addcmul_, sqrt, addcdiv_)", few.Step, null),
            ("optimizer.zero_grad (zero_ each gradient)", () => ts.zero_grad(), null));

        // Whole training steps: the plain TorchSharp loop (zero_grad, forward, backward, Adam.step), the
        // same with set-to-none gradients, and FusedAdam with set-to-none gradients.
        void None() { foreach (var p in ps) p.grad = null; }
        foreach (var batch in new[] { 1, 64 })
        {
            var x = randn(batch, 1, 28, 28);
            var y = randint(0, 10, [batch]);
            void Step(Action zero, Action update)
            {
                zero();
                F.cross_entropy(model.call(x), y).backward();
                update();
            }
            int inner = batch == 1 ? o.Inner * 4 : o.Inner;
            rows.AddRange(MicroBench.Compare($"Training step, batch {batch}", o.Rounds, inner,
                ("zero_grad + TorchSharp Adam (plain TorchSharp)", () => Step(ts.zero_grad, () => ts.step()), null),
                ("set-to-none + TorchSharp Adam", () => Step(None, () => ts.step()), null),
                ("zero_grad(set_to_none) + FusedAdam", () => Step(() => fused.zero_grad(set_to_none: true), () => fused.step()), null)));
        }
        return rows;
    }

    private static object AdamAgreement()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var reference = Cnn.Create();
        var copies = Enumerable.Range(0, 3).Select(_ => Cnn.Create()).ToList();
        foreach (var m in copies)
            using (no_grad())
                foreach (var (p, q) in m.parameters().Zip(reference.parameters())) p.copy_(q);
        var grads = reference.parameters().Select(p => randn_like(p)).ToList();
        var ts = optim.Adam(copies[0].parameters(), lr: 1e-3);
        var few = new FewPassAdam(copies[1].parameters().ToList());
        var fused = new FusedAdam(copies[2].parameters(), lr: 1e-3);
        Action[] steps = [() => ts.step(), few.Step, () => fused.step()];
        for (int s = 0; s < 3; s++)
            for (int i = 0; i < 3; i++)
            {
                foreach (var (p, g) in copies[i].parameters().Zip(grads)) p.grad = g * (s + 1);
                steps[i]();
            }
        double Diff(nn.Module a, nn.Module b) => a.parameters().Zip(b.parameters()).Max(t => (t.First - t.Second).abs().max().item<float>());
        long Differing(nn.Module a, nn.Module b) => a.parameters().Zip(b.parameters()).Sum(t => t.First.ne(t.Second).sum().item<long>());
        long count = copies[0].parameters().Sum(p => p.numel());
        double moved = copies[0].parameters().Zip(reference.parameters()).Max(t => (t.First - t.Second).abs().max().item<float>());
        var r = new
        {
            max_parameter_change = moved, few_pass_vs_torchsharp = Diff(copies[1], copies[0]), fused_vs_torchsharp = Diff(copies[2], copies[0]),
            fused_elements_differing = Differing(copies[2], copies[0]), elements = count,
        };
        Console.WriteLine($"  Adam after 3 steps: parameters moved up to {r.max_parameter_change:E2}; differences to TorchSharp's Adam: 5-pass {r.few_pass_vs_torchsharp:E2}, FusedAdam {r.fused_vs_torchsharp:E2} ({r.fused_elements_differing} of {count} elements not bitwise equal)");
        foreach (var m in copies.Append(reference)) m.Dispose();
        ts.Dispose();
        fused.Dispose();
        return r;
    }

    /// <summary>Adam in five libtorch passes per tensor (the old FisherKit's fallback): m.lerp_(g), v.mul_().addcmul_(), sqrt, add_, p.addcdiv_.</summary>
    private sealed class FewPassAdam(List<TorchSharp.Modules.Parameter> ps, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8)
    {
        private readonly Tensor[] _m = [.. ps.Select(p => zeros_like(p).DetachFromDisposeScope())];
        private readonly Tensor[] _v = [.. ps.Select(p => zeros_like(p).DetachFromDisposeScope())];
        private readonly Tensor _w = tensor((float)(1 - beta1)).DetachFromDisposeScope();
        private int _t;

        public void Step()
        {
            _t++;
            var bc1 = 1 - Math.Pow(beta1, _t);
            var bc2Sqrt = Math.Sqrt(1 - Math.Pow(beta2, _t));
            using var ng = no_grad();
            for (int i = 0; i < ps.Count; i++)
            {
                using var scope = NewDisposeScope();
                var g = ps[i].grad;
                if (g is null) continue;
                _m[i].lerp_(g, _w);
                _v[i].mul_(beta2).addcmul_(g, g, 1 - beta2);
                var denom = _v[i].sqrt().add_(eps * bc2Sqrt);
                ps[i].addcdiv_(_m[i], denom, -lr * bc2Sqrt / bc1);
            }
        }
    }

    // ------------------------------------------------------------------ glibc allocator

    /// <summary>
    /// Training steps (batch 1 in a process that has done nothing else yet, then batch 64 and batch 1
    /// again), a Hessian-vector product and a batch of reduced Fisher forms in fresh processes with
    /// glibc's defaults (<c>FISHERKIT_MALLOC=keep</c>) and with FisherKit's settings
    /// (<see cref="HostAllocator.Configure"/>, what FisherKit applies on first use; glibc's settings
    /// cannot be undone once made), rounds alternating: time and minor page faults per step.
    /// </summary>
    private static Dictionary<string, object?> Malloc(KernelOptions o, string root)
    {
        var keys = new[] { "train_batch1_first", "train_batch64", "train_batch1", "hvp", "fisher_reduced" };
        var with = keys.ToDictionary(k => k, _ => new List<double>());
        var without = keys.ToDictionary(k => k, _ => new List<double>());
        var faultsWith = keys.ToDictionary(k => k, _ => new List<double>());
        var faultsWithout = keys.ToDictionary(k => k, _ => new List<double>());
        for (int r = 0; r < o.Rounds; r++)
            foreach (var on in new[] { false, true })
            {
                // FisherKit applies its settings when first used; "keep" holds glibc's defaults in the other process.
                var (code, output, errors) = BenchChild.Run(
                    ["malloc-probe", "--threads", $"{o.Threads}", "--tuned", on ? "1" : "0", "--onednn", EngineFlags.OneDnnEnabled == false ? "off" : "on"],
                    new Dictionary<string, string> { ["FISHERKIT_MALLOC"] = on ? "tune" : "keep" }, root);
                if (code != 0) throw new InvalidOperationException($"malloc-probe failed: {errors}");
                var e = BenchChild.LastJsonLine(output);
                foreach (var k in keys)
                {
                    (on ? with : without)[k].Add(e.GetProperty(k).GetProperty("seconds").GetDouble());
                    (on ? faultsWith : faultsWithout)[k].Add(e.GetProperty(k).GetProperty("minor_faults").GetDouble());
                }
            }
        Console.WriteLine("glibc allocator: ms per step, min (median) over processes; minor page faults per step (median); ratio = mallopt / defaults");
        Console.WriteLine($"  {"workload",-16} {"glibc defaults",22} {"faults",8} {"mallopt",22} {"faults",8} {"ratio",6}");
        foreach (var k in keys)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {k,-16} {without[k].Min() * 1e3,10:F3} ({Timing.MedianOf(without[k]) * 1e3,8:F3}) {Timing.MedianOf(faultsWithout[k]),8:F0} {with[k].Min() * 1e3,10:F3} ({Timing.MedianOf(with[k]) * 1e3,8:F3}) {Timing.MedianOf(faultsWith[k]),8:F0} {with[k].Min() / without[k].Min(),6:F3}"));
        return keys.ToDictionary(k => k, k => (object?)new
        {
            defaults_s = without[k], mallopt_s = with[k], defaults_minor_faults = faultsWithout[k], mallopt_minor_faults = faultsWith[k],
            ratio_min = with[k].Min() / without[k].Min(),
        });
    }

    /// <summary>The child of <see cref="Malloc"/>: one process, one setting, one JSON line.</summary>
    internal static int MallocProbe(string[] args)
    {
        int threads = int.Parse(args[Array.IndexOf(args, "--threads") + 1], CultureInfo.InvariantCulture);
        bool on = args[Array.IndexOf(args, "--tuned") + 1] == "1";
        if (on != HostAllocator.Configured) throw new InvalidOperationException($"the probe should run with FisherKit's settings {(on ? "applied" : "not applied")}: {HostAllocator.Diagnosis}");
        set_num_threads(threads);
        var result = new Dictionary<string, object>();
        void Measure(string key, Action step, int warmup, int count)
        {
            for (int i = 0; i < warmup; i++) MicroBench.Scoped(step);
            long f0 = MinorFaults();
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < count; i++) MicroBench.Scoped(step);
            result[key] = new { seconds = sw.Elapsed.TotalSeconds / count, minor_faults = (MinorFaults() - f0) / (double)count };
        }
        // Batch 1 first: glibc's defaults raise their mmap threshold only after a large block has been
        // freed, so a process that has not yet freed one maps and faults in every large temporary anew.
        foreach (var (batch, key) in new[] { (1, "train_batch1_first"), (64, "train_batch64"), (1, "train_batch1") })
        {
            manual_seed(0);
            using var model = Cnn.Create();
            using var opt = optim.Adam(model.parameters(), lr: 1e-3);
            using var x = randn(batch, 1, 28, 28);
            using var y = randint(0, 10, [batch]);
            Measure(key, () =>
            {
                opt.zero_grad();
                F.cross_entropy(model.call(x), y).backward();
                opt.step();
            }, batch == 1 ? 30 : 3, batch == 1 ? 200 : 12);
        }
        using (var model = Cnn.Create())
        using (var x = randn(64, 1, 28, 28))
        using (var y = randint(0, 10, [64]))
        {
            var ps = model.parameters().Select(p => (Tensor)p).ToList();
            var v = ps.Select(p => randn_like(p).DetachFromDisposeScope()).ToList();
            Measure("hvp", () => Workload.HessianVectorProduct(model, ps, x, y, v, safe: true), 2, 5);
        }
        using (var model = Cnn.Create())
        using (var x = rand(256, 1, 28, 28))
        {
            model.eval();
            var fisher = new FisherKit.Fisher.PerInputFisher(model);
            Measure("fisher_reduced", () => fisher.ReducedForm(x), 1, 3);
        }
        Console.WriteLine(JsonSerializer.Serialize(result));
        return 0;
    }

    private static long MinorFaults()
    {
        // /proc/self/stat: field 10 is minflt (after the command name in parentheses).
        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[7], CultureInfo.InvariantCulture);
    }
}

internal sealed record KernelOptions(int Threads, int Rounds, int Inner, int Batch, string[] Parts)
{
    internal static KernelOptions Parse(string[] args)
    {
        var o = new KernelOptions(1, 7, 3, 64, ["conv", "pool", "adam", "batch", "malloc"]);
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int N() => int.Parse(Next(), CultureInfo.InvariantCulture);
            o = args[i] switch
            {
                "--threads" => o with { Threads = N() },
                "--rounds" => o with { Rounds = N() },
                "--inner" => o with { Inner = N() },
                "--batch" => o with { Batch = N() },
                "--only" => o with { Parts = Next().Split(',') },
                "--quick" => o with { Rounds = 3, Inner = 1 },
                _ => throw new ArgumentException($"unknown option {args[i]} for kernels; see bench/README.md"),
            };
        }
        return o;
    }
}
