using FisherKit.Attacks;
using FisherKit.Tests.TorchSharpAdditions;
using TorchSharp.Modules;

namespace FisherKit.Tests.Attacks;

/// <summary>Attacks on a small MLP trained on synthetic 8×8 images (shared by the tests of this class).</summary>
public sealed class AttackFixture : IDisposable
{
    public AttackFixture()
    {
        Model = TinyModels.TrainedMlp();
        (X, Y) = TinyModels.Data(200, seed: 7);
        X.DetachFromDisposeScope();
        Y.DetachFromDisposeScope();
    }

    public Sequential Model { get; }
    public Tensor X { get; }
    public Tensor Y { get; }

    public void Dispose()
    {
        Model.Dispose();
        X.Dispose();
        Y.Dispose();
    }
}

[Collection(LeakChecks.Name)]
public class AttackTests(AttackFixture f) : IClassFixture<AttackFixture>
{
    public static TheoryData<string> AttackNames => ["fgsm", "bim", "pgd-linf", "pgd-l2", "deepfool", "cw"];

    private static Attack Make(string name) => name switch
    {
        "fgsm" => new Fgsm(0.1),
        "bim" => new Bim(0.1),
        "pgd-linf" => new Pgd(PerturbationNorm.Linf, 0.1, steps: 20),
        "pgd-l2" => new Pgd(PerturbationNorm.L2, 1.0, steps: 20),
        "deepfool" => new DeepFool(),
        "cw" => new CarliniWagnerL2(binarySearchSteps: 4, maxIterations: 50, learningRate: 0.05),
        _ => throw new ArgumentException(name),
    };

    [Fact]
    public void The_model_is_trained()
    {
        Assert.True(TinyModels.Accuracy(f.Model, f.X, f.Y) > 0.95);
    }

    [Theory]
    [MemberData(nameof(AttackNames))]
    public void Each_attack_increases_the_loss_and_stays_in_the_valid_range(string name)
    {
        var attack = Make(name);
        using var result = attack.Run(f.Model, f.X, f.Y, batchSize: 64);
        using var scope = NewDisposeScope();
        var clean = TinyModels.MeanLoss(f.Model, f.X, f.Y);
        var adversarial = TinyModels.MeanLoss(f.Model, result.Adversarial, f.Y);
        Assert.True(adversarial > clean, $"{attack.Name}: loss {clean} -> {adversarial}");
        Assert.True(result.Adversarial.min().ToDouble() >= 0 && result.Adversarial.max().ToDouble() <= 1);
        Assert.Equal(f.X.shape, result.Adversarial.shape);
        Assert.True(result.SuccessRate > 0, result.Summary());
    }

    [Theory]
    [InlineData("fgsm", 0.1)]
    [InlineData("bim", 0.1)]
    [InlineData("pgd-linf", 0.1)]
    public void Linf_attacks_respect_their_bound(string name, double epsilon)
    {
        using var result = Make(name).Run(f.Model, f.X, f.Y);
        Assert.All(result.Linf, d => Assert.True(d <= epsilon + 1e-6, $"‖δ‖∞ = {d}"));
        // The bound is reached: FGSM moves every pixel that is not clipped by exactly ε.
        Assert.True(result.Linf.Max() > epsilon - 1e-6);
    }

    [Fact]
    public void Pgd_l2_respects_its_bound()
    {
        using var result = Make("pgd-l2").Run(f.Model, f.X, f.Y);
        Assert.All(result.L2, d => Assert.True(d <= 1.0 + 1e-5, $"‖δ‖₂ = {d}"));
    }

    [Fact]
    public void Pgd_reaches_a_high_success_rate_on_a_trained_model()
    {
        using var result = new Pgd(PerturbationNorm.Linf, 0.2, steps: 20).Run(f.Model, f.X, f.Y);
        Assert.True(result.CleanAccuracy > 0.95, result.Summary());
        Assert.True(result.SuccessRate >= 0.95, result.Summary());
        var fgsm = new Fgsm(0.2).Run(f.Model, f.X, f.Y);
        using (fgsm) Assert.True(result.SuccessRate >= fgsm.SuccessRate, $"{result.Summary()} vs {fgsm.Summary()}");
    }

