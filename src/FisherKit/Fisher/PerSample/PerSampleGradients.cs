using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Fisher.PerSample;

/// <summary>
/// Per-sample gradients, their norms and their Gram matrices, for a whole batch at once.
/// <para>
/// For K objectives per input, given as output cotangents u_{n,k} (the gradient of objective k of
/// input n with respect to the network output f(x_n)), the per-sample gradient is
/// g_{n,k} = J_nᵀ u_{n,k} with J_n = ∂f(x_n)/∂θ. Linear, Conv1d, Conv2d (groups = 1) and BatchNorm
/// (eval mode) layers get them from one backward pass per objective through the identity
/// "per-sample weight gradient = output gradient × input" (no batch-size-1 loop, and for Linear
/// layers not even the out×in gradients are formed when only Gram matrices are asked for). Any other
/// parameter falls back to a per-sample loop, so every module works.
/// </para>
/// <para>
/// Inputs must not interact inside the model (the model runs in eval mode here, so batch
/// normalisation uses running statistics and dropout is off; the previous mode is restored).
/// </para>
/// </summary>
public static class PerSampleGradients
{
    /// <summary>
    /// Gram matrices G_{n,kl} = ⟨g_{n,k}, g_{n,l}⟩ of K per-sample gradients, per parameter tensor.
    /// <paramref name="cotangents"/> maps the batch output (N, C) to K cotangents stacked as (K, N, C).
    /// </summary>
    public static GramResult Gram(nn.Module<Tensor, Tensor> model, Tensor input, Func<Tensor, Tensor> cotangents) =>
        Run(model, input, cotangents, gram: true);

    /// <summary>The Gram matrices of the output Jacobian rows: K_n = J_n J_nᵀ (C × C) per parameter tensor (the per-sample tangent kernel).</summary>
    public static GramResult OutputGram(nn.Module<Tensor, Tensor> model, Tensor input) =>
        Run(model, input, IdentityCotangents, gram: true);

    /// <summary>
    /// Per-sample gradients of the objectives, as one (K, N, parameter shape...) tensor per
    /// parameter (K = 1 for a single objective).
    /// </summary>
    public static GramResult Gradients(nn.Module<Tensor, Tensor> model, Tensor input, Func<Tensor, Tensor> cotangents) =>
        Run(model, input, cotangents, gram: false);

    /// <summary>
    /// Per-sample gradients of a per-sample objective ℓ_n = objective(output)_n, e.g. the
    /// log-likelihood of each input's label: one (N, parameter shape...) tensor per parameter.
    /// </summary>
    public static ParamVector OfObjective(nn.Module<Tensor, Tensor> model, Tensor input, Func<Tensor, Tensor> objective)
    {
        using var result = Gradients(model, input, out_ => ObjectiveCotangent(out_, objective));
        return new ParamVector(result.Names.Select(n => (n, result[n].squeeze(0))));
    }

    /// <summary>Squared norms ‖g_n‖² of the per-sample gradients of a per-sample objective, (N); no per-sample Linear gradients are formed.</summary>
    public static Tensor SquaredNorms(nn.Module<Tensor, Tensor> model, Tensor input, Func<Tensor, Tensor> objective)
    {
        using var result = Gram(model, input, out_ => ObjectiveCotangent(out_, objective));
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(result.Total().reshape(-1));
    }

