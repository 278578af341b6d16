using FisherKit.Fisher.PerSample;

namespace FisherKit.Tests.Fisher;

/// <summary>
/// GradientJvp pushes output changes through a chain of familiar layers by hand, and through any
/// other network by a double-backward pass. On the same chain both must agree (the double-backward
/// path is checked against dense brute force elsewhere), in total and per parameter tensor, for
/// every layer the chain knows: convolutions (strided, dilated, 1-D), max pooling with overlapping
/// windows and ties, batch normalisation in eval mode, ReLU, tanh, sigmoid, flatten, dropout,
/// nested Sequentials.
/// </summary>
public class SequentialTangentsTests
{
    /// <summary>The same network behind a module the chain does not know: forces the double-backward path.</summary>
    private sealed class Opaque : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> _inner;

        public Opaque(nn.Module<Tensor, Tensor> inner) : base(nameof(Opaque))
        {
            _inner = inner;
            register_module("inner", inner);
        }

        public override Tensor forward(Tensor input) => _inner.call(input);
    }

    private static (nn.Module<Tensor, Tensor> net, Tensor x) Case(string kind)
    {
        manual_seed(61);
        var (net, shape) = kind switch
        {
            "conv-pool" => ((nn.Module<Tensor, Tensor>)nn.Sequential(nn.Conv2d(2, 4, 3, padding: 1), nn.ReLU(), nn.MaxPool2d(2),
                               nn.Conv2d(4, 3, 3, stride: 2, padding: 1, dilation: 2), nn.Sigmoid(), nn.Flatten(), nn.Dropout(0.3), nn.Linear(3 * 2 * 2, 3)), new long[] { 5, 2, 10, 10 }),
            "batchnorm" => (nn.Sequential(nn.Conv2d(1, 3, 3), nn.BatchNorm2d(3), nn.Tanh(), nn.MaxPool2d(3, stride: 1, padding: 1),
                               nn.Flatten(), nn.Linear(3 * 5 * 5, 6), nn.ReLU(), nn.Linear(6, 4)), new long[] { 4, 1, 7, 7 }),
            "nested" => (nn.Sequential(nn.Sequential(nn.Linear(5, 7), nn.ReLU()), nn.Identity(), nn.Linear(7, 3)), new long[] { 6, 5 }),
            _ => (nn.Sequential(nn.Conv1d(2, 3, 3, stride: 2, padding: 1), nn.ReLU(), nn.Flatten(), nn.Linear(3 * 5, 3)), new long[] { 4, 2, 9 }),
        };
        net.to(float64);
        if (kind == "batchnorm")
        {
            // Running statistics away from 0 and 1, and a few training-mode steps' worth of γ, β.
            using var no = no_grad();
            foreach (var (name, b) in net.named_buffers())
                if (name.EndsWith("running_mean")) b.copy_(randn(b.shape, float64) * 0.3);
                else if (name.EndsWith("running_var")) b.copy_(rand(b.shape, float64) + 0.5);
        }
        var x = randn(shape, float64);
        if (kind == "conv-pool") x.narrow(2, 0, 4).zero_();                  // a flat region: ties in the max pooling
        return (net, x);
    }

    private static Tensor Cotangent(Tensor z)
    {
        var p = nn.functional.softmax(z, 1);
        return nn.functional.one_hot(p.argmax(1), z.shape[1]).to(p.dtype) - p;
    }

    [Theory]
    [InlineData("conv-pool")]
    [InlineData("batchnorm")]
    [InlineData("nested")]
    [InlineData("conv1d")]
    public void The_chain_path_equals_the_double_backward_path(string kind)
    {
        using var scope = NewDisposeScope();
        var (net, x) = Case(kind);
        using var opaque = new Opaque(net);
        net.eval();
        Assert.NotNull(SequentialTangents.For(net));                      // the paths under comparison are really different
        Assert.Null(SequentialTangents.For(opaque));
        foreach (var perTensor in new[] { false, true })
        {
            using var chain = PerSampleGradients.GradientJvp(net, x, Cotangent, perTensor);
            using var generic = PerSampleGradients.GradientJvp(opaque, x, Cotangent, perTensor);
            Assert.True(chain.Output.allclose(generic.Output, rtol: 0, atol: 0));
            var scale = generic.Total.abs().max().ToDouble();
            Assert.True(chain.Total.allclose(generic.Total, rtol: 1e-10, atol: 1e-12 * scale), $"{kind}: J·g differs by {(chain.Total - generic.Total).abs().max().ToDouble():E2}");
            Assert.Equal(generic.Entries.Count, chain.Entries.Count);
            for (int i = 0; i < chain.Entries.Count; i++)
            {
                var (name, jvp, norm) = chain.Entries[i];
                var (otherName, otherJvp, otherNorm) = generic.Entries[i];
                Assert.Equal("inner." + name, otherName);
                Assert.True(norm.allclose(otherNorm, rtol: 1e-10, atol: 0), $"{kind} {name}: squared norms differ");
                if (perTensor) Assert.True(jvp!.allclose(otherJvp!, rtol: 1e-10, atol: 1e-12 * scale), $"{kind} {name}: J_t·g_t differs");
            }
        }
    }
}
