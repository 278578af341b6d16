using FisherKit.Fisher;
using FisherKit.Fisher.Curvature;
using FisherKit.Fisher.Likelihoods;

namespace FisherKit.Tests.Fisher;

public class PerInputFisherTests
{
    public static TheoryData<string> Nets => new() { "mlp", "cnn" };

    private static (nn.Module<Tensor, Tensor> model, Tensor x) Case(string net) => net == "mlp"
        ? (TinyNets.Mlp(1), TinyNets.Inputs(1, 5, 3))
        : (TinyNets.Cnn(2), TinyNets.Inputs(2, 4, 1, 6, 6));

    private static void Close(double expected, double actual, double rtol = 1e-8, string what = "")
    {
        var err = Math.Abs(expected - actual) / Math.Max(Math.Abs(expected), 1e-300);
        Assert.True(err <= rtol, $"{what}: expected {expected:R}, got {actual:R} (relative error {err:E2})");
    }

    [Theory, MemberData(nameof(Nets))]
    public void Batched_quantities_match_the_brute_force_dense_fisher(string net)
    {
        var (model, x) = Case(net);
        using var _ = model;
        var r = new PerInputFisher(model) { BatchSize = 3 }.Compute(x);
        for (long i = 0; i < x.shape[0]; i++)
        {
            var bf = BruteForceFisher.At(model, x.narrow(0, i, 1));
            var f = bf.Matrix();
            var g = bf.G;
            double g2 = g.Sum(v => v * v);
            var unit = g.Select(v => v / Math.Sqrt(g2)).ToArray();
            double trace = Enumerable.Range(0, bf.Size).Sum(j => f[j, j]);
            double p = bf.P[bf.Predicted];
            Assert.Equal(bf.Predicted, r.PredictedClass[i]);
            Close(p, r.PredictedProbability[i], 1e-12, "p");
            Close(g2, r.GradientNormSquared[i], 1e-8, "‖g‖²");
            Close(trace, r.Trace[i], 1e-8, "trace");
            Close(BruteForceFisher.TopEigenvalue(f), r.TopEigenvalue[i], 1e-8, "λmax");
            Close(BruteForceFisher.Quadratic(f, unit), r.FormNormalized[i], 1e-8, "form (unit g)");
            Close(BruteForceFisher.Quadratic(f, g), r.FormRaw[i], 1e-8, "form (raw g)");
            double perTensorRaw = bf.Blocks.Sum(b => BruteForceFisher.Quadratic(f, g, b.offset, b.length));
            Close(perTensorRaw, r.FormRawPerTensor[i], 1e-8, "per-tensor form (raw g)");
            Close(perTensorRaw / g2, r.FormNormalizedPerTensor[i], 1e-8, "per-tensor form (unit g)");
            Close(p / (1 - p) * g2, r.Reduced[i], 1e-8, "reduced");
        }
    }

    [Theory, MemberData(nameof(Nets))]
    public void Central_difference_matches_the_exact_form_to_second_order(string net)
    {
        var (model, x) = Case(net);
        using var _ = model;
        var fisher = new PerInputFisher(model);
        var exact = fisher.Compute(x);
        foreach (var variant in new[] { FormVariant.Full, FormVariant.PerTensor })
        {
            var e1 = Errors(fisher.FormFiniteDifference(x, FisherDirection.NormalizedGradient, variant, 4e-3), exact.Form(FisherDirection.NormalizedGradient, variant));
            var e2 = Errors(fisher.FormFiniteDifference(x, FisherDirection.NormalizedGradient, variant, 2e-3), exact.Form(FisherDirection.NormalizedGradient, variant));
            // Halving ε divides an O(ε²) error by about 4.
            for (int i = 0; i < e1.Length; i++)
            {
                Assert.True(e1[i] < 1e-3, $"{variant} input {i}: relative error {e1[i]:E2} at ε = 4e-3");
                if (e1[i] > 1e-9) Assert.InRange(e1[i] / e2[i], 3.0, 5.0);
            }
        }
    }

    private static double[] Errors(double[] approx, double[] exact) =>
        approx.Select((a, i) => Math.Abs(a - exact[i]) / Math.Abs(exact[i])).ToArray();

