using FisherKit.TorchSharpAdditions;
using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Fisher;

/// <summary>
/// The Fisher information sensitivity (FIS) map of <see cref="SensitivityMap"/> for a regression network read as
/// y ~ N(f(x), σ²I), f ∈ ℝ^D: a map with the shape of the input that shows which input values the Fisher
/// information along a parameter direction v depends on,
/// <c>FIS_i(x) = Σ_k (∂_{x_i} ∂_v f_k(x))² / σ²</c>.
/// It is the classifier's definition Σ_j ∂_{x_i}[∂_v log p_j] · ∂_{x_i}[∂_v p_j] with the sum over classes j
/// replaced by the integral over y: with r = y − f, a = ∂_v f and b_i = ∂_{x_i} f, the two factors' product has
/// expectation ((b_i·a)² + σ²‖∂_{x_i}a‖² − (b_i·a)²)/σ⁴ · σ² = ‖∂_{x_i}a‖²/σ² (the first and third terms cancel,
/// odd moments of r vanish). Like the Fisher form ‖∂_v f‖²/σ², it is non-negative.
/// v = ∇θ(uᵀf)/‖∇θ(uᵀf)‖, the unit gradient of a chosen output combination u (default: the mean output),
/// computed at the input and then held fixed. Exact values come from double backward (∂_v f = Jv by
/// differentiating Jᵀw with respect to w); <see cref="FiniteDifference"/> uses the central difference ±εv of
/// the reference code. One input at a time (maps are for inspection of a few images); evaluation mode.
/// </summary>
public sealed class RegressionSensitivityMap
{
    private readonly nn.Module<Tensor, Tensor> _model;