    [Fact]
    public void Success_rates_and_sizes_are_counted_per_input()
    {
        using var result = new Fgsm(0.05).Run(f.Model, f.X, f.Y, batchSize: 37);
        using var scope = NewDisposeScope();
        var pred = f.Model.call(result.Adversarial).argmax(1).ToArray<long>();
        var labels = f.Y.ToArray<long>();
        Assert.Equal(pred.Zip(labels).Average(p => p.First != p.Second ? 1.0 : 0.0), result.SuccessRate, 12);
        var d = (result.Adversarial - f.X).flatten(1).to(ScalarType.Float64);
        var l2 = d.norm(1, p: 2).ToArray<double>();
        for (int i = 0; i < l2.Length; i++) Assert.Equal(l2[i], result.L2[i], 9);
        Assert.Equal(200, result.Count);
    }

    [Fact]
    public void Restarts_never_lower_the_loss_of_an_input()
    {
        using var scope = NewDisposeScope();
        var one = new Pgd(PerturbationNorm.Linf, 0.05, steps: 5, seed: 3).Generate(f.Model, f.X, f.Y);
        var three = new Pgd(PerturbationNorm.Linf, 0.05, steps: 5, restarts: 3, seed: 3).Generate(f.Model, f.X, f.Y);
        var l1 = nn.functional.cross_entropy(f.Model.call(one), f.Y, reduction: nn.Reduction.None);
        var l3 = nn.functional.cross_entropy(f.Model.call(three), f.Y, reduction: nn.Reduction.None);
        Assert.True((l3 - l1).min().ToDouble() >= -1e-6);
    }

    [Fact]
    public void Attacks_run_in_evaluation_mode_and_restore_modes_and_gradients()
    {
        f.Model.zero_grad();
        f.Model.train();
        try
        {
            using var scope = NewDisposeScope();
            var a = new Fgsm(0.1).Generate(f.Model, f.X, f.Y);
            var b = new Fgsm(0.1).Generate(f.Model, f.X, f.Y);
            // Dropout is off during the attack, so two runs agree exactly.
            Assert.True(a.allclose(b, rtol: 0, atol: 0));
            Assert.All(f.Model.NamedModulesWithSelf(), m => Assert.True(m.module.training));
            Assert.All(f.Model.parameters(), p => Assert.Null(p.grad));
        }
        finally
        {
            f.Model.eval();
        }
    }

    [Theory]
    [MemberData(nameof(AttackNames))]
    public void Attacks_leave_the_parameter_gradients_as_they_were(string name)
    {
        // Carlini–Wagner called loss.backward(), which also added into every parameter's gradient: adversarial training
        // that attacks between its own backward and step would have stepped with them.
        using var scope = NewDisposeScope();
        f.Model.zero_grad();
        var attack = name == "cw" ? new CarliniWagnerL2(binarySearchSteps: 1, maxIterations: 3) : Make(name);
        var x = f.X.narrow(0, 0, 8);
        var y = f.Y.narrow(0, 0, 8);
        attack.Generate(f.Model, x, y);
        Assert.All(f.Model.parameters(), p => Assert.Null(p.grad));
        foreach (var p in f.Model.parameters()) p.grad = full_like(p, 0.5);
        attack.Generate(f.Model, x, y);
        Assert.All(f.Model.parameters(), p => { using var g = p.grad!; Assert.True(g.eq(0.5).all().ToBoolean()); });
        f.Model.zero_grad();
    }

