using System.Text.Json;
using FisherKit.Torch.Tests.Support;

namespace FisherKit.Torch.Tests.Optim;

/// <summary>
/// One step of every optimiser against values computed by hand (plain C# arithmetic on the update
/// formulas of the PyTorch documentation), and four-step trajectories against PyTorch itself.
/// </summary>
public class OptimizerStepTests
{
    private static readonly double[] P0 = [0.5, -1.0, 2.0];
    private static readonly double[] G = [0.1, -0.2, 0.3];

    private static double[] Step(Func<Tensor, optim.Optimizer> make, params double[][] grads)
    {
        using var scope = NewDisposeScope();
        var p = tensor(P0, requires_grad: true);
        using var opt = make(p);
        foreach (var g in grads)
        {
            p.grad = tensor(g);
            opt.step();
        }
        return p.detach().ToArray<double>();
    }

    [Fact]
    public void Plain_SGD_step_is_p_minus_lr_g()
    {
        var got = Step(p => optim.SGD([p], lr: 0.1), G);
        AssertClose.Arrays(P0.Zip(G, (p, g) => p - 0.1 * g).ToArray(), got, 1e-15, 0);
    }

    [Fact]
    public void SGD_with_weight_decay_and_momentum_takes_two_hand_computed_steps()
    {
        // d = g + wd·p; b₁ = d₁; b₂ = μ b₁ + (1 − τ) d₂; p ← p − lr·b.
        const double lr = 0.05, mu = 0.9, wd = 0.01, tau = 0.2;
        double[] g2 = [-0.3, 0.1, 0.2];
        var p = (double[])P0.Clone();
        var b = new double[3];
        for (int i = 0; i < 3; i++) { var d = G[i] + wd * p[i]; b[i] = d; p[i] -= lr * b[i]; }
        for (int i = 0; i < 3; i++) { var d = g2[i] + wd * p[i]; b[i] = mu * b[i] + (1 - tau) * d; p[i] -= lr * b[i]; }
        var got = Step(t => optim.SGD([t], lr, momentum: mu, dampening: tau, weight_decay: wd), G, g2);
        AssertClose.Arrays(p, got, 1e-15, 1e-15);
    }

    [Fact]
    public void SGD_with_Nesterov_momentum_takes_two_hand_computed_steps()
    {
        // b = μ b + d (b₁ = d₁); step direction d + μ b.
        const double lr = 0.1, mu = 0.9, wd = 0.1;
        double[] g2 = [-0.3, 0.1, 0.2];
        var p = (double[])P0.Clone();
        var b = new double[3];
        for (int i = 0; i < 3; i++) { var d = G[i] + wd * p[i]; b[i] = d; p[i] -= lr * (d + mu * b[i]); }
        for (int i = 0; i < 3; i++) { var d = g2[i] + wd * p[i]; b[i] = mu * b[i] + d; p[i] -= lr * (d + mu * b[i]); }
        var got = Step(t => optim.SGD([t], lr, momentum: mu, weight_decay: wd, nesterov: true), G, g2);
        AssertClose.Arrays(p, got, 1e-15, 1e-15);
    }

    private static double[] AdamByHand(double lr, double b1, double b2, double eps, double wd, bool decoupled, bool amsgrad, params double[][] grads)
    {
        var p = (double[])P0.Clone();
        var m = new double[3]; var v = new double[3]; var vmax = new double[3];
        for (int t = 1; t <= grads.Length; t++)
            for (int i = 0; i < 3; i++)
            {
                var g = grads[t - 1][i];
                if (decoupled) p[i] *= 1 - lr * wd;
                else g += wd * p[i];
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                vmax[i] = Math.Max(vmax[i], v[i]);
                var vhat = (amsgrad ? vmax[i] : v[i]) / (1 - Math.Pow(b2, t));
                var mhat = m[i] / (1 - Math.Pow(b1, t));
                p[i] -= lr * mhat / (Math.Sqrt(vhat) + eps);
            }
        return p;
    }

    // The second gradient is smaller than the first in some entries, so amsgrad's maximum matters.
    private static readonly double[] G2 = [0.01, -0.5, 0.05];