    [Theory, MemberData(nameof(Nets))]
    public void Fast_path_along_the_gradient_gives_the_same_forms_as_the_full_computation(string net)
    {
        var (model, x) = Case(net);
        using var _ = model;
        var fisher = new PerInputFisher(model) { BatchSize = 3 };
        var all = fisher.Compute(x);
        foreach (var direction in new[] { FisherDirection.NormalizedGradient, FisherDirection.RawGradient })
            foreach (var variant in new[] { FormVariant.Full, FormVariant.PerTensor })
            {
                var fast = fisher.Form(x, direction, variant);
                var expected = all.Form(direction, variant);
                for (int i = 0; i < fast.Length; i++) Close(expected[i], fast[i], 1e-8, $"{direction} {variant}");
            }
    }

    [Fact]
    public void The_inequality_chain_holds_on_random_networks()
    {
        // p·‖g‖² ≤ vᵀFv ≤ λ_max ≤ tr F for v = g/‖g‖ (methods.md §1.3), on 20 random nets and inputs.
        for (int seed = 0; seed < 20; seed++)
        {
            using var model = TinyNets.Mlp(seed, inputs: 4, hidden: 6, classes: 2 + seed % 5);
            using var x = TinyNets.Inputs(seed, 8, 4) * (1 + seed % 3);
            var r = new PerInputFisher(model).Compute(x);
            for (int i = 0; i < r.Count; i++)
            {
                double tol = 1e-10 * r.Trace[i];
                Assert.True(r.PredictedProbability[i] * r.GradientNormSquared[i] <= r.FormNormalized[i] + tol, $"seed {seed}: p‖g‖² > vᵀFv");
                Assert.True(r.FormNormalized[i] <= r.TopEigenvalue[i] + tol, $"seed {seed}: vᵀFv > λmax");
                Assert.True(r.TopEigenvalue[i] <= r.Trace[i] + tol, $"seed {seed}: λmax > tr F");
            }
        }
    }

    [Fact]
    public void Reduced_form_alone_equals_the_closed_form_and_the_general_computation()
    {
        var (model, x) = Case("cnn");
        using var _ = model;
        var fisher = new PerInputFisher(model);
        var all = fisher.Compute(x);
        var reduced = fisher.ReducedForm(x);
        for (int i = 0; i < reduced.Length; i++)
        {
            Close(all.Reduced[i], reduced[i], 1e-10, "reduced");
            // General computation: the 2×2 Fisher of (p, 1−p) built from g by brute force, whose trace is p/(1−p)‖g‖².
            var bf = BruteForceFisher.At(model, x.narrow(0, i, 1));
            double p = bf.P[bf.Predicted];
            var g = bf.G;
            var gRest = g.Select(v => -p / (1 - p) * v).ToArray();   // ∇ log(1 − p) = −p/(1−p)·g
            double trace = p * g.Sum(v => v * v) + (1 - p) * gRest.Sum(v => v * v);
            Close(trace, reduced[i], 1e-8, "two-class trace");
        }
    }

    [Fact]
    public void Reduced_form_stays_accurate_when_the_prediction_is_almost_certain()
    {
        using var model = TinyNets.Mlp(3);
        using (no_grad()) model.parameters().Last().add_(tensor(new double[] { 60, 0, 0, 0 }));   // p_0 ≈ 1 − 1e-26
        using var x = TinyNets.Inputs(3, 2, 3);
        var fisher = new PerInputFisher(model);
        var reduced = fisher.ReducedForm(x);
        var r = fisher.Compute(x);
        foreach (var v in reduced) Assert.True(double.IsFinite(v) && v > 0, $"reduced = {v}");
        // With 1 − p ≈ 1e-26 the naive p/(1−p)·‖g‖² loses everything; the stable value must agree
        // with p(1−p)·‖Jᵀa′‖² evaluated independently by brute force in the rescaled direction.
        for (int i = 0; i < reduced.Length; i++)
        {
            var bf = BruteForceFisher.At(model, x.narrow(0, i, 1));
            int top = bf.Predicted;
            double rest = bf.P.Where((_, c) => c != top).Sum();
            var aPrime = bf.P.Select((pc, c) => c == top ? 1.0 : -pc / rest).ToArray();
            var jta = Enumerable.Range(0, bf.Size).Select(j => Enumerable.Range(0, bf.P.Length).Sum(c =>
                // ∇ log p_c = Jᵀ(e_c − p); Jᵀe_c = ∇ log p_c − ∇ log p_top + Jᵀe_top, and Σ a′ = 0 removes Jᵀp.
                aPrime[c] * (bf.ClassGradients[c][j] - bf.ClassGradients[top][j]))).ToArray();
            double expected = bf.P[top] * rest * jta.Sum(v => v * v);
            Close(expected, reduced[i], 1e-6, "reduced near p = 1");
            Assert.True(r.Reduced[i] > 0);
        }
    }

