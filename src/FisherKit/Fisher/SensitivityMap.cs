using FisherKit.Fisher.Likelihoods;
using FisherKit.Fisher.PerSample;
using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Fisher;

/// <summary>
/// The Fisher information sensitivity (FIS) of Martin &amp; Elster (2020): a map with the shape of the
/// input that shows which input values the Fisher information along a parameter direction v
/// depends on. With φ_j(x) = ∂_v log p̃_j(x) and ψ_j(x) = ∂_v p̃_j(x), derivatives along v in
/// parameter space (v fixed, computed at the input),
/// <c>FIS_i(x) = Σ_j ∂φ_j/∂x_i · ∂ψ_j/∂x_i</c>,
/// a sum of products of mixed second derivatives, mirroring the Fisher form Σ_j ∂_v log p_j ∂_v p_j.
/// By default the classes j are reduced to (predicted class, rest) as the reference code does;
/// <c>reduced: false</c> uses all classes. <see cref="FormVariant.PerTensor"/> sums the products over
/// parameter tensors separately (the reference code's accumulation). Exact values come from
/// double backward; <see cref="FiniteDifference"/> uses the central difference ±εv of the reference code.
/// One input at a time (maps are for inspection of a few images).
/// </summary>
public sealed class SensitivityMap
{
    private readonly nn.Module<Tensor, Tensor> _model;
    private readonly PerInputFisher _fisher;

    /// <summary>Creates the map for a classifier returning logits.</summary>
    public SensitivityMap(nn.Module<Tensor, Tensor> model)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        _fisher = new PerInputFisher(model);
    }

    /// <summary>Direction v (default: the unit gradient of the predicted class's log-probability).</summary>
    public FisherDirection Direction { get; init; } = FisherDirection.NormalizedGradient;

    /// <summary>Reduce the classes to (predicted, rest) as the reference code (default) or use all classes.</summary>
    public bool Reduced { get; init; } = true;

    /// <summary>Full (all parameters at once) or per-tensor accumulation.</summary>
    public FormVariant Variant { get; init; } = FormVariant.Full;

    /// <summary>The exact map for each input of the batch; same shape as <paramref name="inputs"/>.</summary>
    public Tensor Compute(Tensor inputs) => PerInput(inputs, (x, v, groups) => Exact(x, v, groups));

    /// <summary>The map with φ and ψ from the central difference ±εv, as the reference code (O(ε²) error).</summary>
    public Tensor FiniteDifference(Tensor inputs, double epsilon = 1e-3)
    {
        if (!(epsilon > 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "The finite-difference step must be positive.");
        return PerInput(inputs, (x, v, groups) => Central(x, v, groups, epsilon));
    }

    private Tensor PerInput(Tensor inputs, Func<Tensor, ParamVector, List<List<string>>, Tensor> one)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        using var mode = ModuleMode.Eval(_model);
        using var grad = enable_grad();
        var names = _model.named_parameters().Select(p => p.name).ToList();
        var groups = Variant == FormVariant.Full ? [names] : names.Select(n => new List<string> { n }).ToList();
        var maps = new List<Tensor>();
        using var scope = NewDisposeScope();
        for (long i = 0; i < inputs.shape[0]; i++)
        {
            using var step = NewDisposeScope();
            var x = inputs.narrow(0, i, 1).detach();
            using var v = _fisher.PredictedGradient(x, Direction);
            maps.Add(step.MoveToOuter(one(x, v, groups)));
        }
        return scope.MoveToOuter(cat(maps, 0));
    }

    /// <summary>The log-probabilities log p̃_j of the classes used, each a scalar tensor.</summary>
    private List<Tensor> LogProbabilities(Tensor z)
    {
        if (Reduced)
        {
            var (logP, logRest) = Categorical.PredictedLogProbabilities(z);
            return [logP.sum(), logRest.sum()];
        }
        var logp = nn.functional.log_softmax(z, 1);
        return Enumerable.Range(0, (int)z.shape[1]).Select(c => logp[0, c]).ToList();
    }

    private Tensor Exact(Tensor input, ParamVector v, List<List<string>> groups)
    {
        var x = input.clone().requires_grad_();
        var z = _model.call(x);
        new Categorical().Validate(z.detach());
        var byName = _model.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        var map = zeros_like(x);
        foreach (var lj in LogProbabilities(z))
        {
            var pj = lj.exp();
            foreach (var group in groups)
            {
                var ps = group.Select(n => byName[n]).ToList();
                var phi = Directional(lj, ps, group, v);
                var psi = Directional(pj, ps, group, v);
                if (phi is null || psi is null) continue;
                var dphi = SafeAutograd.grad([phi], [x], retain_graph: true, allow_unused: true)[0];
                var dpsi = SafeAutograd.grad([psi], [x], retain_graph: true, allow_unused: true)[0];
                if (dphi is null || dpsi is null) continue;
                map = map.add(dphi * dpsi, One);
            }
        }
        return map.detach();
    }

    /// <summary>⟨∇θ f, v⟩ over the given parameters, kept differentiable in the input (create_graph).</summary>
    private static Tensor? Directional(Tensor f, List<Tensor> ps, List<string> names, ParamVector v)
    {
        var gs = SafeAutograd.grad([f], ps, retain_graph: true, create_graph: true, allow_unused: true);
        Tensor? s = null;
        for (int i = 0; i < ps.Count; i++)
        {
            if (gs[i] is null) continue;
            var term = (gs[i]! * v[names[i]]).sum();
            s = s is null ? term : s.add(term, One);
        }
        return s;
    }

    private Tensor Central(Tensor input, ParamVector v, List<List<string>> groups, double epsilon)
    {
        var map = zeros_like(input);
        var parameters = _model.named_parameters().ToList();
        foreach (var group in groups)
        {
            var x = input.clone().requires_grad_();
            List<Tensor> Log(double sign)
            {
                var subst = parameters.Where(p => group.Contains(p.name)).ToDictionary(p => p.name, p => p.parameter.detach().add(v[p.name] * Hold(sign * epsilon), One));
                using (_model.WithParameterValues(subst)) return LogProbabilities(_model.call(x));
            }
            var plus = Log(1);
            var minus = Log(-1);
            for (int j = 0; j < plus.Count; j++)
            {
                var phi = (plus[j] - minus[j]) / Hold(2 * epsilon);
                var psi = (plus[j].exp() - minus[j].exp()) / Hold(2 * epsilon);
                var dphi = SafeAutograd.grad([phi], [x], retain_graph: true)[0]!;
                var dpsi = SafeAutograd.grad([psi], [x], retain_graph: true)[0]!;
                map = map.add(dphi * dpsi, One);
            }
        }
        return map.detach();
    }
}