    /// <summary>
    /// For one output cotangent per input (N, C), e.g. ∇_f log p_ŷ = e_ŷ − p: each input's own gradient
    /// g_n = J_nᵀ u_n, the Jacobian-vector product J_n g_n (N, C), and ‖g_{n,t}‖² (N) per parameter
    /// tensor t (with <paramref name="perTensor"/> also J_{n,t} g_{n,t}). One backward pass recorded with
    /// create_graph gives every layer's output gradient b(u) (linear in u); the change of each layer's
    /// output along the sample's own gradient, c = ∂out/∂θ·g, then goes to the network output by one
    /// double-backward pass of ⟨b(u), c⟩ with respect to u. No per-input loop and no C backward
    /// passes are needed. Parameters without a fast rule (and modules called more than once) use a
    /// per-input loop.
    /// </summary>
    /// <param name="model">The network (outputs (N, C)).</param>
    /// <param name="input">A batch of inputs.</param>
    /// <param name="cotangent">Maps the batch output to one cotangent per input, (N, C).</param>
    /// <param name="perTensor">Also return J_t g_t for each parameter tensor (one double-backward pass each); otherwise only their sum J g (one pass).</param>
    public static GradientJvpResult GradientJvp(nn.Module<Tensor, Tensor> model, Tensor input, Func<Tensor, Tensor> cotangent, bool perTensor = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(input);
        using var mode = ModuleMode.Eval(model);
        using var capture = new LayerCapture(model);
        using var grad = enable_grad();
        var jvps = new Dictionary<string, Tensor>();
        var norms = new Dictionary<string, Tensor>();
        var chain = SequentialTangents.For(model);                             // after ModuleMode.Eval: batch normalisation is in eval mode
        Tensor output, totalJvp;
        using (var scope = NewDisposeScope())
        {
            var values = chain?.Forward(input);
            var z = values is null ? model.call(input) : values[^1];
            if (z.ndim != 2) throw new ArgumentException($"Per-sample gradients need network outputs of shape (N, C), got {TensorChecks.Shape(z.shape)}.", nameof(model));
            capture.Detach();
            var u = cotangent(z.detach());
            if (!u.shape.SequenceEqual(z.shape)) throw new ArgumentException($"The cotangent must have the output's shape {TensorChecks.Shape(z.shape)}, got {TensorChecks.Shape(u.shape)}.");
            var shared = capture.Records.GroupBy(r => r.Prefix).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
            var records = capture.Records.Where(r => !shared.Contains(r.Prefix)).ToList();
            var fallback = capture.Fallback.Concat(capture.Records.Where(r => shared.Contains(r.Prefix))
                .SelectMany(r => r.Module.named_parameters(recurse: false).Select(p => r.Prefix.Length == 0 ? p.name : $"{r.Prefix}.{p.name}"))).Distinct().ToList();
            Tensor? total = null;
            if (records.Count > 0 && chain is not null && fallback.Count == 0)
                total = ChainJvp(chain, values!, z, u, records, perTensor, jvps, norms);
            else if (records.Count > 0)
            {
                var outs = records.Select(r => r.Output).ToList();
                // b(u) at u = the cotangent, recorded with create_graph: its values are the layers' output
                // gradients, and, being linear in u, its graph gives the Jacobian-vector products below.
                var du = u.detach().clone().requires_grad_();
                var bu = SafeAutograd.grad([z], outs, [du], retain_graph: true, create_graph: true, allow_unused: true);
                Tensor? s = null;
                for (int r = 0; r < records.Count; r++)
                {
                    foreach (var (full, tangent, norm) in LayerTerms(records[r], bu[r]?.detach()))
                    {
                        norms[full] = norm;
                        if (bu[r] is null) { if (perTensor) jvps[full] = zeros_like(z); continue; }
                        var term = (bu[r]! * tangent).sum();
                        if (perTensor) jvps[full] = SafeAutograd.grad([term], [du], retain_graph: true, allow_unused: true)[0]?.detach() ?? zeros_like(z);
                        else s = s is null ? term : s.add(term, One);
                    }
                }
                if (perTensor) total = jvps.Values.Aggregate((a, c) => a.add(c, One));
                else if (s is not null) total = SafeAutograd.grad([s], [du], retain_graph: true, allow_unused: true)[0]?.detach();
            }
            total ??= zeros_like(z);
            if (fallback.Count > 0)
            {
                var fallbackJvps = new Dictionary<string, Tensor>();
                FallbackJvp(model, input, u, fallback, fallbackJvps, norms);
                foreach (var (name, j) in fallbackJvps)
                {
                    total = total.add(j, One);
                    if (perTensor) jvps[name] = j;
                }
            }
            foreach (var t in jvps.Values.Concat(norms.Values)) scope.MoveToOuter(t);
            totalJvp = scope.MoveToOuter(total);
            output = scope.MoveToOuter(z.detach());
        }
        var order = model.named_parameters().Select(p => p.name).Where(norms.ContainsKey).ToList();
        return new GradientJvpResult(output, totalJvp, order.Select(n => (n, jvps.GetValueOrDefault(n), norms[n])).ToList());
    }

    /// <summary>
    /// <see cref="GradientJvp"/> for a chain of familiar layers: one plain backward pass gives every
    /// layer's output gradient, and the output changes c = ∂out/∂θ·g are pushed forward through the
    /// chain by hand (<see cref="SequentialTangents"/>) instead of by a double-backward pass.
    /// </summary>
    private static Tensor ChainJvp(SequentialTangents chain, List<Tensor> values, Tensor z, Tensor u, List<LayerCapture.Record> records, bool perTensor,
                                   Dictionary<string, Tensor> jvps, Dictionary<string, Tensor> norms)
    {
        var bu = SafeAutograd.grad([z], records.Select(r => r.Output).ToList(), [u.detach()], allow_unused: true);
        using var noGrad = no_grad();
        var injected = new Dictionary<int, Tensor>();
        for (int r = 0; r < records.Count; r++)
        {
            var layer = chain.IndexOf(records[r].Module);
            foreach (var (full, tangent, norm) in LayerTerms(records[r], bu[r]))
            {
                norms[full] = norm;
                if (perTensor) jvps[full] = chain.Push(values, new Dictionary<int, Tensor> { [layer] = tangent });
                else injected[layer] = injected.TryGetValue(layer, out var acc) ? acc.add(tangent, One) : tangent;
            }
        }
        return perTensor ? jvps.Values.Aggregate((a, c) => a.add(c, One)) : chain.Push(values, injected);
    }