    [Fact]
    public void Labels_outside_the_models_classes_and_an_empty_batch_are_refused()
    {
        // Label −100 is cross entropy's ignore index: that input was left unattacked and counted a success.
        using var scope = NewDisposeScope();
        var x = f.X.narrow(0, 0, 4);
        foreach (var bad in new long[] { -100, -1, 4 })   // the fixture's model has 4 classes
        {
            var y = f.Y.narrow(0, 0, 4).clone();
            y[3] = tensor(bad);
            foreach (var name in new[] { "fgsm", "deepfool", "cw" })
                Assert.Contains("labels must lie in [0, 3]", Assert.Throws<ArgumentException>(() => Make(name).Generate(f.Model, x, y)).Message);
        }
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => new Fgsm(0.1).Generate(f.Model, x.narrow(0, 0, 0), f.Y.narrow(0, 0, 0))).Message);
        Assert.Throws<ArgumentException>(() => new Fgsm(0.1).Run(f.Model, x.narrow(0, 0, 0), f.Y.narrow(0, 0, 0)));
    }

    [Fact]
    public void Inputs_outside_the_valid_range_are_rejected()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<ArgumentException>(() => new Fgsm(0.1).Generate(f.Model, f.X * 3, f.Y));
        Assert.Contains("valid range", e.Message);
        Assert.Throws<ArgumentException>(() => new Fgsm(0.1).Generate(f.Model, f.X, f.Y.to(ScalarType.Float32)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Pgd(PerturbationNorm.L2, -1));
    }

    [Fact]
    public void Running_an_attack_leaks_no_tensors()
    {
        long before = LeakChecks.SettledCount();
        foreach (var name in new[] { "pgd-l2", "deepfool", "cw" })
        {
            var result = Make(name).Run(f.Model, f.X.narrow(0, 0, 16).DetachFromDisposeScope(), f.Y.narrow(0, 0, 16).DetachFromDisposeScope());
            result.Dispose();
        }
        // The two narrowed views above are the only tensors the test itself left alive. TorchSharp 0.107's
        // Parameter(Tensor) moves the native handle out of its argument without lowering Tensor.TotalCount,
        // so each Parameter constructed leaves one phantom in the count (no native memory): CW optimises
        // one new Parameter per binary-search step (4 here).
        Assert.Equal(before + 6 + 4, Tensor.TotalCount);
    }

    [Theory]
    [MemberData(nameof(AttackNames))]
    public void A_cnn_attacked_in_split_calls_gives_the_inputs_of_one_call(string name)
    {
        // Attacks run the network in calls sized by ConvolutionWorkspace (samples never interact in
        // evaluation mode); a lowered budget forces the split that large batches get with libtorch's own
        // convolution kernels, and the adversarial inputs must not change beyond float rounding.
        using var cnn = TinyModels.TrainedCnn();
        using var scope = NewDisposeScope();
        var x = f.X.narrow(0, 0, 30);
        var y = f.Y.narrow(0, 0, 30);
        var whole = Make(name).Generate(cnn, x, y);
        using (new WorkspaceBudget(8L * 9 * 4 * 4 * sizeof(float) * 7))   // conv2 unfolds 8·9 × 4·4 floats per input: 7 inputs per call
        {
            if (!OneDnn.Enabled) Assert.Equal(7, ConvolutionWorkspace.InputsPerCall(cnn, x, 30));   // calls of 7, 7, 7, 7, 2
            var batchSizes = new List<long>();
            var hook = cnn.register_forward_hook((_, input, output) => { batchSizes.Add(input.shape[0]); return output; });
            Tensor split;
            try { split = Make(name).Generate(cnn, x, y); }
            finally { hook.remove(); }
            if (!OneDnn.Enabled) Assert.True(batchSizes.Count > 0 && batchSizes.Max() <= 7, $"{name}: the network saw batches of {string.Join(", ", batchSizes.Distinct())}");
            Assert.Equal(whole.shape, split.shape);
            Assert.True(split.allclose(whole, rtol: 1e-5, atol: 1e-6), $"{name}: largest difference {(split - whole).abs().max().ToDouble():G3}");
        }
    }

    [Fact]
    public void Bim_uses_the_iteration_count_of_the_paper()
    {
        // min(ε·255 + 4, 1.25·ε·255) for ε = 8/255 is min(12, 10) = 10.
        Assert.Equal(10, Bim.DefaultSteps(8.0 / 255));
        Assert.Equal(1.0 / 255, new Bim(0.1).StepSize, 15);
    }
}