    /// <summary>Creates the map for a network returning (N, D) outputs, read with noise standard deviation <paramref name="sigma"/>.</summary>
    public RegressionSensitivityMap(nn.Module<Tensor, Tensor> model, double sigma = 1)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        if (!(sigma > 0) || double.IsInfinity(sigma)) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "The noise standard deviation must be positive and finite.");
        Sigma = sigma;
    }

    /// <summary>Noise standard deviation σ of the Gaussian reading of the outputs.</summary>
    public double Sigma { get; }

    /// <summary>
    /// The output combination u (length D) whose unit parameter gradient is the direction v; null (default): the
    /// mean output, u = 1/D. The map is quadratic in v, so the sign of u does not matter.
    /// </summary>
    public double[]? OutputDirection { get; init; }

    /// <summary>The exact map for each input of the batch; same shape as <paramref name="inputs"/>.</summary>
    public Tensor Compute(Tensor inputs) => PerInput(inputs, Exact);

    /// <summary>The map with ∂_v f from the central difference ±εv, as the reference code (O(ε²) error).</summary>
    public Tensor FiniteDifference(Tensor inputs, double epsilon = 1e-3)
    {
        if (!(epsilon > 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "The finite-difference step must be positive.");
        return PerInput(inputs, (x, _, parameters, v) => Central(x, parameters, v, epsilon));
    }

    /// <summary>
    /// Per input: x (requiring grad), its outputs f at θ (one forward pass, which serves both the direction v and the
    /// exact map), then <paramref name="one"/>(x, f, parameters, v).
    /// </summary>
    private Tensor PerInput(Tensor inputs, Func<Tensor, Tensor, List<(string Name, Tensor Value)>, List<Tensor>, Tensor> one)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        TensorChecks.Alive(inputs, nameof(inputs));
        if (inputs.ndim < 2 || inputs.shape[0] < 1) throw new ArgumentException($"Inputs must be a batch (N, ...) with N ≥ 1, got {TensorChecks.Shape(inputs.shape)}.", nameof(inputs));
        using var mode = ModuleMode.Eval(_model);
        using var grad = enable_grad();
        var parameters = _model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => (p.name, (Tensor)p.parameter)).ToList();
        if (parameters.Count == 0) throw new ArgumentException($"{_model.GetType().Name} has no trainable parameters.", nameof(inputs));
        var maps = new List<Tensor>();
        using var scope = NewDisposeScope();
        for (long i = 0; i < inputs.shape[0]; i++)
        {
            using var step = NewDisposeScope();
            var x = inputs.narrow(0, i, 1).detach().clone().requires_grad_();
            var f = Outputs(x);
            var v = Direction(f, parameters);
            maps.Add(step.MoveToOuter(one(x, f, parameters, v)));
        }
        return scope.MoveToOuter(cat(maps, 0));
    }

    /// <summary>The outputs (1, D) of one input, checked.</summary>
    private Tensor Outputs(Tensor x)
    {
        var f = _model.call(x);
        if (f.ndim != 2 || f.shape[0] != 1)
            throw new ArgumentException($"{_model.GetType().Name} returned shape {TensorChecks.Shape(f.shape)} for one input; a regression network returns (N, D).");
        if (OutputDirection is { } u && u.Length != f.shape[1])
            throw new ArgumentException($"The output direction has {u.Length} entries; the network has {f.shape[1]} outputs.", nameof(OutputDirection));
        return f;
    }

    /// <summary>v = ∇θ(uᵀf)/‖∇θ(uᵀf)‖ for the outputs f at θ, detached; one entry per parameter. Keeps f's graph.</summary>
    private List<Tensor> Direction(Tensor f, List<(string Name, Tensor Value)> parameters)
    {
        var u = OutputDirection is { } w ? tensor(w, dtype: f.dtype, device: f.device) : full(f.shape[1], Hold(1.0 / f.shape[1]), dtype: f.dtype, device: f.device);
        var g = SafeAutograd.grad([f.mv(u.reshape(-1)).sum()], parameters.Select(p => p.Value).ToList(), retain_graph: true, allow_unused: true)
            .Select((t, k) => t is null ? zeros_like(parameters[k].Value) : t.detach()).ToList();
        double norm = Math.Sqrt(g.Sum(t => t.to(ScalarType.Float64).pow(Hold(2)).sum().ToDouble()));
        if (!(norm > 0) || !double.IsFinite(norm))
            throw new ArgumentException($"The gradient of the chosen output combination with respect to the parameters has norm {norm}; it gives no direction v.");
        return g.Select(t => t / Hold(norm)).ToList();
    }

    private Tensor Exact(Tensor x, Tensor f, List<(string Name, Tensor Value)> parameters, List<Tensor> v)
    {
        // Jᵀw is linear in w and keeps its graph in x (create_graph); its derivative along v with respect to w is Jv.
        var w = zeros_like(f).requires_grad_();
        var jtw = SafeAutograd.grad([f], parameters.Select(p => p.Value).ToList(), [w], retain_graph: true, create_graph: true, allow_unused: true);
        Tensor? s = null;
        for (int k = 0; k < jtw.Length; k++)
            if (jtw[k] is { } t) s = s is null ? (t * v[k]).sum() : s.add((t * v[k]).sum(), One);
        if (s is null) return zeros_like(x).detach();
        var jv = SafeAutograd.grad([s], [w], retain_graph: true, create_graph: true)[0]!;
        return SumOfSquaredInputGradients(jv, x);
    }

    private Tensor Central(Tensor x, List<(string Name, Tensor Value)> parameters, List<Tensor> v, double epsilon)
    {
        Tensor Shifted(double sign)
        {
            var values = parameters.Select((p, k) => (p.Name, p.Value.detach().add(v[k] * Hold(sign * epsilon), One))).ToDictionary(e => e.Name, e => e.Item2);
            using (_model.WithParameterValues(values)) return Outputs(x);
        }
        var jv = (Shifted(1) - Shifted(-1)) / Hold(2 * epsilon);
        return SumOfSquaredInputGradients(jv, x);
    }

    /// <summary>Σ_k (∂_x jv_k)² / σ², one backward pass per output.</summary>
    private Tensor SumOfSquaredInputGradients(Tensor jv, Tensor x)
    {
        var map = zeros_like(x);
        for (long k = 0; k < jv.shape[1]; k++)
        {
            var jvk = jv[0, k];
            if (!jvk.requires_grad) continue;                              // ∂_v f_k does not depend on the input
            var d = SafeAutograd.grad([jvk], [x], retain_graph: true, allow_unused: true)[0];
            if (d is not null) map = map.add(d.pow(Hold(2)), One);
        }
        return (map / Hold(Sigma * Sigma)).detach();
    }
}