    /// <summary>
    /// For each parameter of a recorded layer: its full name, the layer's output change along each
    /// sample's own gradient of that parameter, and the gradient's squared norm (N), given the
    /// layer's output gradient (null: unused, so zero).
    /// </summary>
    private static IEnumerable<(string Name, Tensor Tangent, Tensor SquaredNorm)> LayerTerms(LayerCapture.Record rec, Tensor? outputGradient)
    {
        var local = rec.Module.named_parameters(recurse: false).ToList();
        var names = local.Select(p => p.name).ToList();
        var b = (outputGradient ?? zeros_like(rec.Output)).unsqueeze(0);
        var (tangents, grams) = rec.Rule.TangentsAndGrams(rec.Input, b, names, local.ToDictionary(p => p.name, p => p.parameter.shape));
        return names.Select(n => (rec.Prefix.Length == 0 ? n : $"{rec.Prefix}.{n}", tangents[n], grams[n].reshape(-1)));
    }

    private static void FallbackJvp(nn.Module<Tensor, Tensor> model, Tensor input, Tensor u, List<string> names, Dictionary<string, Tensor> jvps, Dictionary<string, Tensor> norms)
    {
        var all = model.named_parameters().ToList();
        var ps = names.Select(n => (Tensor)all.First(p => p.name == n).parameter).ToList();
        var perName = names.ToDictionary(n => n, _ => (jvp: new List<Tensor>(), norm: new List<Tensor>()));
        for (long i = 0; i < input.shape[0]; i++)
        {
            using var s = NewDisposeScope();
            var xi = input.narrow(0, i, 1);
            var zi = model.call(xi);
            var gs = SafeAutograd.grad([zi], ps, [u.narrow(0, i, 1)], allow_unused: true);
            for (int k = 0; k < names.Count; k++)
            {
                var g = gs[k] ?? zeros_like(ps[k]);
                using var direction = new ParamVector(all.Select(p => (p.name, p.name == names[k] ? g : zeros_like(p.parameter))));
                var (_, jv) = Jacobian.Jvp(model, xi, direction);
                perName[names[k]].jvp.Add(s.MoveToOuter(jv));
                perName[names[k]].norm.Add(s.MoveToOuter(g.pow(Hold(2)).sum().reshape(1)));
            }
        }
        foreach (var (name, (jvp, norm)) in perName)
        {
            jvps[name] = cat(jvp, 0);
            norms[name] = cat(norm, 0);
            foreach (var t in jvp.Concat(norm)) t.Dispose();
        }
    }

    /// <summary>(C, N, C): the unit cotangents e_1..e_C for every input.</summary>
    internal static Tensor IdentityCotangents(Tensor output)
    {
        using var scope = NewDisposeScope();
        var (n, c) = (output.shape[0], output.shape[1]);
        var e = eye(c, dtype: output.dtype, device: output.device).unsqueeze(1).expand(c, n, c).contiguous();
        return scope.MoveToOuter(e);
    }

    private static Tensor ObjectiveCotangent(Tensor output, Func<Tensor, Tensor> objective)
    {
        using var scope = NewDisposeScope();
        var f = output.detach().requires_grad_();
        var values = objective(f);
        if (values.ndim != 1 || values.shape[0] != output.shape[0])
            throw new ArgumentException($"The per-sample objective must return one value per input (shape [{output.shape[0]}]), got {TensorChecks.Shape(values.shape)}.");
        var u = SafeAutograd.grad([values.sum()], [f])[0]!;
        return scope.MoveToOuter(u.unsqueeze(0));
    }

