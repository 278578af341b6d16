using FisherKit.Torch.Tests.Support;
using F = FisherKit.Torch.torch.nn.functional;

namespace FisherKit.Torch.Tests.Gradients;

/// <summary>Every loss, with its options (class weights, reductions, ignore_index, smoothing): autograd vs finite differences.</summary>
public class LossGradientTests
{
    private static Tensor Labels(params long[] v) => tensor(v);

    // libtorch does not differentiate with respect to loss weights, so they are constants here.
    private static Tensor RowWeights() => tensor(new[] { 0.5, 2.0, 1.5 }, [3, 1]);

    private static readonly Dictionary<string, (Func<Data, Tensor[]> inputs, Func<Tensor[], Tensor> f)> Ops = new()
    {
        ["cross_entropy"] = (d => [d.N(5, 4)], x => F.cross_entropy(x[0], Labels(0, 3, 1, 1, 2))),
        ["cross_entropy with class weights"] = (d => [d.N(5, 4)], x => F.cross_entropy(x[0], Labels(0, 3, 1, 1, 2), tensor(new[] { 0.3, 2.5, 1, 0.7 }))),
        ["cross_entropy with class weights, sum"] = (d => [d.N(5, 4)], x => F.cross_entropy(x[0], Labels(0, 3, 1, 1, 2), tensor(new[] { 0.5, 2, 1, 4 }), reduction: Reduction.Sum)),
        ["cross_entropy with class weights, none"] = (d => [d.N(5, 4)], x => F.cross_entropy(x[0], Labels(0, 3, 1, 1, 2), tensor(new[] { 0.5, 2, 1, 4 }), reduction: Reduction.None)),
        ["cross_entropy ignore_index"] = (d => [d.N(5, 4)], x => F.cross_entropy(x[0], Labels(0, -100, 1, 3, -100))),
        ["cross_entropy label smoothing with weights"] = (d => [d.N(5, 4)], x => F.cross_entropy(x[0], Labels(0, 3, 1, 1, 2), tensor(new[] { 0.5, 2, 1, 4 }), label_smoothing: 0.2)),
        ["cross_entropy on (N, C, L)"] = (d => [d.N(2, 3, 4)], x => F.cross_entropy(x[0], tensor(new long[] { 0, 1, 2, 2, 1, 0, 0, 2 }, [2, 4]))),
        ["cross_entropy with probability targets"] = (d => [d.N(3, 4), d.N(3, 4)], x => F.cross_entropy(x[0], F.softmax(x[1], 1))),
        ["nll_loss"] = (d => [d.N(5, 4)], x => F.nll_loss(F.log_softmax(x[0], 1), Labels(0, 3, 1, 1, 2))),
        ["nll_loss with weights and ignore_index"] = (d => [d.N(5, 4)], x => F.nll_loss(F.log_softmax(x[0], 1), Labels(0, 3, 1, 1, 2), tensor(new[] { 0.5, 2, 1, 4 }), ignore_index: 1)),
        ["mse_loss"] = (d => [d.N(3, 4), d.N(3, 4)], x => F.mse_loss(x[0], x[1])),
        ["mse_loss sum"] = (d => [d.N(3, 4), d.N(3, 4)], x => F.mse_loss(x[0], x[1], Reduction.Sum)),
        ["mse_loss none"] = (d => [d.N(3, 4), d.N(3, 4)], x => F.mse_loss(x[0], x[1], Reduction.None)),
        ["l1_loss"] = (d => [d.N(3, 4), d.N(3, 4)], x => F.l1_loss(x[0], x[1])),
        ["smooth_l1_loss"] = (d => [d.N(3, 4), d.N(3, 4)], x => F.smooth_l1_loss(x[0], x[1], beta: 0.7)),
        ["huber_loss"] = (d => [d.N(3, 4), d.N(3, 4)], x => F.huber_loss(x[0], x[1], delta: 0.8)),
        ["binary_cross_entropy_with_logits"] = (d => [d.N(3, 4), d.U(0, 1, 3, 4)], x => F.binary_cross_entropy_with_logits(x[0], x[1])),
        ["binary_cross_entropy_with_logits with weight and pos_weight"] = (d => [d.N(3, 4), d.U(0, 1, 3, 4)],
            x => F.binary_cross_entropy_with_logits(x[0], x[1], RowWeights(), tensor(new[] { 0.7, 1.5, 2.0, 3.0 }), Reduction.Sum)),
        ["binary_cross_entropy"] = (d => [d.U(0.1, 0.9, 3, 4), d.U(0, 1, 3, 4)], x => F.binary_cross_entropy(x[0], x[1])),
        ["binary_cross_entropy with weight"] = (d => [d.U(0.1, 0.9, 3, 4), d.U(0, 1, 3, 4)], x => F.binary_cross_entropy(x[0], x[1], RowWeights(), Reduction.None)),
        ["kl_div"] = (d => [d.N(3, 4), d.N(3, 4)], x => F.kl_div(F.log_softmax(x[0], 1), F.softmax(x[1], 1), Reduction.Sum)),
        ["kl_div with log_target"] = (d => [d.N(3, 4), d.N(3, 4)], x => F.kl_div(F.log_softmax(x[0], 1), F.log_softmax(x[1], 1), log_target: true)),
        ["gaussian_nll_loss"] = (d => [d.N(3, 4), d.N(3, 4), d.U(0.2, 2, 3, 4)], x => F.gaussian_nll_loss(x[0], x[1], x[2])),
        ["gaussian_nll_loss full, sum"] = (d => [d.N(3, 4), d.N(3, 4), d.U(0.2, 2, 3, 4)], x => F.gaussian_nll_loss(x[0], x[1], x[2], full: true, reduction: Reduction.Sum)),
        ["gaussian_nll_loss none, one variance per row"] = (d => [d.N(3, 4), d.N(3, 4), d.U(0.2, 2, 3, 1)], x => F.gaussian_nll_loss(x[0], x[1], x[2], reduction: Reduction.None)),
    };

    public static TheoryData<string> Cases => [.. Ops.Keys];

    [Theory, MemberData(nameof(Cases))]
    public void Loss_gradient_matches_finite_differences(string op)
    {
        using var scope = NewDisposeScope();
        using var d = new Data(61);
        var (inputs, f) = Ops[op];
        GradCheck.Check(f, inputs(d));
    }
}
