using FisherKit.Torch.Tests.Support;

namespace FisherKit.Torch.Tests.Gradients;

/// <summary>Reductions over all elements and over dims (with keepdim): autograd vs finite differences.</summary>
public class ReductionGradientTests
{
    private static readonly Dictionary<string, (Func<Data, Tensor> input, Func<Tensor, Tensor> f)> Ops = new()
    {
        ["sum"] = (d => d.N(3, 4), x => x.sum()),
        ["sum over dims 0 and 2 keepdim"] = (d => d.N(2, 3, 4), x => x.sum([0, 2], keepdim: true)),
        ["sum over dim -1"] = (d => d.N(2, 3, 4), x => x.sum(-1)),
        ["mean"] = (d => d.N(3, 4), x => x.mean()),
        ["mean over dim 1 keepdim"] = (d => d.N(2, 3, 4), x => x.mean(1, keepdim: true)),
        ["prod"] = (d => d.U(0.5, 1.5, 2, 3), x => x.prod()),
        ["prod over dim 1"] = (d => d.U(0.5, 1.5, 2, 3), x => x.prod(1)),
        ["max"] = (d => d.N(3, 4), x => x.max()),
        ["min"] = (d => d.N(3, 4), x => x.min()),
        ["max over dim (values)"] = (d => d.N(3, 4), x => x.max(1).values),
        ["min over dim keepdim (values)"] = (d => d.N(3, 4), x => x.min(0, keepdim: true).values),
        ["amax over dims"] = (d => d.N(2, 3, 4), x => x.amax([0, 2])),
        ["amin over dims keepdim"] = (d => d.N(2, 3, 4), x => x.amin([1], keepdim: true)),
        ["var (unbiased)"] = (d => d.N(3, 4), x => x.var()),
        ["var over dim (population)"] = (d => d.N(3, 4), x => x.var(1, unbiased: false)),
        ["std"] = (d => d.N(3, 4), x => x.std()),
        ["std over dims keepdim"] = (d => d.N(2, 3, 4), x => x.std([0, 2], keepdim: true)),
        ["norm 2"] = (d => d.N(3, 4), x => x.norm()),
        ["norm 1 over dim"] = (d => d.AwayFromZero(0.2, 2, 3, 4), x => x.norm(1, p: 1)),
        ["norm 3 over dim keepdim"] = (d => d.AwayFromZero(0.2, 2, 3, 4), x => x.norm(0, keepdim: true, p: 3)),
        ["vector_norm"] = (d => d.N(5), x => linalg.vector_norm(x)),
        ["logsumexp over dim"] = (d => d.N(3, 4), x => x.logsumexp(1)),
        ["logsumexp over dims keepdim"] = (d => d.N(2, 3, 4), x => x.logsumexp([0, 1], keepdim: true)),
        ["cumsum"] = (d => d.N(3, 4), x => x.cumsum(1)),
        ["cumprod"] = (d => d.U(0.5, 1.5, 3, 4), x => x.cumprod(0)),
        ["median"] = (d => d.N(7), x => x.median()),
        ["quantile"] = (d => d.N(9), x => x.quantile(tensor(new[] { 0.1, 0.5, 0.8 }))),
        ["quantile over dim"] = (d => d.N(3, 6), x => x.quantile(tensor(new[] { 0.25, 0.75 }), 1)),
        ["sort (values)"] = (d => d.N(3, 5), x => x.sort(1, descending: true).values),
        ["topk (values)"] = (d => d.N(3, 5), x => x.topk(2).values),
        ["trace"] = (d => d.N(4, 4), x => x.trace()),
    };

    public static TheoryData<string> Cases => [.. Ops.Keys];

    [Theory, MemberData(nameof(Cases))]
    public void Reduction_gradient_matches_finite_differences(string op)
    {
        using var scope = NewDisposeScope();
        using var d = new Data(21);
        var (input, f) = Ops[op];
        GradCheck.Check(xs => f(xs[0]), [input(d)]);
    }
}