    private static GramResult Run(nn.Module<Tensor, Tensor> model, Tensor input, Func<Tensor, Tensor> cotangents, bool gram)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(input);
        if (input.ndim < 1 || input.shape[0] < 1) throw new ArgumentException($"The input needs a batch dimension with at least one input, got shape {TensorChecks.Shape(input.shape)}.", nameof(input));
        using var mode = ModuleMode.Eval(model);
        using var capture = new LayerCapture(model);
        using var grad = enable_grad();
        var results = new Dictionary<string, Tensor>();
        Tensor output;
        // A chain of familiar layers runs layer by layer, with FisherKit's max pooling (SequentialTangents.Forward).
        var chain = SequentialTangents.For(model);
        using (var scope = NewDisposeScope())
        {
            var z = chain is null ? model.call(input) : chain.Forward(input)[^1];
            if (z.ndim != 2) throw new ArgumentException($"Per-sample gradients need network outputs of shape (N, C), got {TensorChecks.Shape(z.shape)}.", nameof(model));
            capture.Detach();
            var u = cotangents(z.detach());
            var k = u.shape[0];
            if (u.ndim != 3 || u.shape[1] != z.shape[0] || u.shape[2] != z.shape[1])
                throw new ArgumentException($"Cotangents must have shape (K, {z.shape[0]}, {z.shape[1]}), got {TensorChecks.Shape(u.shape)}.");
            var records = capture.Records;
            if (records.Count > 0)
            {
                // One backward pass per objective gives the output gradients of every recorded layer.
                var perRecord = records.Select(_ => new List<Tensor>()).ToList();
                var outs = records.Select(r => r.Output).ToList();
                for (long i = 0; i < k; i++)
                {
                    var bs = SafeAutograd.grad([z], outs, [u.select(0, i)], retain_graph: true, allow_unused: true);
                    for (int r = 0; r < records.Count; r++) perRecord[r].Add(bs[r] ?? zeros_like(records[r].Output));
                }
                // Sum contributions of modules used more than once (weight sharing).
                foreach (var group in records.Select((r, i) => (r, i)).GroupBy(t => t.r.Prefix))
                {
                    Dictionary<string, Tensor>? acc = null;
                    foreach (var (rec, i) in group)
                    {
                        var b = stack(perRecord[i], 0);
                        var names = rec.Module.named_parameters(recurse: false).Select(p => p.name).ToList();
                        var shapes = rec.Module.named_parameters(recurse: false).ToDictionary(p => p.name, p => p.parameter.shape);
                        var part = group.Count() == 1 && gram ? rec.Rule.Gram(rec.Input, b, names, shapes) : rec.Rule.Gradients(rec.Input, b, names, shapes);
                        acc = acc is null ? part : acc.ToDictionary(kv => kv.Key, kv => kv.Value.add(part[kv.Key], One));
                    }
                    foreach (var (local, t) in acc!)
                    {
                        var full = group.Key.Length == 0 ? local : $"{group.Key}.{local}";
                        results[full] = group.Count() > 1 && gram ? GramOf(t) : t;
                    }
                }
            }
            if (capture.Fallback.Count > 0) FallbackLoop(model, input, u, capture.Fallback, gram, results);
            foreach (var t in results.Values) scope.MoveToOuter(t);
            output = scope.MoveToOuter(z.detach());
        }
        var order = model.named_parameters().Select(p => p.name).Where(results.ContainsKey).ToList();
        return new GramResult(output, order.Select(n => (n, results[n])).ToList(), capture.Fallback, gram);
    }

    private static Tensor GramOf(Tensor g)
    {
        using var scope = NewDisposeScope();
        var flat = g.flatten(2);
        return scope.MoveToOuter(einsum("knp,lnp->nkl", flat, flat));
    }

    /// <summary>Per-sample gradients by a loop over inputs, for parameters without a fast rule.</summary>
    private static void FallbackLoop(nn.Module<Tensor, Tensor> model, Tensor input, Tensor u, IReadOnlyList<string> names, bool gram, Dictionary<string, Tensor> results)
    {
        var byName = model.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        var ps = names.Select(n => byName[n]).ToList();
        var n = input.shape[0];
        var k = u.shape[0];
        var perParam = names.Select(_ => new List<Tensor>()).ToList();   // entries (K, param shape) per input
        for (long i = 0; i < n; i++)
        {
            using var s = NewDisposeScope();
            var zi = model.call(input.narrow(0, i, 1));
            var perK = names.Select(_ => new List<Tensor>()).ToList();
            for (long j = 0; j < k; j++)
            {
                var gs = SafeAutograd.grad([zi], ps, [u.select(0, j).narrow(0, i, 1)], retain_graph: true, allow_unused: true);
                for (int p = 0; p < ps.Count; p++) perK[p].Add(gs[p] ?? zeros_like(ps[p]));
            }
            for (int p = 0; p < ps.Count; p++) perParam[p].Add(s.MoveToOuter(stack(perK[p], 0)));
        }
        for (int p = 0; p < ps.Count; p++)
        {
            var g = stack(perParam[p], 1);      // (K, N, shape...)
            foreach (var t in perParam[p]) t.Dispose();
            results[names[p]] = gram ? GramOf(g) : g;
        }
    }
}