    [Fact]
    public void Form_along_a_user_direction_matches_brute_force_and_central_difference()
    {
        var (model, x) = Case("mlp");
        using var _ = model;
        manual_seed(7);
        using var v = ParamVector.RandnLike(model);
        var fisher = new PerInputFisher(model);
        var exact = fisher.Form(x, v);
        var perTensor = fisher.Form(x, v, FormVariant.PerTensor);
        var fd = fisher.FormFiniteDifference(x, userDirection: v, epsilon: 1e-4);
        using var flat = v.Flatten();
        var vf = flat.ToDoubleArray();
        for (int i = 0; i < exact.Length; i++)
        {
            var bf = BruteForceFisher.At(model, x.narrow(0, i, 1));
            var f = bf.Matrix();
            Close(BruteForceFisher.Quadratic(f, vf), exact[i], 1e-8, "user direction");
            Close(bf.Blocks.Sum(b => BruteForceFisher.Quadratic(f, vf, b.offset, b.length)), perTensor[i], 1e-8, "user direction, per tensor");
            Close(exact[i], fd[i], 1e-6, "central difference");
        }
    }

    [Fact]
    public void Float32_models_give_the_float64_values_to_single_precision()
    {
        using var m64 = TinyNets.Mlp(4);
        using var m32 = TinyNets.Mlp(4);
        m32.load_state_dict(m64.state_dict());   // the same weights even if another test moved a shared generator meanwhile
        m32.to(float32);
        using var x64 = TinyNets.Inputs(4, 6, 3);
        using var x32 = x64.to(float32);
        var a = new PerInputFisher(m64).Compute(x64);
        var b = new PerInputFisher(m32).Compute(x32);
        for (int i = 0; i < a.Count; i++)
        {
            Close(a.Trace[i], b.Trace[i], 1e-4, "trace");
            Close(a.FormNormalized[i], b.FormNormalized[i], 1e-4, "form");
        }
    }

    [Fact]
    public void Bad_input_gives_clear_errors()
    {
        using var model = TinyNets.Mlp(5);
        using var x = TinyNets.Inputs(5, 2, 3);
        var fisher = new PerInputFisher(model);
        using var wrong = ParamVector.ZerosLike(TinyNets.Mlp(5, hidden: 7));
        var e1 = Assert.Throws<ArgumentException>(() => fisher.Form(x, wrong));
        Assert.Contains("shape", e1.Message);

        using var probs = nn.Sequential(TinyNets.Mlp(5), nn.Softmax(1));
        var e2 = Assert.Throws<ArgumentException>(() => new PerInputFisher(probs).Compute(x));
        Assert.Contains("probabilities", e2.Message);

        using var oneOutput = TinyNets.Mlp(5, classes: 1);
        Assert.Contains("2 classes", Assert.Throws<ArgumentException>(() => new PerInputFisher(oneOutput).Compute(x)).Message);

        using (no_grad()) model.parameters().First().fill_(double.NaN);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => new PerInputFisher(model)).Message);
    }

    [Fact]
    public void A_batch_norm_without_running_statistics_is_refused_because_inputs_would_interact()
    {
        // Without running statistics a batch norm uses the batch's even in evaluation mode: one input's trace changed
        // with the other inputs of its batch (found on a user's network: 109.5 in a batch of 4, 135.7 alone).
        using var model = nn.Sequential(("conv", nn.Conv2d(1, 2, 3)), ("bn", nn.BatchNorm2d(2, track_running_stats: false)), ("relu", nn.ReLU()),
                                        ("flatten", nn.Flatten()), ("fc", nn.Linear(8, 3)));
        using var x = rand(4, 1, 4, 4);
        var e = Assert.Throws<ArgumentException>(() => new PerInputFisher(model));
        Assert.Contains("batch norm 'bn' keeps no running statistics", e.Message);
        Assert.Contains("no running statistics", Assert.Throws<ArgumentException>(() => FisherOperator.FromTensors(model, new Categorical(), x)).Message);
        // With running statistics (evaluation mode uses them) the same network is accepted.
        using var tracked = nn.Sequential(("conv", nn.Conv2d(1, 2, 3)), ("bn", nn.BatchNorm2d(2)), ("relu", nn.ReLU()), ("flatten", nn.Flatten()), ("fc", nn.Linear(8, 3)));
        Assert.Equal(4, new PerInputFisher(tracked).Compute(x).Trace.Length);
    }
}
