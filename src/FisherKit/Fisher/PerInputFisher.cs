using FisherKit.Fisher.Likelihoods;
using FisherKit.Fisher.PerSample;
using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Fisher;

/// <summary>
/// Fisher information of a classifier at single inputs (Martin &amp; Elster 2020, 2021), computed for
/// whole batches. The per-input Fisher in parameter space is
/// <c>F(x) = Σ_c p_c ∇θ log p_c ∇θ log p_cᵀ = Jᵀ F_z J</c> (J = ∂z/∂θ, F_z = diag p − p pᵀ). It has
/// rank ≤ C, so every quantity follows exactly from the C × C per-input tangent kernels
/// K_t = J_t J_tᵀ of the parameter tensors t (computed per batch without a per-input loop, see
/// <see cref="PerSampleGradients"/>):
/// <list type="bullet">
/// <item>g = ∇θ log p_ŷ = Jᵀa with a = e_ŷ − p, so ‖g‖² = aᵀKa;</item>
/// <item>gᵀFg = (Ka)ᵀF_z(Ka) and the normalised form divides by ‖g‖²;</item>
/// <item>per-tensor (block-diagonal) form Σ_t (K_t a)ᵀF_z(K_t a);</item>
/// <item>tr F = tr(F_z K), λ_max(F) = λ_max(F_z^½ K F_z^½);</item>
/// <item>the reduced two-class (ŷ vs rest) Fisher is p/(1−p)·ggᵀ, whose trace, top eigenvalue and
/// normalised form all equal p/(1−p)‖g‖², evaluated as p(1−p)·‖Jᵀa′‖² with a′ = a/(1−p) so it stays
/// accurate when p → 1.</item>
/// </list>
/// The central difference ±εv in parameter space of the reference implementation is available in
/// <see cref="FormFiniteDifference"/>. The model runs in eval mode; it must output logits (or
/// log-probabilities) of shape (N, C).
/// </summary>
public sealed class PerInputFisher
{
    private readonly nn.Module<Tensor, Tensor> _model;
    private readonly Categorical _distribution = new();

