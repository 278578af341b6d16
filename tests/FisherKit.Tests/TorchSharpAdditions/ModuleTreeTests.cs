using TorchSharp.Modules;

namespace FisherKit.Tests.TorchSharpAdditions;

/// <summary>
/// ModuleTree: PyTorch's named_modules() (the root included), dropout detection, and parameter
/// swapping that computes what a model with those weights computes, never touches the original
/// parameters, and leaves graphs recorded during the swap differentiable afterwards.
/// </summary>
public class ModuleTreeTests
{
    /// <summary>A custom module whose parameter lives in a (readonly) field registered by RegisterComponents.</summary>
    private sealed class ScaledLinear : nn.Module<Tensor, Tensor>
    {
        private readonly Parameter scale;
        private readonly Linear inner;

        public ScaledLinear() : base(nameof(ScaledLinear))
        {
            scale = new Parameter(full(3, 2.0, dtype: float64));
            inner = nn.Linear(3, 3, dtype: float64);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x) => inner.call(x) * scale;
    }

    private static Sequential Mlp() => nn.Sequential(
        ("fc1", nn.Linear(4, 5, dtype: float64)), ("act", nn.Tanh()),
        ("block", nn.Sequential(("fc2", nn.Linear(5, 5, dtype: float64)), ("act", nn.ReLU()))),
        ("out", nn.Linear(5, 2, dtype: float64)));

    private static Dictionary<string, Tensor> RandomValues(nn.Module m, int seed)
    {
        using var g = new Generator((ulong)seed);
        return m.named_parameters().ToDictionary(p => p.name, p => randn(p.parameter.shape, dtype: p.parameter.dtype, generator: g));
    }

    private static Sequential TwinWith(IReadOnlyDictionary<string, Tensor> values, Sequential original)
    {
        var twin = Mlp();
        using (no_grad())
            foreach (var (name, p) in twin.named_parameters())
                p.copy_(values.TryGetValue(name, out var v) ? v : original.named_parameters().Single(q => q.name == name).parameter);
        return twin;
    }

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.ToDoubleArray().SequenceEqual(b.ToDoubleArray());

    [Fact]
    public void NamedModulesWithSelf_lists_the_root_then_every_submodule_by_dotted_name_in_pre_order()
    {
        using var scope = NewDisposeScope();
        var model = Mlp();
        var named = model.NamedModulesWithSelf().ToList();
        Assert.Equal(["", "fc1", "act", "block", "block.fc2", "block.act", "out"], named.Select(m => m.name));
        Assert.Same(model, named[0].module);
        Assert.IsType<Linear>(named[4].module);
        var bare = nn.Linear(2, 2);
        Assert.Equal([("", (nn.Module)bare)], bare.NamedModulesWithSelf().ToList());
    }

    [Fact]
    public void A_module_registered_twice_is_listed_once_under_its_first_name_as_in_PyTorch()
    {
        using var scope = NewDisposeScope();
        var shared = nn.Linear(2, 2);
        var model = nn.Sequential(("a", nn.Sequential(("shared", shared))), ("b", nn.Sequential(("drop", nn.Dropout()), ("shared", shared))));
        Assert.Equal(["", "a", "a.shared", "b", "b.drop"], model.NamedModulesWithSelf().Select(m => m.name));
    }

