using FisherKit.Torch.Tests.Support;
using F = FisherKit.Torch.torch.nn.functional;

namespace FisherKit.Torch.Tests.Autograd;

/// <summary>Second derivatives through double backward (autograd.grad with create_graph).</summary>
public class HessianVectorTests
{
    [Fact]
    public void Hessian_vector_product_matches_the_known_Hessian_of_a_quartic()
    {
        // f(x) = ½ xᵀAx + ¼ Σ xᵢ⁴ + bᵀx has Hessian H = (A + Aᵀ)/2 + diag(3xᵢ²).
        const int n = 5;
        var a = new double[n * n];
        var xs = new double[n];
        var bs = new double[n];
        var vs = new double[n];
        for (int i = 0; i < n; i++)
        {
            xs[i] = 0.3 * i - 0.7;
            bs[i] = Math.Sin(i);
            vs[i] = Math.Cos(2.0 * i) + 0.1;
            for (int j = 0; j < n; j++) a[i * n + j] = 1.0 / (1 + i + 2 * j) + (i == j ? 2 : 0);
        }
        using var scope = NewDisposeScope();
        var A = tensor(a, [n, n]);
        var x = tensor(xs, requires_grad: true);
        var b = tensor(bs);
        var v = tensor(vs);
        var f = 0.5 * x.matmul(A).dot(x) + 0.25 * x.pow(4).sum() + b.dot(x);
        var g = autograd.grad([f], [x], create_graph: true)[0]!;
        Assert.True(g.requires_grad, "a gradient taken with create_graph must itself be differentiable");
        var hv = autograd.grad([g.dot(v)], [x])[0]!.ToArray<double>();

        var expected = new double[n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                var h = 0.5 * (a[i * n + j] + a[j * n + i]) + (i == j ? 3 * xs[i] * xs[i] : 0);
                expected[i] += h * vs[j];
            }
        AssertClose.Arrays(expected, hv, 1e-12, 1e-12, "H·v");

        // The first derivative too: g = (A + Aᵀ)x/2 + x³ + b.
        var gExpected = new double[n];
        for (int i = 0; i < n; i++)
        {
            gExpected[i] = xs[i] * xs[i] * xs[i] + bs[i];
            for (int j = 0; j < n; j++) gExpected[i] += 0.5 * (a[i * n + j] + a[j * n + i]) * xs[j];
        }
        AssertClose.Arrays(gExpected, g.detach().ToArray<double>(), 1e-12, 1e-12, "gradient");
    }

    [Fact]
    public void Full_Hessian_by_double_backward_is_symmetric_and_matches_the_closed_form_of_log_sum_exp()
    {
        // f(x) = log Σ exp(xᵢ): H = diag(p) − p pᵀ with p = softmax(x).
        using var scope = NewDisposeScope();
        using var d = new Data(3);
        var x = d.N(4).requires_grad_();
        var g = autograd.grad([x.logsumexp(0)], [x], create_graph: true)[0]!;
        var rows = new List<Tensor>();
        for (int i = 0; i < 4; i++)
            rows.Add(autograd.grad([g[i]], [x], retain_graph: true)[0]!);
        var h = stack(rows);
        var p = F.softmax(x.detach(), 0);
        var expected = p.diag() - p.outer(p);
        AssertClose.Tensors(expected, h, 1e-12, 1e-12, "Hessian");
        AssertClose.Tensors(h.t(), h, 1e-14, 0, "symmetry");
    }

    [Fact]
    public void Parameter_space_Hessian_vector_product_of_a_network_matches_differences_of_gradients()
    {
        // H v ≈ (∇L(θ + εv) − ∇L(θ − εv)) / 2ε, an independent check of double backward through
        // linear layers, tanh, softplus and cross entropy.
        using var scope = NewDisposeScope();
        using var d = new Data(5);
        var w1 = d.N(6, 3).mul(0.7).requires_grad_();
        var b1 = d.N(6).mul(0.1).requires_grad_();
        var w2 = d.N(4, 6).mul(0.5).requires_grad_();
        var b2 = d.N(4).mul(0.1).requires_grad_();
        Tensor[] theta = [w1, b1, w2, b2];
        var x = d.N(8, 3);
        var y = tensor(new long[] { 0, 1, 2, 3, 3, 2, 1, 0 });
        Tensor Loss(Tensor[] p) => F.cross_entropy(F.linear(F.softplus(F.linear(x, p[0], p[1])).tanh(), p[2], p[3]), y);
        var v = theta.Select(p => d.N(p.shape)).ToArray();

        var grads = autograd.grad([Loss(theta)], theta, create_graph: true);
        var gv = grads.Zip(v, (g, vi) => (g! * vi).sum()).Aggregate((s, t) => s + t);
        var hv = autograd.grad([gv], theta);

        const double eps = 1e-5;
        Tensor[] Shifted(double s) => theta.Zip(v, (p, vi) => (p.detach() + vi * s).requires_grad_()).ToArray();
        var plus = Shifted(eps);
        var minus = Shifted(-eps);
        var gPlus = autograd.grad([Loss(plus)], plus);
        var gMinus = autograd.grad([Loss(minus)], minus);
        for (int k = 0; k < theta.Length; k++)
        {
            var fd = (gPlus[k]! - gMinus[k]!) / (2 * eps);
            AssertClose.Tensors(fd, hv[k]!, 1e-7, 1e-5, $"H·v block {k}");
        }
    }

    [Fact]
    public void Backward_with_create_graph_gives_a_differentiable_grad_field()
    {
        // y = x³ summed: x.grad = 3x² (differentiable), and d(Σ x.grad)/dx = 6x.
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 0.5, -1.0, 2.0 }, requires_grad: true);
        x.pow(3).sum().backward(create_graph: true);
        var g = x.grad!;
        Assert.True(g.requires_grad);
        var second = autograd.grad([g.sum()], [x])[0]!;
        AssertClose.Arrays([3.0, -6.0, 12.0], second.ToArray<double>(), 1e-12, 0);
        x.grad = null;
    }
}
