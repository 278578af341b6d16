using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace FisherKit.Bench;

/// <summary>
/// The per-input Fisher quantities as a TorchSharp user writes them without FisherKit: one input at
/// a time, autograd per input (TorchSharp's own <c>autograd.grad</c>; the arguments are right, so it
/// does not abort). Same formulas as bench/pytorch/fisher_bench.py's loops. The model must be in
/// eval mode; every method returns one value per input.
/// </summary>
internal sealed class PlainLoops(nn.Module<Tensor, Tensor> model)
{
    private readonly List<Tensor> _ps = [.. model.parameters().Select(p => (Tensor)p)];

    /// <summary>Forward, log p of the top class, and its gradient with respect to all parameters.</summary>
    private (Tensor z, Tensor top, IList<Tensor> g) GradTop(Tensor x, bool keepGraph)
    {
        var z = model.call(x);
        var top = F.log_softmax(z, 1).max();
        var g = autograd.grad([top], _ps, retain_graph: keepGraph);
        return (z, top, g);
    }

    /// <summary>p/(1−p)·‖g‖², g = ∇θ log p_ŷ: one backward pass per input.</summary>
    public double[] Reduced(Tensor xs) => PerInput(xs, x =>
    {
        var (_, top, g) = GradTop(x, keepGraph: false);
        var p = top.exp();
        var g2 = g.Select(t => t.square().sum()).Aggregate((a, b) => a + b);
        return (p / (1 - p) * g2).item<float>();
    });

    /// <summary>
    /// vᵀF(x)v along v = g/‖g‖, exact: J v by the double-backward trick (the gradient of ⟨Jᵀu, v⟩ with
    /// respect to a dummy cotangent u), then (Jv)ᵀ F_z (Jv) with F_z = diag p − p pᵀ. Three backward
    /// passes per input, one of them through the first's graph.
    /// </summary>
    public double[] FormExact(Tensor xs) => PerInput(xs, x =>
    {
        var (z, _, g) = GradTop(x, keepGraph: true);
        var norm = g.Select(t => t.square().sum()).Aggregate((a, b) => a + b).sqrt();
        var u = zeros_like(z).requires_grad_();
        var jtu = autograd.grad([z], _ps, [u], retain_graph: true, create_graph: true);
        var dot = jtu.Zip(g).Select(t => (t.First * t.Second).sum()).Aggregate((a, b) => a + b) / norm;
        var jv = autograd.grad([dot], [u])[0];
        return Quadratic(z.detach(), jv);
    });

    /// <summary>
    /// The reference implementation's central difference along v = g/‖g‖ (full form):
    /// Σ_c [log p_c(θ+εv) − log p_c(θ−εv)]·[p_c(θ+εv) − p_c(θ−εv)] / (4ε²); one backward and two forward
    /// passes per input.
    /// </summary>
    public double[] FormCentralDifference(Tensor xs, double eps = 1e-3) => PerInput(xs, x =>
    {
        var (_, _, g) = GradTop(x, keepGraph: false);
        var norm = g.Select(t => t.square().sum()).Aggregate((a, b) => a + b).sqrt();
        var v = g.Select(t => t / norm).ToList();
        return CentralDifference(x, [.. Enumerable.Range(0, _ps.Count)], v, eps);
    });

    /// <summary>The reference code's per-tensor form with v = g (raw): one tensor perturbed at a time, 2·T forward passes per input.</summary>
    public double[] FormPerTensorCentralDifference(Tensor xs, double eps = 1e-3) => PerInput(xs, x =>
    {
        var (_, _, g) = GradTop(x, keepGraph: false);
        double sum = 0;
        for (int t = 0; t < _ps.Count; t++) sum += CentralDifference(x, [t], g, eps);
        return sum;
    });

    /// <summary>
    /// Trace of F(x) = Jᵀ F_z J the obvious way: the output Jacobian J (C × P) row by row, one backward
    /// pass per class, then tr(F_z J Jᵀ).
    /// </summary>
    public double[] Trace(Tensor xs) => PerInput(xs, x =>
    {
        var z = model.call(x);
        var c = z.shape[1];
        var rows = new Tensor[c];
        for (long k = 0; k < c; k++)
            rows[k] = cat([.. autograd.grad([z[0, k]], _ps, retain_graph: k < c - 1).Select(t => t.flatten())], 0);
        var j = stack(rows, 0);                                                      // (C, P)
        var kk = j.mm(j.t());
        var p = F.softmax(z.detach(), 1)[0];
        var fz = diag(p) - p.outer(p);
        return (fz * kk).sum().item<float>();
    });

    private double CentralDifference(Tensor x, int[] which, IList<Tensor> v, double eps)
    {
        using var ng = no_grad();
        var saved = which.Select(i => _ps[i].clone()).ToArray();
        Tensor LogP(double e)
        {
            for (int k = 0; k < which.Length; k++) _ps[which[k]].copy_(saved[k] + v[which[k]] * e);
            return F.log_softmax(model.call(x), 1).to(float64);
        }
        var lp = LogP(eps);
        var lm = LogP(-eps);
        for (int k = 0; k < which.Length; k++) _ps[which[k]].copy_(saved[k]);
        return ((lp - lm) * (lp.exp() - lm.exp())).sum().item<double>() / (4 * eps * eps);
    }

    private static double Quadratic(Tensor z, Tensor jv)
    {
        var p = F.softmax(z.to(float64), 1)[0];
        var j = jv.to(float64)[0];
        var fz = diag(p) - p.outer(p);
        return j.dot(fz.mv(j)).item<double>();
    }

    private static double[] PerInput(Tensor xs, Func<Tensor, double> f)
    {
        var result = new double[xs.shape[0]];
        for (long i = 0; i < result.Length; i++)
        {
            using var scope = NewDisposeScope();
            result[i] = f(xs.narrow(0, i, 1));
        }
        return result;
    }
}
