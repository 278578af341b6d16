using TorchSharp.Modules;

namespace FisherKit.Tests.TorchSharpAdditions;

/// <summary>ModuleMode: sets train/eval modes for a computation and restores each module's own mode.</summary>
public class ModuleModeTests
{
    private static Sequential Model() => nn.Sequential(
        ("fc", nn.Linear(4, 4)), ("drop", nn.Dropout(0.5)),
        ("block", nn.Sequential(("bn", nn.BatchNorm1d(4)), ("drop", nn.Dropout(0.5)), ("fc", nn.Linear(4, 2)))));

    private static Dictionary<string, bool> Modes(nn.Module m) => m.NamedModulesWithSelf().ToDictionary(x => x.name, x => x.module.training);

    /// <summary>A model partly in training mode on purpose: the root trains, dropout and the inner block's norm do not.</summary>
    private static Sequential Mixed()
    {
        var m = Model();
        m.train();
        foreach (var (name, module) in m.NamedModulesWithSelf())
            if (name is "drop" or "block.bn") module.eval();
        return m;
    }

    [Fact]
    public void Eval_turns_every_module_to_evaluation_and_restores_mixed_modes()
    {
        using var scope = NewDisposeScope();
        var m = Mixed();
        var before = Modes(m);
        Assert.Contains(true, before.Values);
        Assert.Contains(false, before.Values);
        using (ModuleMode.Eval(m))
            Assert.All(Modes(m).Values, Assert.False);
        Assert.Equal(before, Modes(m));
    }

    [Fact]
    public void Train_turns_every_module_to_training_and_restores_mixed_modes()
    {
        using var scope = NewDisposeScope();
        var m = Mixed();
        var before = Modes(m);
        using (ModuleMode.Train(m))
            Assert.All(Modes(m).Values, Assert.True);
        Assert.Equal(before, Modes(m));
    }

    [Fact]
    public void MonteCarloDropout_keeps_only_dropout_sampling()
    {
        using var scope = NewDisposeScope();
        var m = Mixed();
        var before = Modes(m);
        var x = randn(16, 4);
        using (ModuleMode.MonteCarloDropout(m))
        {
            var modes = Modes(m);
            Assert.True(modes["drop"] && modes["block.drop"]);
            Assert.False(modes[""] || modes["fc"] || modes["block"] || modes["block.bn"] || modes["block.fc"]);
            Assert.False(m.call(x).ToArray<float>().SequenceEqual(m.call(x).ToArray<float>()));   // masks are sampled
        }
        using (ModuleMode.Eval(m))
            Assert.True(m.call(x).ToArray<float>().SequenceEqual(m.call(x).ToArray<float>()));
        Assert.Equal(before, Modes(m));
    }

    [Fact]
    public void Set_takes_a_per_module_rule_and_restores_even_when_the_computation_throws()
    {
        using var scope = NewDisposeScope();
        var m = Mixed();
        var before = Modes(m);
        Assert.Throws<InvalidOperationException>((Action)(() =>
        {
            using (ModuleMode.Set(m, module => module is BatchNorm1d))
            {
                var modes = Modes(m);
                Assert.True(modes["block.bn"]);
                Assert.Single(modes, kv => kv.Value);
                throw new InvalidOperationException("the computation failed");
            }
        }));
        Assert.Equal(before, Modes(m));
    }

    [Fact]
    public void A_module_shared_by_two_parents_gets_its_own_mode_although_the_later_parent_resets_it()
    {
        // TorchSharp's train(bool) sets every descendant: setting "b" after "a.shared" resets the shared layer.
        using var scope = NewDisposeScope();
        var shared = nn.Linear(2, 2);
        var model = nn.Sequential(("a", nn.Sequential(("shared", shared))), ("b", nn.Sequential(("drop", nn.Dropout()), ("shared", shared))));
        model.eval();
        using (ModuleMode.Set(model, m => ReferenceEquals(m, shared)))
        {
            Assert.True(shared.training);
            Assert.All(model.NamedModulesWithSelf().Where(m => m.name != "a.shared"), m => Assert.False(m.module.training));
        }
        Assert.All(model.NamedModulesWithSelf(), m => Assert.False(m.module.training));
        model.train();
        shared.eval();
        using (ModuleMode.Train(model)) Assert.True(shared.training);
        Assert.False(shared.training);
        Assert.True(model.training);
    }

    [Fact]
    public void Restoring_twice_is_harmless_and_a_bare_layer_is_its_own_tree()
    {
        using var scope = NewDisposeScope();
        var layer = nn.Dropout(0.5);
        layer.train();
        var mode = ModuleMode.Eval(layer);
        Assert.False(layer.training);
        mode.Dispose();
        layer.eval();
        mode.Dispose();
        Assert.False(layer.training);
    }
}
