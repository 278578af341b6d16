using FisherKit.Fisher;
using FisherKit.Fisher.PerSample;

namespace FisherKit.Tests.Fisher;

public class PerSampleGradientsTests
{
    private static nn.Module<Tensor, Tensor> Net(string kind)
    {
        manual_seed(41);
        nn.Module<Tensor, Tensor> m = kind switch
        {
            "mlp" => nn.Sequential(nn.Linear(4, 6), nn.ReLU(), nn.Linear(6, 3)),
            "cnn" => TinyNets.Cnn(41),
            "strided" => nn.Sequential(nn.Conv2d(2, 3, 3, stride: 2, padding: 1, dilation: 2), nn.Tanh(), nn.Flatten(), nn.Linear(3 * 3 * 3, 3)),
            "conv1d" => nn.Sequential(nn.Conv1d(2, 3, 3, stride: 2, padding: 1), nn.Tanh(), nn.Flatten(), nn.Linear(3 * 4, 3)),
            "sequence" => nn.Sequential(nn.Linear(5, 4), nn.Tanh(), nn.Flatten(), nn.Linear(3 * 4, 3)),   // Linear over (N, 3, 5)
            _ => throw new ArgumentException(kind),
        };
        m.to(float64);
        return m;
    }

    private static Tensor Inputs(string kind) => kind switch
    {
        "mlp" => TinyNets.Inputs(42, 5, 4),
        "cnn" => TinyNets.Inputs(42, 4, 1, 6, 6),
        "conv1d" => TinyNets.Inputs(42, 4, 2, 7),
        "strided" => TinyNets.Inputs(42, 4, 2, 8, 7),
        _ => TinyNets.Inputs(42, 4, 3, 5),
    };

    [Theory]
    [InlineData("mlp")]
    [InlineData("cnn")]
    [InlineData("conv1d")]
    [InlineData("strided")]
    [InlineData("sequence")]
    public void Per_sample_gradients_equal_a_loop_over_single_inputs(string kind)
    {
        using var model = Net(kind);
        model.eval();
        using var x = Inputs(kind);
        manual_seed(43);
        using var y = randint(0, 3, [x.shape[0]]);
        Tensor Objective(Tensor z) => -nn.functional.cross_entropy(z, y, reduction: nn.Reduction.None);
        using var batched = PerSampleGradients.OfObjective(model, x, Objective);
        var ps = model.named_parameters().ToList();
        for (long i = 0; i < x.shape[0]; i++)
        {
            using var scope = NewDisposeScope();
            var z = model.call(x.narrow(0, i, 1));
            var l = -nn.functional.cross_entropy(z, y.narrow(0, i, 1));
            var gs = SafeAutograd.grad([l], ps.Select(p => (Tensor)p.parameter).ToList());
            for (int k = 0; k < ps.Count; k++)
                Assert.True(batched[ps[k].name][i].allclose(gs[k]!, rtol: 1e-10, atol: 1e-13), $"{kind}: gradient of {ps[k].name} for input {i} differs");
        }
        using var norms = PerSampleGradients.SquaredNorms(model, x, Objective);
        for (long i = 0; i < x.shape[0]; i++)
        {
            double expected = batched.Entries.Sum(e => { using var s = e.value[i].square().sum(); return s.ToDouble(); });
            Assert.Equal(expected, norms[i].ToDouble(), 10);
        }
    }

    [Fact]
    public void Fast_rules_cover_linear_conv_and_batchnorm_and_the_rest_falls_back()
    {
        using var model = TinyNets.Cnn(44);
        using var x = TinyNets.Inputs(44, 2, 1, 6, 6);
        using var r = PerSampleGradients.OutputGram(model, x);
        Assert.Equal(["5.gain"], r.FallbackParameters);
    }

}

[Collection(LeakChecks.Name)]
public class PerSampleGradientsLeakTests
{
    [Fact]
    public void Per_sample_passes_restore_the_mode_and_release_every_tensor() => Check();

    internal static void Check()
    {
        using var model = nn.Sequential(nn.Linear(4, 6), nn.ReLU(), nn.Linear(6, 3));
        model.train();
        using var x = randn(5, 4);
        var before = LeakChecks.SettledCount();
        using (var r = PerSampleGradients.OutputGram(model, x)) { }
        Assert.True(model.training);
        Assert.Equal(before, Tensor.TotalCount);
    }
}
