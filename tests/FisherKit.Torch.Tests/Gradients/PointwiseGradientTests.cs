using FisherKit.Torch.Tests.Support;

namespace FisherKit.Torch.Tests.Gradients;

/// <summary>Elementwise unary and binary operations: autograd vs float64 central differences.</summary>
public class PointwiseGradientTests
{
    private static readonly Dictionary<string, (Func<Data, Tensor> input, Func<Tensor, Tensor> f)> UnaryOps = new()
    {
        ["neg"] = (d => d.N(3, 4), x => x.neg()),
        ["abs"] = (d => d.AwayFromZero(0.2, 2, 3, 4), x => x.abs()),
        ["exp"] = (d => d.N(3, 4), x => x.exp()),
        ["expm1"] = (d => d.N(3, 4), x => x.expm1()),
        ["log"] = (d => d.U(0.3, 3, 3, 4), x => x.log()),
        ["log1p"] = (d => d.U(-0.5, 3, 3, 4), x => x.log1p()),
        ["log2"] = (d => d.U(0.3, 3, 3, 4), x => x.log2()),
        ["log10"] = (d => d.U(0.3, 3, 3, 4), x => x.log10()),
        ["sqrt"] = (d => d.U(0.3, 3, 3, 4), x => x.sqrt()),
        ["rsqrt"] = (d => d.U(0.3, 3, 3, 4), x => x.rsqrt()),
        ["sin"] = (d => d.N(3, 4), x => x.sin()),
        ["cos"] = (d => d.N(3, 4), x => x.cos()),
        ["tan"] = (d => d.U(-1.2, 1.2, 3, 4), x => x.tan()),
        ["asin"] = (d => d.U(-0.8, 0.8, 3, 4), x => x.asin()),
        ["acos"] = (d => d.U(-0.8, 0.8, 3, 4), x => x.acos()),
        ["atan"] = (d => d.N(3, 4), x => x.atan()),
        ["sinh"] = (d => d.N(3, 4), x => x.sinh()),
        ["cosh"] = (d => d.N(3, 4), x => x.cosh()),
        ["tanh"] = (d => d.N(3, 4), x => x.tanh()),
        ["sigmoid"] = (d => d.N(3, 4), x => x.sigmoid()),
        ["relu"] = (d => d.AwayFromZero(0.1, 2, 3, 4), x => x.relu()),
        ["sign (zero gradient)"] = (d => d.AwayFromZero(0.1, 2, 3, 4), x => x.sign() * x),
        ["frac"] = (d => d.U(0.1, 0.9, 3, 4) + 2, x => x.frac()),
        ["reciprocal"] = (d => d.AwayFromZero(0.5, 2, 3, 4), x => x.reciprocal()),
        ["square"] = (d => d.N(3, 4), x => x.square()),
        ["erf"] = (d => d.N(3, 4), x => x.erf()),
        ["erfc"] = (d => d.N(3, 4), x => x.erfc()),
        ["erfinv"] = (d => d.U(-0.8, 0.8, 3, 4), x => x.erfinv()),
        ["lgamma"] = (d => d.U(0.5, 4, 3, 4), x => x.lgamma()),
        ["digamma"] = (d => d.U(0.5, 4, 3, 4), x => x.digamma()),
        ["pow(x, 3.5)"] = (d => d.U(0.3, 2, 3, 4), x => x.pow(3.5)),
        ["pow(2, x)"] = (d => d.N(3, 4), x => pow(2.0, x)),
        ["clamp(min, max)"] = (d => d.U(-2, 2, 5, 4), x => x.clamp(-0.93, 0.87)),
        ["clamp_min"] = (d => d.U(-2, 2, 5, 4), x => x.clamp_min(0.05)),
        ["scalar arithmetic"] = (d => d.AwayFromZero(0.5, 2, 3, 4), x => (2.0 - x) * 3.0 / 1.7 + 0.5 / x - x % 0.8),
        ["nan_to_num (finite input)"] = (d => d.N(3, 4), x => x.nan_to_num()),
        ["in-place chain on a clone"] = (d => d.U(0.3, 2, 3, 4), x => x.clone().mul_(2).add_(1).sqrt_().exp()),
    };

