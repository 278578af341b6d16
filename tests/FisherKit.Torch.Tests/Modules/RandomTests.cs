using FisherKit.Torch.Tests.Support;

namespace FisherKit.Torch.Tests.Modules;

/// <summary>Random streams: a seeded generator gives PyTorch's numbers (same libtorch, same CPU generator).</summary>
public class RandomTests
{
    [Fact]
    public void A_seeded_generator_reproduces_PyTorch_streams()
    {
        var r = Reference.Section("random");
        using var scope = NewDisposeScope();
        using var g = new Generator(r.GetProperty("generator_seed").GetInt64());
        void Check(string key, Tensor actual) => AssertClose.Tensors(Reference.T(r.GetProperty(key)), actual, 0, 0, key);
        Check("randn(5) float32", randn([5], generator: g));
        Check("rand(4) float32", rand([4], generator: g));
        Check("randint(0, 10, (6,))", randint(0, 10, [6], generator: g));
        Check("randperm(7)", randperm(7, g));
        Check("randn(20) float64", randn([20], float64, generator: g));
        Check("multinomial([0.1,0.2,0.3,0.4], 3)", multinomial(tensor(new[] { 0.1f, 0.2f, 0.3f, 0.4f }), 3, generator: g));
        Check("bernoulli(0.3 x 8)", bernoulli(full([8], 0.3), g));
    }

    [Fact]
    public void Same_seed_gives_the_same_numbers_and_reseeding_restarts_the_stream()
    {
        using var scope = NewDisposeScope();
        using var a = new Generator(5);
        using var b = new Generator(5);
        var x = randn([10], generator: a);
        AssertClose.Tensors(x, randn([10], generator: b), 0, 0);
        Assert.False(x.allclose(randn([10], generator: a)));
        a.manual_seed(5);
        AssertClose.Tensors(x, randn([10], generator: a), 0, 0);
        Assert.Equal(5, a.initial_seed());
    }

    [Fact]
    public void Random_samples_have_the_right_moments_and_ranges()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(1);
        var n = randn([100_000], float64, generator: g);
        Assert.InRange(n.mean().item(), -0.01, 0.01);      // standard error 0.0032
        Assert.InRange(n.std().item(), 0.99, 1.01);
        var u = rand([100_000], float64, generator: g);
        Assert.InRange(u.min().item(), 0, 1e-3);
        Assert.InRange(u.max().item(), 1 - 1e-3, 1 - 1e-12);
        var k = randint(3, 7, [10_000], generator: g);
        Assert.Equal(3, k.min().item<long>());
        Assert.Equal(6, k.max().item<long>());
        var perm = randperm(50, g).sort().values.ToArray<long>();
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), perm);
    }
}

/// <summary>Tests that seed the global generator run alone.</summary>
[Collection(SerialCollection.Name)]
public class GlobalSeedTests
{
    [Fact]
    public void Manual_seed_reproduces_PyTorch_global_stream()
    {
        var r = Reference.Section("random");
        using var scope = NewDisposeScope();
        manual_seed(7);
        AssertClose.Tensors(Reference.T(r.GetProperty("manual_seed(7): randn(3, 4)")), randn(3, 4), 0, 0);
        AssertClose.Tensors(Reference.T(r.GetProperty("manual_seed(7): then rand(17)")), rand(17), 0, 0);
    }

    [Fact]
    public void Default_layer_initialisation_after_manual_seed_matches_PyTorch()
    {
        var r = Reference.Section("init");
        using var scope = NewDisposeScope();
        manual_seed(r.GetProperty("seed").GetInt64());
        using var lin = nn.Linear(5, 3);
        using var conv = nn.Conv2d(2, 4, 3);
        using var convt = nn.ConvTranspose2d(2, 3, 2);
        foreach (var (name, module) in new (string, nn.Module)[] { ("Linear(5, 3)", lin), ("Conv2d(2, 4, 3)", conv), ("ConvTranspose2d(2, 3, 2)", convt) })
        {
            var own = module.state_dict();
            foreach (var (key, expected) in Reference.Dict(r.GetProperty(name)))
                AssertClose.Tensors(expected, own[key], 1e-7, 1e-6, $"{name}.{key}");
        }
    }
}