    [Fact]
    public void Adam_takes_two_hand_computed_steps()
    {
        var got = Step(t => optim.Adam([t], lr: 0.01), G, G2);
        AssertClose.Arrays(AdamByHand(0.01, 0.9, 0.999, 1e-8, 0, false, false, G, G2), got, 1e-15, 1e-13);
    }

    [Fact]
    public void Adam_with_L2_weight_decay_and_amsgrad_takes_two_hand_computed_steps()
    {
        var got = Step(t => optim.Adam([t], lr: 0.02, beta1: 0.8, beta2: 0.99, eps: 1e-6, weight_decay: 0.1, amsgrad: true), G, G2);
        AssertClose.Arrays(AdamByHand(0.02, 0.8, 0.99, 1e-6, 0.1, false, true, G, G2), got, 1e-15, 1e-13);
    }

    [Fact]
    public void AdamW_decouples_weight_decay_in_two_hand_computed_steps()
    {
        var got = Step(t => optim.AdamW([t], lr: 0.01, weight_decay: 0.1), G, G2);
        AssertClose.Arrays(AdamByHand(0.01, 0.9, 0.999, 1e-8, 0.1, true, false, G, G2), got, 1e-15, 1e-13);
    }

    [Fact]
    public void AdamW_with_amsgrad_takes_two_hand_computed_steps()
    {
        var got = Step(t => optim.AdamW([t], lr: 0.03, beta1: 0.85, beta2: 0.95, weight_decay: 0.05, amsgrad: true), G, G2);
        AssertClose.Arrays(AdamByHand(0.03, 0.85, 0.95, 1e-8, 0.05, true, true, G, G2), got, 1e-15, 1e-13);
    }

    [Fact]
    public void Parameters_without_gradient_are_left_alone()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new[] { 1.0 }, requires_grad: true);
        var b = tensor(new[] { 2.0 }, requires_grad: true);
        using var opt = optim.Adam([a, b], lr: 0.1);
        a.grad = tensor(new[] { 1.0 });
        opt.step();
        Assert.Equal(2.0, b.item());
        Assert.NotEqual(1.0, a.item());
        opt.zero_grad();
        Assert.Null(a.grad);
    }

    public static TheoryData<string> Runs => Reference.Names("optim", "runs");

    [Theory, MemberData(nameof(Runs))]
    public void Optimizer_trajectory_matches_PyTorch(string name)
    {
        var section = Reference.Section("optim");
        var run = section.GetProperty("runs").GetProperty(name);
        var o = run.GetProperty("options");
        double Opt(string key, double fallback) => o.TryGetProperty(key, out var v) ? v.GetDouble() : fallback;
        bool Flag(string key) => o.TryGetProperty(key, out var v) && v.GetBoolean();
        double[] betas = o.TryGetProperty("betas", out var bj) ? Reference.Doubles(bj) : [0.9, 0.999];
        using var scope = NewDisposeScope();
        var p = Reference.T(section.GetProperty("p0")).requires_grad_();
        using optim.Optimizer opt = run.GetProperty("optimizer").GetString() switch
        {
            "SGD" => optim.SGD([p], Opt("lr", 0), Opt("momentum", 0), Opt("dampening", 0), Opt("weight_decay", 0), Flag("nesterov")),
            "Adam" => optim.Adam([p], Opt("lr", 1e-3), betas[0], betas[1], Opt("eps", 1e-8), Opt("weight_decay", 0), Flag("amsgrad")),
            "AdamW" => optim.AdamW([p], Opt("lr", 1e-3), betas[0], betas[1], Opt("eps", 1e-8), Opt("weight_decay", 1e-2), Flag("amsgrad")),
            var other => throw new InvalidDataException(other),
        };
        var grads = section.GetProperty("grads").EnumerateArray().Select(Reference.T).ToList();
        var expected = run.GetProperty("params").EnumerateArray().Select(Reference.T).ToList();
        for (int k = 0; k < grads.Count; k++)
        {
            p.grad = grads[k];
            opt.step();
            AssertClose.Tensors(expected[k], p.detach(), 1e-15, 1e-13, $"{name}, step {k + 1}");
        }
    }
}