    public static TheoryData<string> Unary => [.. UnaryOps.Keys];

    [Theory, MemberData(nameof(Unary))]
    public void Unary_gradient_matches_finite_differences(string op)
    {
        using var scope = NewDisposeScope();
        using var d = new Data(11);
        var (input, f) = UnaryOps[op];
        GradCheck.Check(xs => f(xs[0]), [input(d)]);
    }

    private static readonly Dictionary<string, (Func<Data, Tensor[]> inputs, Func<Tensor[], Tensor> f)> BinaryOps = new()
    {
        ["add with alpha"] = (d => [d.N(3, 4), d.N(3, 4)], x => x[0].add(x[1], 2.5)),
        ["sub with alpha"] = (d => [d.N(3, 4), d.N(3, 4)], x => x[0].sub(x[1], 0.5)),
        ["mul"] = (d => [d.N(3, 4), d.N(3, 4)], x => x[0] * x[1]),
        ["div"] = (d => [d.N(3, 4), d.AwayFromZero(0.5, 2, 3, 4)], x => x[0] / x[1]),
        ["pow(tensor, tensor)"] = (d => [d.U(0.5, 2, 3, 4), d.N(3, 4)], x => x[0].pow(x[1])),
        ["atan2"] = (d => [d.AwayFromZero(0.3, 2, 3, 4), d.AwayFromZero(0.3, 2, 3, 4)], x => x[0].atan2(x[1])),
        ["maximum"] = (d => [d.N(3, 4), d.N(3, 4)], x => x[0].maximum(x[1])),
        ["minimum"] = (d => [d.N(3, 4), d.N(3, 4)], x => x[0].minimum(x[1])),
        ["fmod (dividend)"] = (d => [d.U(0.1, 0.9, 3, 4) + 1.0, full([3, 4], 0.7, float64)], x => x[0].fmod(x[1])),
        ["remainder (dividend)"] = (d => [d.U(0.1, 0.6, 3, 4) - 1.0, full([3, 4], 0.7, float64)], x => x[0].remainder(x[1])),
        ["broadcast [3,1,4] + [5,1]"] = (d => [d.N(3, 1, 4), d.N(5, 1)], x => x[0] + x[1]),
        ["broadcast [4] * [2,3,4]"] = (d => [d.N(4), d.N(2, 3, 4)], x => x[0] * x[1]),
        ["broadcast [2,1] / [1,3]"] = (d => [d.N(2, 1), d.AwayFromZero(0.5, 2, 1, 3)], x => x[0] / x[1]),
        ["where"] = (d => [d.N(3, 4), d.N(3, 4), d.N(3, 4)], x => where(x[2] > 0, x[0], x[1] * 2)),
        ["where with a scalar"] = (d => [d.N(3, 4), d.N(3, 4)], x => where(x[1] > 0, x[0], 0.5)),
        ["masked_fill"] = (d => [d.N(3, 4), d.N(3, 4)], x => x[0].masked_fill(x[1] > 0.3, -2)),
        ["clamp with tensor bounds"] = (d => [d.N(3, 4), d.U(-1, -0.2, 3, 4), d.U(0.2, 1, 3, 4)], x => x[0].clamp(x[1], x[2])),
        ["in-place add_/mul_/addcmul_/addcdiv_/lerp_"] = (d => [d.N(3, 4), d.N(3, 4), d.AwayFromZero(0.5, 2, 3, 4)],
            x => x[0].clone().add_(x[1], 0.3).mul_(x[2]).addcmul_(x[1], x[2], 0.5).addcdiv_(x[0], x[2], 0.25).lerp_(x[1], 0.4)),
        ["copy_ into a slice"] = (d => [d.N(3, 4), d.N(3, 2)], x => { var y = x[0].clone(); y[.., 1..3] = x[1]; return y * y; }),
    };

    public static TheoryData<string> Binary => [.. BinaryOps.Keys];

    [Theory, MemberData(nameof(Binary))]
    public void Binary_gradient_matches_finite_differences(string op)
    {
        using var scope = NewDisposeScope();
        using var d = new Data(12);
        var (inputs, f) = BinaryOps[op];
        GradCheck.Check(f, inputs(d));
    }
}