    /// <summary>Inspects <paramref name="model"/>, a classifier returning logits.</summary>
    public PerInputFisher(nn.Module<Tensor, Tensor> model)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        CheckModel(model);
    }

    /// <summary>Inputs per internal batch, at most (fewer where <see cref="ConvolutionWorkspace"/> says so).</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>All per-input quantities for a batch of inputs (N, ...), in chunks of at most <see cref="BatchSize"/>.</summary>
    /// <example>
    /// <code>
    /// var fisher = new PerInputFisher(model);
    /// var r = fisher.Compute(images);            // images (N, 1, 28, 28)
    /// double[] score = r.FormNormalized;        // vᵀF(x)v along the unit gradient, per image
    /// </code>
    /// </example>
    public PerInputFisherResult Compute(Tensor inputs)
    {
        return PerInputFisherResult.Concat(InBatches(inputs, ComputeBatch));
    }

    /// <summary>Applies <paramref name="perBatch"/> to consecutive batches of at most <see cref="BatchSize"/> inputs, each inside its own dispose scope.</summary>
    private List<T> InBatches<T>(Tensor inputs, Func<Tensor, T> perBatch)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.ndim < 1 || inputs.shape[0] < 1) throw new ArgumentException($"The inputs need a batch dimension with at least one input, got shape {TensorChecks.Shape(inputs.shape)}.", nameof(inputs));
        var results = new List<T>();
        var n = inputs.shape[0];
        int perCall = ConvolutionWorkspace.InputsPerCall(_model, inputs, BatchSize);   // libtorch's own CPU convolutions: buffers below glibc's mmap threshold
        for (long start = 0; start < n; start += perCall)
        {
            using var scope = NewDisposeScope();
            results.Add(perBatch(inputs.narrow(0, start, Math.Min(perCall, n - start))));
        }
        return results;
    }

    private PerInputFisherResult ComputeBatch(Tensor x)
    {
        using var gram = PerSampleGradients.OutputGram(_model, x);
        using var scope = NewDisposeScope();
        var z = gram.Output.to(ScalarType.Float64);
        _distribution.Validate(z);
        var p = nn.functional.softmax(z, 1);
        var fz = _distribution.OutputFisher(z);                          // (N, C, C)
        var a = _distribution.PredictedLogLikelihoodGradient(z).unsqueeze(2); // (N, C, 1)
        var blocks = gram.Entries.Select(e => e.value.to(ScalarType.Float64)).ToList();
        var k = blocks[0].clone();
        foreach (var b in blocks.Skip(1)) k.add_(b, One);

        var ka = k.bmm(a);                                                // (N, C, 1) = J g
        var g2 = a.transpose(1, 2).bmm(ka).reshape(-1);                   // ‖g‖²
        var formRaw = ka.transpose(1, 2).bmm(fz).bmm(ka).reshape(-1);
        Tensor? perTensorRaw = null;
        foreach (var b in blocks)
        {
            var kta = b.bmm(a);
            var term = kta.transpose(1, 2).bmm(fz).bmm(kta).reshape(-1);
            perTensorRaw = perTensorRaw is null ? term : perTensorRaw.add(term, One);
        }
        var trace = (fz * k.transpose(1, 2)).sum([1, 2]);
        var top = TopEigenvalue(fz, k);
        var (logP, logRest) = Categorical.PredictedLogProbabilities(z);
        var reduced = ReducedFromGram(z, k, logP, logRest);
        var safeG2 = g2.clamp_min(Hold(double.Epsilon));
        return new PerInputFisherResult(
            z.argmax(1).ToArray<long>(),
            p.max(1).values.ToArray<double>(),
            g2.ToArray<double>(),
            trace.ToArray<double>(),
            top.ToArray<double>(),
            (formRaw / safeG2).ToArray<double>(),
            formRaw.ToArray<double>(),
            (perTensorRaw! / safeG2).ToArray<double>(),
            perTensorRaw!.ToArray<double>(),
            reduced.ToArray<double>());
    }

    /// <summary>λ_max(F_z^½ K F_z^½), batched (the non-zero spectrum of F(x) is that of this C × C matrix).</summary>
    internal static Tensor TopEigenvalue(Tensor fz, Tensor k)
    {
        using var scope = NewDisposeScope();
        var (w, q) = linalg.eigh(fz);
        var sqrtW = w.clamp_min(Hold(0)).sqrt();
        var s = q.bmm(sqrtW.diag_embed()).bmm(q.transpose(1, 2));
        var m = s.bmm(k).bmm(s);
        m = m.add(m.transpose(1, 2), One) * Hold(0.5);
        var top = linalg.eigvalsh(m).select(1, -1);
        return scope.MoveToOuter(top);
    }

    /// <summary>p(1−p)·a′ᵀKa′ with a′ = (e_ŷ − p)/(1 − p): the stable form of p/(1−p)‖g‖².</summary>
    private static Tensor ReducedFromGram(Tensor z, Tensor k, Tensor logP, Tensor logRest)
    {
        using var scope = NewDisposeScope();
        var aPrime = ScaledPredictedGradient(z).unsqueeze(2);
        var q = aPrime.transpose(1, 2).bmm(k).bmm(aPrime).reshape(-1);
        return scope.MoveToOuter(logP.add(logRest, One).exp() * q);
    }

    /// <summary>
    /// a′ = (e_ŷ − p)/(1 − p_ŷ) = e_ŷ − q with q the softmax of the other classes' logits (0 at ŷ):
    /// bounded as p_ŷ → 1, unlike e_ŷ − p.
    /// </summary>
    internal static Tensor ScaledPredictedGradient(Tensor z)
    {
        using var scope = NewDisposeScope();
        var top = z.argmax(1, keepdim: true);
        var others = z.scatter(1, top, full_like(top, Hold(double.NegativeInfinity), dtype: z.dtype));
        var q = nn.functional.softmax(others, 1);
        var onehot = zeros_like(z).scatter(1, top, ones_like(top, dtype: z.dtype));
        return scope.MoveToOuter(onehot - q);
    }

    /// <summary>
    /// Only the reduced two-class Fisher p/(1−p)·‖g‖² (its trace, top eigenvalue and normalised form),
    /// per input: one backward pass per batch, the cheapest Fisher score.
    /// </summary>
    public double[] ReducedForm(Tensor inputs)
    {
        return [.. InBatches(inputs, x =>
        {
            using var gram = PerSampleGradients.Gram(_model, x, z =>
            {
                _distribution.Validate(z);
                return ScaledPredictedGradient(z).unsqueeze(0);
            });
            var z64 = gram.Output.to(ScalarType.Float64);
            var (logP, logRest) = Categorical.PredictedLogProbabilities(z64);
            var q = gram.Total().to(ScalarType.Float64).reshape(-1);
            return (logP.add(logRest, One).exp() * q).ToArray<double>();
        }).SelectMany(v => v)];
    }

    /// <summary>
    /// Only the Fisher form along each input's own gradient direction (normalised or raw, full or
    /// per-tensor), by the fast path (<see cref="PerSampleGradients.GradientJvp"/>): instead of the C
    /// backward passes behind <see cref="Compute"/>, one backward pass gives every layer's output
    /// gradient, hence each layer's output change along the input's own gradient, and these changes are
    /// carried to the network output to give J g. For a chain of familiar layers (nested Sequentials of
    /// Linear, Conv1d/Conv2d, batch norm in eval mode, ReLU, Tanh, Sigmoid, MaxPool2d, Flatten, Dropout,
    /// Identity; <c>SequentialTangents</c>) the backward pass is a plain one and the changes are
    /// pushed forward by hand (one push, or one per parameter tensor for <see cref="FormVariant.PerTensor"/>);
    /// any other network records the backward pass with create_graph and takes one double-backward pass
    /// (one per parameter tensor for PerTensor). Parameters of layers without a per-sample rule, or of a
    /// layer used twice, are handled by a per-input loop. Same values as <see cref="Compute"/>; use this
    /// when the form is the only score wanted.
    /// </summary>
    public double[] Form(Tensor inputs, FisherDirection direction = FisherDirection.NormalizedGradient, FormVariant variant = FormVariant.Full)
    {
        return [.. InBatches(inputs, x =>
        {
            // a′ = (e_ŷ − p)/(1 − p_ŷ) stays bounded as p_ŷ → 1; the raw form, quadratic in g, is rescaled by (1 − p_ŷ)² afterwards.
            using var r = PerSampleGradients.GradientJvp(_model, x, z =>
            {
                _distribution.Validate(z);
                return ScaledPredictedGradient(z);
            }, perTensor: variant == FormVariant.PerTensor);
            var z64 = r.Output.to(ScalarType.Float64);
            var fz = _distribution.OutputFisher(z64);
            Tensor Quadratic(Tensor jg) { var j = jg.to(ScalarType.Float64).unsqueeze(2); return j.transpose(1, 2).bmm(fz).bmm(j).reshape(-1); }
            var g2 = r.Entries.Select(e => e.squaredNorm.to(ScalarType.Float64)).Aggregate((a, b) => a.add(b, One));
            var form = variant == FormVariant.Full ? Quadratic(r.Total) : r.Entries.Select(e => Quadratic(e.jvp!)).Aggregate((a, b) => a.add(b, One));
            if (direction == FisherDirection.NormalizedGradient) form = form / g2.clamp_min(Hold(double.Epsilon));
            else form = form * (Categorical.PredictedLogProbabilities(z64).logRest * Hold(2)).exp();
            return form.ToArray<double>();
        }).SelectMany(v => v)];
    }

    /// <summary>
    /// vᵀF(x)v for one direction v shared by all inputs (e.g. a random or eigen direction), exact:
    /// (J v)ᵀ F_z (J v) with J v from a batched Jacobian-vector product. PerTensor sums the
    /// blocks v_tᵀF_tt v_t.
    /// </summary>
    public double[] Form(Tensor inputs, ParamVector direction, FormVariant variant = FormVariant.Full)
    {
        ArgumentNullException.ThrowIfNull(direction);
        direction.CheckMatches(_model, nameof(direction));
        using var mode = ModuleMode.Eval(_model);
        return [.. InBatches(inputs, x =>
        {
            Tensor? total = null;
            var pieces = variant == FormVariant.Full
                ? [direction]
                : direction.Names.Select(name => new ParamVector(direction.Entries.Select(e => (e.name, e.name == name ? e.value : zeros_like(e.value))))).ToList();
            foreach (var v in pieces)
            {
                var (z, jv) = Jacobian.Jvp(_model, x, v);
                _distribution.Validate(z.detach());
                var fz = _distribution.OutputFisher(z.detach().to(ScalarType.Float64));
                var j = jv.to(ScalarType.Float64).unsqueeze(2);
                var term = j.transpose(1, 2).bmm(fz).bmm(j).reshape(-1);
                total = total is null ? term : total.add(term, One);
            }
            return total!.ToArray<double>();
        }).SelectMany(v => v)];
    }

    /// <summary>
    /// The Fisher form by the central difference of the reference implementation, one input at a
    /// time: F_v(x) ≈ Σ_c [log p_c(θ+εv) − log p_c(θ−εv)]·[p_c(θ+εv) − p_c(θ−εv)] / (4ε²), with v from
    /// <paramref name="direction"/> (computed per input) or <paramref name="userDirection"/>. PerTensor
    /// perturbs one parameter tensor at a time and sums, as the reference code. The error is O(ε²).
    /// </summary>
    public double[] FormFiniteDifference(Tensor inputs, FisherDirection direction = FisherDirection.NormalizedGradient,
        FormVariant variant = FormVariant.Full, double epsilon = 1e-3, ParamVector? userDirection = null)
    {
        if (!(epsilon > 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "The finite-difference step must be positive.");
        userDirection?.CheckMatches(_model, nameof(userDirection));
        using var mode = ModuleMode.Eval(_model);
        var n = inputs.shape[0];
        var result = new double[n];
        var names = _model.named_parameters().Select(p => p.name).ToList();
        for (long i = 0; i < n; i++)
        {
            using var scope = NewDisposeScope();
            var x = inputs.narrow(0, i, 1);
            var v = userDirection ?? PredictedGradient(x, direction);
            var groups = variant == FormVariant.Full ? [names] : names.Select(nm => new List<string> { nm }).ToList();
            double sum = 0;
            foreach (var group in groups)
            {
                var plus = Perturbed(v, group, epsilon);
                var minus = Perturbed(v, group, -epsilon);
                Tensor zp, zm;
                using (no_grad())
                {
                    using (_model.WithParameterValues(plus)) zp = _model.call(x).to(ScalarType.Float64);
                    using (_model.WithParameterValues(minus)) zm = _model.call(x).to(ScalarType.Float64);
                }
                var lp = nn.functional.log_softmax(zp, 1);
                var lm = nn.functional.log_softmax(zm, 1);
                sum += ((lp - lm) * (lp.exp() - lm.exp())).sum().ToDouble() / (4 * epsilon * epsilon);
            }
            result[i] = sum;
        }
        return result;
    }

    /// <summary>g = ∇θ log p_ŷ(x) for a single input (normalised when asked), as a ParamVector.</summary>
    public ParamVector PredictedGradient(Tensor input, FisherDirection direction = FisherDirection.NormalizedGradient)
    {
        if (input.shape[0] != 1) throw new ArgumentException($"PredictedGradient takes one input (batch of 1), got shape {TensorChecks.Shape(input.shape)}.", nameof(input));
        using var mode = ModuleMode.Eval(_model);
        using var scope = NewDisposeScope();
        using var grad = enable_grad();
        var z = _model.call(input);
        _distribution.Validate(z.detach());
        var logp = nn.functional.log_softmax(z, 1);
        var top = logp.max(1).values.sum();
        var ps = _model.named_parameters().ToList();
        var gs = SafeAutograd.grad([top], ps.Select(p => (Tensor)p.parameter).ToList(), allow_unused: true);
        var g = new ParamVector(ps.Select((p, i) => (p.name, gs[i]?.detach() ?? zeros_like(p.parameter))));
        if (direction == FisherDirection.NormalizedGradient)
        {
            var norm = g.Norm();
            var unit = g.Scale(norm > 0 ? 1 / norm : 0);
            g.Dispose();
            g = unit;
        }
        foreach (var t in g.Tensors) scope.MoveToOuter(t);
        return g;
    }

    private Dictionary<string, Tensor> Perturbed(ParamVector v, List<string> group, double epsilon)
    {
        var d = new Dictionary<string, Tensor>();
        foreach (var (name, p) in _model.named_parameters())
            if (group.Contains(name)) d[name] = p.detach().add(v[name] * Hold(epsilon), One);
        return d;
    }

    /// <summary>
    /// What every Fisher computation needs of a model: parameters, all finite, and inputs that do not interact. A
    /// batch norm without running statistics (<c>track_running_stats: false</c>) normalises with the statistics of
    /// the batch even in evaluation mode, so an input's output, and its Fisher information, would depend on the
    /// other inputs of its batch.
    /// </summary>
    internal static void CheckModel(nn.Module model)
    {
        foreach (var (name, module) in model.NamedModulesWithSelf())
            if (module is TorchSharp.Modules.BatchNorm { running_mean: null } or TorchSharp.Modules.BatchNorm { running_var: null })
                throw new ArgumentException($"The batch norm '{name}' keeps no running statistics (track_running_stats: false): it normalises with the statistics of the batch even in evaluation mode, so the inputs of a batch would interact and no per-input Fisher information is defined. Build it with running statistics.", nameof(model));
        var ps = model.named_parameters().ToList();
        if (ps.Count == 0) throw new ArgumentException("The model has no parameters, so it has no Fisher information.", nameof(model));
        foreach (var (name, p) in ps)
        {
            using var finite = p.isfinite();
            using var all = finite.all();
            if (!all.item<bool>()) throw new ArgumentException($"Parameter \"{name}\" contains NaN or infinite values.", nameof(model));
        }
    }
}