    [Fact]
    public void HasDropout_finds_dropout_layers_of_every_kind_at_any_depth()
    {
        using var scope = NewDisposeScope();
        Assert.False(Mlp().HasDropout());
        Assert.True(nn.Dropout(0.5).HasDropout());
        Assert.True(nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.Conv2d(1, 1, 1), nn.Dropout2d())).HasDropout());
        Assert.True(nn.Sequential(nn.AlphaDropout(0.1)).HasDropout());
        Assert.True(nn.Sequential(nn.Dropout1d()).HasDropout());
        Assert.True(nn.Sequential(nn.FeatureAlphaDropout(0.1)).HasDropout());
    }

    [Fact]
    public void Inside_the_swap_the_model_computes_what_a_model_with_those_weights_computes()
    {
        using var scope = NewDisposeScope();
        var model = Mlp();
        var x = randn(7, 4, dtype: float64);
        var all = RandomValues(model, 1);
        using (model.WithParameterValues(all))
            Assert.True(Same(TwinWith(all, model).call(x), model.call(x)));
        var some = new Dictionary<string, Tensor> { ["block.fc2.weight"] = all["block.fc2.weight"], ["out.bias"] = all["out.bias"] };
        using (model.WithParameterValues(some))
            Assert.True(Same(TwinWith(some, model).call(x), model.call(x)));
    }

    [Fact]
    public void The_original_parameters_are_the_same_objects_with_the_same_values_afterwards()
    {
        using var scope = NewDisposeScope();
        var model = Mlp();
        var x = randn(3, 4, dtype: float64);
        var before = model.call(x);
        var originals = model.named_parameters().ToList();
        var copies = originals.Select(p => p.parameter.detach().clone()).ToList();
        var values = RandomValues(model, 2);
        List<TorchSharp.Modules.Parameter> substitutes;
        using (var swap = model.WithParameterValues(values))
        {
            substitutes = model.parameters().ToList();
            Assert.All(model.named_parameters(), p => Assert.False(p.parameter.requires_grad));
            Assert.All(originals, p => Assert.DoesNotContain(model.parameters(), q => ReferenceEquals(q, p.parameter)));
            swap.Dispose();
            swap.Dispose();                 // twice is harmless
        }
        var after = model.named_parameters().ToList();
        Assert.Equal(originals.Select(p => p.name), after.Select(p => p.name));
        for (int i = 0; i < after.Count; i++)
        {
            Assert.Same(originals[i].parameter, after[i].parameter);
            Assert.True(after[i].parameter.requires_grad);
            Assert.True(Same(copies[i], after[i].parameter), originals[i].name);
        }
        Assert.True(Same(before, model.call(x)));
        Assert.All(values.Values, v => Assert.False(v.IsInvalid));     // the caller's tensors stay the caller's
        Assert.All(substitutes, p => Assert.True(p.IsInvalid));        // the swap's own handles are released
        // and the model still trains: gradients reach the original parameters
        SafeAutograd.backward(model.call(x).square().sum());
        Assert.All(originals, p => Assert.NotNull(p.parameter.grad));
    }

    [Fact]
    public void A_graph_recorded_inside_the_swap_is_differentiable_after_the_swap_is_undone()
    {
        using var scope = NewDisposeScope();
        var model = Mlp();
        var values = RandomValues(model, 3);
        var x = randn([5, 4], dtype: float64, requires_grad: true);
        Tensor y;
        using (model.WithParameterValues(values)) y = model.call(x).square().sum();
        foreach (var v in values.Values) v.Dispose();       // even the caller's handles may go
        var gx = SafeAutograd.grad([y], [x, model.parameters().First()], allow_unused: true);
        Assert.Null(gx[1]);                                  // the substitutes are constants
        var x2 = x.detach().requires_grad_();
        var expected = SafeAutograd.grad(TwinWith(RandomValues(model, 3), model).call(x2).square().sum(), x2);
        Assert.True(allclose(expected, gx[0]!, rtol: 1e-14, atol: 1e-14));
    }

    [Fact]
    public void A_swap_outlives_the_dispose_scope_it_was_made_in()
    {
        using var outer = NewDisposeScope();
        var model = Mlp();
        var x = randn(2, 4, dtype: float64);
        var values = RandomValues(model, 4);
        IDisposable swap;
        using (NewDisposeScope()) swap = model.WithParameterValues(values);
        Assert.True(Same(TwinWith(values, model).call(x), model.call(x)));
        swap.Dispose();
    }

    [Fact]
    public void A_custom_module_with_parameters_in_fields_can_be_swapped()
    {
        using var scope = NewDisposeScope();
        var m = new ScaledLinear();
        Assert.Equal(["inner.bias", "inner.weight", "scale"], m.named_parameters().Select(p => p.name).Order(StringComparer.Ordinal));
        var x = randn(2, 3, dtype: float64);
        var before = m.call(x);
        var scale = tensor(new[] { 1.0, -1.0, 0.5 });
        using (m.WithParameterValues(new Dictionary<string, Tensor> { ["scale"] = scale }))
            Assert.True(allclose(before / 2 * scale, m.call(x), rtol: 1e-14, atol: 1e-14));
        Assert.True(Same(before, m.call(x)));
    }

    [Fact]
    public void Unknown_names_and_substitutes_of_another_shape_or_dtype_throw_and_swap_nothing()
    {
        using var scope = NewDisposeScope();
        var model = Mlp();
        var originals = model.parameters().ToList();
        var good = randn(5, 4, dtype: float64);
        var unknown = Assert.Throws<ArgumentException>(() => model.WithParameterValues(new Dictionary<string, Tensor> { ["fc1.weight"] = good, ["fc9.weight"] = good }));
        Assert.Contains("\"fc9.weight\"", unknown.Message);
        Assert.Contains("block.fc2.weight", unknown.Message);      // the names it does have
        var shape = Assert.Throws<ArgumentException>(() => model.WithParameterValues(new Dictionary<string, Tensor> { ["fc1.weight"] = good, ["out.weight"] = randn(5, 2, dtype: float64) }));
        Assert.Contains("[2, 5]", shape.Message);
        Assert.Contains("[5, 2]", shape.Message);
        var dtype = Assert.Throws<ArgumentException>(() => model.WithParameterValues(new Dictionary<string, Tensor> { ["fc1.weight"] = good.to(float32) }));
        Assert.Contains("Float32", dtype.Message);
        var gone = randn(5, 4, dtype: float64);
        gone.Dispose();
        Assert.Throws<ObjectDisposedException>(() => model.WithParameterValues(new Dictionary<string, Tensor> { ["fc1.weight"] = gone }));
        Assert.Equal(originals, model.parameters().ToList());
    }
}
