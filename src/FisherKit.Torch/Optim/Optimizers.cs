using static FisherKit.Torch.torch;

namespace FisherKit.Torch.Modules;

/// <summary>
/// Stochastic gradient descent as PyTorch: d = g + wd·p; with momentum μ the buffer
/// b ← μ·b + (1 − dampening)·d (b = d at the first step), d = b (or d + μ·b with Nesterov);
/// p ← p − lr·d.
/// </summary>
public sealed class SGD : optim.Optimizer
{
    private readonly double _momentum, _dampening, _weightDecay;
    private readonly bool _nesterov;

    /// <summary>Creates the optimiser.</summary>
    public SGD(IEnumerable<Tensor> parameters, double lr, double momentum = 0, double dampening = 0, double weight_decay = 0, bool nesterov = false) : base(parameters, lr)
    {
        if (momentum < 0) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "momentum must be non-negative.");
        if (weight_decay < 0) throw new ArgumentOutOfRangeException(nameof(weight_decay), weight_decay, "weight_decay must be non-negative.");
        if (nesterov && (momentum <= 0 || dampening != 0)) throw new ArgumentException("Nesterov momentum needs momentum > 0 and zero dampening.");
        (_momentum, _dampening, _weightDecay, _nesterov) = (momentum, dampening, weight_decay, nesterov);
    }

    /// <inheritdoc />
    protected override void Update(Tensor p, Tensor g, Dictionary<string, Tensor> state)
    {
        var d = _weightDecay != 0 ? g.add(p, _weightDecay) : g;
        if (_momentum != 0)
        {
            if (!state.TryGetValue("momentum_buffer", out var buf))
            {
                buf = d.clone().DetachFromDisposeScope();
                state["momentum_buffer"] = buf;
            }
            else
            {
                buf.mul_(_momentum).add_(d, 1 - _dampening);
            }
            d = _nesterov ? d.add(buf, _momentum) : buf;
        }
        p.add_(d, -LearningRate);
    }
}

/// <summary>
/// Adam (Kingma &amp; Ba) as PyTorch: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², p ← p − lr/(1−β₁ᵗ)·m/(√v/√(1−β₂ᵗ) + ε);
/// weight_decay adds wd·p to g (L2), amsgrad uses the running maximum of v.
/// </summary>
public class Adam : optim.Optimizer
{
    private readonly double _beta1, _beta2, _eps, _weightDecay;
    private readonly bool _amsgrad;

    /// <summary>Whether weight decay is decoupled from the gradient (AdamW).</summary>
    protected virtual bool Decoupled => false;

    /// <summary>Creates the optimiser.</summary>
    public Adam(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weight_decay = 0, bool amsgrad = false) : base(parameters, lr)
    {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) throw new ArgumentOutOfRangeException(nameof(beta1), $"Adam needs betas in [0, 1), got ({beta1}, {beta2}).");
        if (!(eps >= 0)) throw new ArgumentOutOfRangeException(nameof(eps), eps, "eps must be non-negative.");
        if (!(weight_decay >= 0)) throw new ArgumentOutOfRangeException(nameof(weight_decay), weight_decay, "weight_decay must be non-negative.");
        (_beta1, _beta2, _eps, _weightDecay, _amsgrad) = (beta1, beta2, eps, weight_decay, amsgrad);
    }

    /// <inheritdoc />
    protected override void Update(Tensor p, Tensor g, Dictionary<string, Tensor> state)
    {
        var m = State(state, "exp_avg", p);
        var v = State(state, "exp_avg_sq", p);
        var vmax = _amsgrad ? State(state, "max_exp_avg_sq", p) : null;
        var step = state.TryGetValue("step", out var s) ? s : (state["step"] = zeros([], ScalarType.Float64).DetachFromDisposeScope());
        step.add_(1);
        var t = step.item();
        var bc1 = 1 - Math.Pow(_beta1, t);
        var bc2Sqrt = Math.Sqrt(1 - Math.Pow(_beta2, t));
        if (AdamKernel.TryStep(p, g, m, v, vmax, LearningRate, _beta1, _beta2, _eps, _weightDecay, Decoupled, bc1, bc2Sqrt)) return;

        // Tensor operations for other devices, dtypes and layouts (six passes where the kernel needs one).
        // m by one lerp (as PyTorch 2 does), and the bias correction of v folded into the scalars, using
        // m/(√v/c + ε) = c·m/(√v + c·ε) with c = √(1 − β₂ᵗ). The update is PyTorch's up to rounding.
        if (_weightDecay != 0)
        {
            if (Decoupled) p.mul_(1 - LearningRate * _weightDecay);
            else g = g.add(p, _weightDecay);
        }
        m.lerp_(g, 1 - _beta1);
        v.mul_(_beta2).addcmul_(g, g, 1 - _beta2);
        Tensor denomSource = v;
        if (vmax is not null)
        {
            using var mx = vmax.maximum(v);
            vmax.copy_(mx);
            denomSource = vmax;
        }
        using var denom = denomSource.sqrt().add_(_eps * bc2Sqrt);
        p.addcdiv_(m, denom, -LearningRate * bc2Sqrt / bc1);
    }
}

/// <summary>AdamW (Loshchilov &amp; Hutter): Adam with decoupled weight decay p ← p·(1 − lr·wd) before the Adam step.</summary>
public sealed class AdamW(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weight_decay = 1e-2, bool amsgrad = false)
    : Adam(parameters, lr, beta1, beta2, eps, weight_decay, amsgrad)
{
    /// <inheritdoc />
    protected override bool Decoupled => true;
}
