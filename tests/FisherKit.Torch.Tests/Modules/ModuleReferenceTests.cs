using FisherKit.Torch.Tests.Support;
using FisherKit.Torch.Modules;

namespace FisherKit.Torch.Tests.Modules;

/// <summary>Module outputs (and updated buffers) for fixed weights, against PyTorch's.</summary>
public class ModuleReferenceTests
{
    private static readonly Dictionary<string, Func<nn.Module<Tensor, Tensor>>> Factories = new()
    {
        ["Linear"] = () => nn.Linear(4, 3),
        ["Linear without bias"] = () => nn.Linear(4, 3, hasBias: false),
        ["Conv1d"] = () => nn.Conv1d(2, 3, 3, stride: 2, padding: 1),
        ["Conv2d"] = () => nn.Conv2d(2, 3, 3, padding: 1),
        ["Conv2d dilation and groups"] = () => nn.Conv2d(4, 6, 2, dilation: 2, groups: 2),
        ["ConvTranspose2d"] = () => nn.ConvTranspose2d(2, 3, 3, stride: 2, padding: 1, output_padding: 1),
        ["BatchNorm1d training"] = () => nn.BatchNorm1d(3),
        ["BatchNorm1d eval"] = () => nn.BatchNorm1d(3),
        ["BatchNorm2d training"] = () => nn.BatchNorm2d(2, momentum: 0.3, eps: 1e-3),
        ["BatchNorm2d eval"] = () => nn.BatchNorm2d(2, momentum: 0.3, eps: 1e-3),
        ["LayerNorm"] = () => nn.LayerNorm([3, 4]),
        ["GroupNorm"] = () => nn.GroupNorm(2, 4),
        ["MaxPool2d"] = () => nn.MaxPool2d(2),
        ["MaxPool2d stride and padding"] = () => nn.MaxPool2d(3, 2, 1),
        ["AvgPool2d"] = () => nn.AvgPool2d(3, 2, 1),
        ["AdaptiveAvgPool2d"] = () => nn.AdaptiveAvgPool2d(2, 4),
        ["MaxPool1d"] = () => nn.MaxPool1d(3, 2, 1),
        ["Upsample bilinear"] = () => nn.Upsample(2, InterpolationMode.Bilinear),
        ["Upsample nearest"] = () => nn.Upsample(2),
        ["ReLU"] = () => nn.ReLU(),
        ["LeakyReLU"] = () => nn.LeakyReLU(0.2),
        ["ELU"] = () => nn.ELU(1.3),
        ["GELU"] = () => nn.GELU(),
        ["GELU tanh"] = () => nn.GELU(tanh_approximation: true),
        ["SiLU"] = () => nn.SiLU(),
        ["Tanh"] = () => nn.Tanh(),
        ["Sigmoid"] = () => nn.Sigmoid(),
        ["Softplus"] = () => nn.Softplus(2, 3),
        ["Softmax"] = () => nn.Softmax(1),
        ["LogSoftmax"] = () => nn.LogSoftmax(1),
        ["Flatten"] = () => nn.Flatten(),
        ["Identity"] = () => nn.Identity(),
        ["Sequential MLP"] = () => nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 8), nn.GELU(), nn.LayerNorm([8]), nn.Linear(8, 2)),
    };

    public static TheoryData<string> Cases => Reference.Names("modules");

    [Theory, MemberData(nameof(Cases))]
    public void Module_output_for_fixed_weights_matches_PyTorch(string name)
    {
        Assert.True(Factories.ContainsKey(name), $"no C# module for the reference case \"{name}\"");
        var c = Reference.Section("modules").GetProperty(name);
        using var scope = NewDisposeScope();
        using var module = Factories[name]();
        module.load_state_dict(Reference.Dict(c.GetProperty("state")));
        module.train(c.GetProperty("training").GetBoolean());
        var y = module.forward(Reference.T(c.GetProperty("input")));
        AssertClose.Tensors(Reference.T(c.GetProperty("output")), y, 2e-6, 2e-5, $"{name} output");
        if (c.TryGetProperty("state_after", out var after))
        {
            var own = module.state_dict();
            foreach (var (key, expected) in Reference.Dict(after))
                AssertClose.Tensors(expected, own[key], 1e-6, 1e-5, $"{name} {key} after the forward pass");
        }
    }

    [Fact]
    public void Every_reference_module_case_has_a_factory()
    {
        var names = Reference.Section("modules").EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Empty(names.Except(Factories.Keys));
    }

    [Fact]
    public void Linear_output_is_x_times_W_transposed_plus_b()
    {
        // An independent closed form: y_ij = Σ_k x_ik W_jk + b_j, computed in plain C#.
        using var scope = NewDisposeScope();
        using var lin = nn.Linear(3, 2, dtype: float64);
        double[] w = [0.5, -1, 2, 0.25, 0, -0.75], b = [0.1, -0.2], x = [1, 2, 3, -1, 0.5, 4];
        lin.load_state_dict(new Dictionary<string, Tensor> { ["weight"] = tensor(w, [2, 3]), ["bias"] = tensor(b) });
        var y = lin.forward(tensor(x, [2, 3])).ToArray<double>();
        var expected = new double[4];
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 2; j++)
            {
                expected[i * 2 + j] = b[j];
                for (int k = 0; k < 3; k++) expected[i * 2 + j] += x[i * 3 + k] * w[j * 3 + k];
            }
        AssertClose.Arrays(expected, y, 1e-15, 1e-15);
    }

    [Fact]
    public void Conv2d_output_matches_a_direct_sum_over_the_kernel()
    {
        using var scope = NewDisposeScope();
        using var d = new Data(8);
        using var conv = nn.Conv2d(2, 3, 3, stride: 2, padding: 1, dtype: float64);
        var x = d.N(1, 2, 5, 5);
        var y = conv.forward(x);
        var xa = x.ToArray<double>(); var wa = conv.weight.ToArray<double>(); var ba = conv.bias!.ToArray<double>();
        Assert.Equal(new long[] { 1, 3, 3, 3 }, y.shape);
        var expected = new double[27];
        for (int o = 0; o < 3; o++)
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 3; j++)
                {
                    double s = ba[o];
                    for (int c = 0; c < 2; c++)
                        for (int u = 0; u < 3; u++)
                            for (int v = 0; v < 3; v++)
                            {
                                int r = 2 * i - 1 + u, q = 2 * j - 1 + v;
                                if (r < 0 || r >= 5 || q < 0 || q >= 5) continue;
                                s += wa[((o * 2 + c) * 3 + u) * 3 + v] * xa[(c * 5 + r) * 5 + q];
                            }
                    expected[(o * 3 + i) * 3 + j] = s;
                }
        AssertClose.Arrays(expected, y.ToArray<double>(), 1e-13, 1e-13);
    }

    [Fact]
    public void BatchNorm_training_normalises_with_batch_statistics_and_updates_running_ones()
    {
        // Closed form: y = (x − mean)/√(var_biased + eps); running ← (1−m)·running + m·stat with the unbiased variance.
        using var scope = NewDisposeScope();
        using var bn = nn.BatchNorm1d(2, momentum: 0.25, dtype: float64);
        double[] x = [1, 10, 2, 20, 4, 30, 5, 60];
        var y = bn.forward(tensor(x, [4, 2])).ToArray<double>();
        for (int c = 0; c < 2; c++)
        {
            var col = Enumerable.Range(0, 4).Select(i => x[i * 2 + c]).ToArray();
            var mean = col.Average();
            var varB = col.Select(v => (v - mean) * (v - mean)).Sum() / 4;
            var varU = varB * 4 / 3;
            for (int i = 0; i < 4; i++) Assert.Equal((col[i] - mean) / Math.Sqrt(varB + 1e-5), y[i * 2 + c], 12);
            Assert.Equal(0.25 * mean, bn.running_mean!.ToArray<double>()[c], 12);
            Assert.Equal(0.75 + 0.25 * varU, bn.running_var!.ToArray<double>()[c], 12);
        }
        Assert.Equal(1L, bn.state_dict()["num_batches_tracked"].item<long>());
    }

    [Fact]
    public void Sequential_keeps_PyTorch_parameter_names()
    {
        using var model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1));
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias"], model.named_parameters().Select(p => p.name));
        Assert.Equal(2 * 3 + 3 + 3 + 1, model.NumberOfParameters);
    }

    [Fact]
    public void WithParameters_evaluates_with_substituted_tensors_and_restores_the_own_ones()
    {
        using var scope = NewDisposeScope();
        using var model = nn.Sequential(nn.Linear(2, 2, dtype: float64), nn.Tanh(), nn.Linear(2, 1, dtype: float64));
        var x = tensor(new[] { 0.3, -0.4 }, [1, 2]);
        var before = model.forward(x).item();
        var substitute = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach() * 2);
        double with;
        using (model.WithParameters(substitute)) with = model.forward(x).item();
        var after = model.forward(x).item();
        Assert.Equal(before, after);
        // The substituted evaluation equals a model that owns the doubled weights.
        using var copy = nn.Sequential(nn.Linear(2, 2, dtype: float64), nn.Tanh(), nn.Linear(2, 1, dtype: float64));
        copy.load_state_dict(substitute);
        Assert.Equal(copy.forward(x).item(), with, 14);
        Assert.NotEqual(before, with);
    }

    [Fact]
    public void Module_to_float64_converts_parameters_in_place()
    {
        using var scope = NewDisposeScope();
        using var lin = nn.Linear(3, 2);
        var w = lin.parameters().First();
        var values = w.ToArray<float>();
        lin.to(float64);
        Assert.Same(w, lin.parameters().First());
        Assert.Equal(float64, w.dtype);
        Assert.True(w.requires_grad);
        AssertClose.Arrays(values.Select(v => (double)v).ToArray(), w.ToArray<double>(), 0, 0);
    }

    [Fact]
    public void Eval_mode_reaches_every_child_and_stops_dropout()
    {
        using var scope = NewDisposeScope();
        using var model = nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.9), nn.Sequential(nn.Dropout(0.9)));
        model.eval();
        Assert.All(model.named_modules(), m => Assert.False(m.module.training));
        var x = ones(3, 4);
        AssertClose.Tensors(model.forward(x), model.forward(x), 0, 0);
    }

    [Fact]
    public void Forward_hooks_see_and_may_replace_input_and_output()
    {
        using var scope = NewDisposeScope();
        using var relu = nn.ReLU();
        var x = tensor(new[] { -1.0, 2.0 });
        using (relu.register_forward_pre_hook((_, input) => input * -1))
        using (relu.register_forward_hook((_, _, output) => output + 10))
            AssertClose.Arrays([11.0, 10.0], relu.forward(x).ToArray<double>(), 0, 0);
        AssertClose.Arrays([0.0, 2.0], relu.forward(x).ToArray<double>(), 0, 0);
    }
}
