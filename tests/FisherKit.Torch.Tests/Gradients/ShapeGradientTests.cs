using FisherKit.Torch.Tests.Support;

namespace FisherKit.Torch.Tests.Gradients;

/// <summary>Views, joins, splits, gathers and scatters: autograd vs finite differences.</summary>
public class ShapeGradientTests
{
    private static readonly Dictionary<string, (Func<Data, Tensor[]> inputs, Func<Tensor[], Tensor> f)> Ops = new()
    {
        ["reshape"] = (d => [d.N(2, 6)], x => x[0].reshape(3, -1) * x[0].reshape(3, 4)),
        ["view"] = (d => [d.N(2, 6)], x => x[0].view(4, 3).exp()),
        ["permute"] = (d => [d.N(2, 3, 4)], x => x[0].permute(2, 0, 1).contiguous().sin()),
        ["transpose and t"] = (d => [d.N(3, 4)], x => x[0].transpose(0, 1) * x[0].t()),
        ["mT"] = (d => [d.N(2, 3, 4)], x => x[0].mT.sin()),
        ["movedim"] = (d => [d.N(2, 3, 4)], x => x[0].movedim(0, 2).cos()),
        ["squeeze and unsqueeze"] = (d => [d.N(3, 1, 4)], x => x[0].squeeze(1).unsqueeze(0).squeeze().exp()),
        ["flatten"] = (d => [d.N(2, 3, 4)], x => x[0].flatten(1).sin()),
        ["expand"] = (d => [d.N(3, 1)], x => x[0].expand(3, 4).cos()),
        ["expand_as"] = (d => [d.N(1, 4), d.N(3, 4)], x => x[0].expand_as(x[1]) * x[1]),
        ["repeat"] = (d => [d.N(2, 3)], x => x[0].repeat(2, 3).sin()),
        ["repeat_interleave"] = (d => [d.N(2, 3)], x => x[0].repeat_interleave(2, 1).sin()),
        ["flip"] = (d => [d.N(3, 4)], x => x[0].flip(0, 1).sin() * x[0]),
        ["roll"] = (d => [d.N(3, 4)], x => x[0].roll([1, -2], [0, 1]) * x[0]),
        ["narrow"] = (d => [d.N(5, 4)], x => x[0].narrow(0, 1, 3).exp()),
        ["slice with step"] = (d => [d.N(7, 4)], x => x[0].slice(0, 1, 6, 2).exp()),
        ["select"] = (d => [d.N(3, 4)], x => x[0].select(1, 2).exp()),
        ["indexing x[.., 1..3]"] = (d => [d.N(3, 5)], x => x[0][.., 1..3].exp()),
        ["indexing x[^1, TensorIndex.None]"] = (d => [d.N(3, 5)], x => x[0][^1, TensorIndex.None].sin()),
        ["indexing with an int64 tensor"] = (d => [d.N(5, 3)], x => x[0][tensor(new long[] { 4, 0, 4, 2 })].sin()),
        ["indexing with a bool mask"] = (d => [d.N(4, 3)], x => x[0][x[0].detach() > 0].exp()),
        ["index assignment x[mask] = v"] = (d => [d.N(3, 4), d.N(1)], x => { var y = x[0].clone(); y[y.detach() > 0] = x[1]; return y.exp(); }),
        ["index_select"] = (d => [d.N(5, 3)], x => x[0].index_select(0, tensor(new long[] { 3, 1, 3 })).sin()),
        ["gather"] = (d => [d.N(3, 4)], x => x[0].gather(1, tensor(new long[] { 0, 3, 3, 1, 2, 2 }, [3, 2])).exp()),
        ["scatter (self and src)"] = (d => [d.N(3, 4), d.N(3, 2)], x => x[0].scatter(1, tensor(new long[] { 0, 3, 1, 2, 2, 0 }, [3, 2]), x[1]).exp()),
        ["scatter of a scalar"] = (d => [d.N(3, 4)], x => x[0].scatter(1, tensor(new long[] { 0, 3, 1 }, [3, 1]), 0.5).exp()),
        ["scatter_add"] = (d => [d.N(3, 4), d.N(3, 3)], x => x[0].scatter_add(1, tensor(new long[] { 0, 0, 1, 2, 2, 2, 3, 1, 3 }, [3, 3]), x[1]).exp()),
        ["index_add"] = (d => [d.N(4, 3), d.N(3, 3)], x => x[0].index_add(0, tensor(new long[] { 2, 0, 2 }), x[1]).exp()),
        ["masked_select"] = (d => [d.N(3, 4)], x => x[0].masked_select(x[0].detach() < 0.5).exp()),
        ["cat"] = (d => [d.N(2, 3), d.N(4, 3)], x => cat([x[0], x[1].sin()], 0).exp()),
        ["cat along dim 1"] = (d => [d.N(2, 3), d.N(2, 1)], x => cat([x[0], x[1]], 1).sin()),
        ["stack"] = (d => [d.N(2, 3), d.N(2, 3)], x => stack([x[0], x[1]], 1).sin() * 2),
        ["split and chunk"] = (d => [d.N(6, 2)], x => x[0].split(4)[1].exp() + x[0].chunk(3)[2].sin()),
        ["split with sizes"] = (d => [d.N(6, 2)], x => x[0].split([1, 5])[1].exp()),
        ["unbind"] = (d => [d.N(3, 2)], x => x[0].unbind(0)[2].exp() * x[0].unbind(0)[0]),
        ["tril and triu"] = (d => [d.N(4, 4)], x => x[0].tril(-1).exp() + x[0].triu(1).sin()),
        ["diag (matrix to vector)"] = (d => [d.N(4, 4)], x => x[0].diag().exp()),
        ["diag (vector to matrix)"] = (d => [d.N(3)], x => x[0].diag(1).sin()),
        ["diagonal"] = (d => [d.N(2, 3, 3)], x => x[0].diagonal(0, 1, 2).exp()),
        ["diag_embed"] = (d => [d.N(2, 3)], x => x[0].diag_embed().cos()),
        ["pad constant"] = (d => [d.N(1, 2, 3)], x => x[0].pad([1, 2], value: 0.5).sin()),
        ["pad reflect"] = (d => [d.N(1, 2, 5)], x => x[0].pad([2, 1], PaddingModes.Reflect).sin()),
        ["pad replicate 2-D"] = (d => [d.N(1, 1, 3, 3)], x => x[0].pad([1, 1, 2, 0], PaddingModes.Replicate).sin()),
        ["pad circular"] = (d => [d.N(1, 2, 4)], x => x[0].pad([1, 2], PaddingModes.Circular).sin()),
        ["clone and contiguous"] = (d => [d.N(3, 4)], x => x[0].t().contiguous().clone().exp()),
        ["to(float32) and back"] = (d => [d.N(3, 4)], x => x[0].to(float32).to(float64).sin()),
        ["alias"] = (d => [d.N(3, 4)], x => x[0].alias().exp()),
    };

    public static TheoryData<string> Cases => [.. Ops.Keys];

    [Theory, MemberData(nameof(Cases))]
    public void Shape_and_indexing_gradient_matches_finite_differences(string op)
    {
        using var scope = NewDisposeScope();
        using var d = new Data(31);
        var (inputs, f) = Ops[op];
        // The float32 round trip rounds to ~1e-7 relative, so it needs a larger step and tolerance.
        bool lossy = op.StartsWith("to(", StringComparison.Ordinal);
        GradCheck.Check(f, inputs(d), atol: lossy ? 1e-3 : 1e-6, rtol: lossy ? 1e-3 : 1e-5, h: lossy ? 1e-2 : 1e-6);
    }
}
