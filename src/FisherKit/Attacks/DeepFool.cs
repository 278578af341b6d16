using static TorchSharp.torch;

namespace FisherKit.Attacks;

/// <summary>
/// DeepFool, L2 version for multi-class classifiers (Moosavi-Dezfooli, Fawzi &amp; Frossard 2016). With
/// k̂ the class predicted for x and f the logits, each iteration linearises the classifier at x_i and
/// steps to the nearest linearised decision boundary:
/// <code>
/// w'_k = ∇f_k(x_i) − ∇f_k̂(x_i),   f'_k = f_k(x_i) − f_k̂(x_i)      (k among the candidate classes, k ≠ k̂)
/// l    = argmin_k |f'_k| / ‖w'_k‖₂
/// r_i  = (|f'_l| + 10⁻⁴) / ‖w'_l‖₂² · w'_l,    r = Σ r_i,    x_{i+1} = clip(x + (1 + overshoot) · r)
/// </code>
/// until the prediction leaves k̂ or <see cref="MaxIterations"/> is reached (as in the authors' code,
/// 10⁻⁴ is added to the step and the total perturbation is scaled by 1 + overshoot). The candidates
/// are the <see cref="Candidates"/> classes with the largest clean logits. For an affine classifier
/// the first step is the exact minimal L2 perturbation (scaled by 1 + overshoot). Unlike the original
/// method the iterate is clipped to the valid input range. Costs one backward pass per candidate
/// class and iteration.
/// </summary>
/// <param name="maxIterations">Largest number of linearisation steps (paper: 50).</param>
/// <param name="overshoot">Relative overshoot that pushes the result across the boundary (paper: 0.02).</param>
/// <param name="candidates">Number of classes, by clean logit, considered as targets (paper: 10).</param>
public sealed class DeepFool(int maxIterations = 50, double overshoot = 0.02, int candidates = 10) : Attack
{
    /// <summary>Largest number of iterations.</summary>
    public int MaxIterations { get; } = maxIterations >= 1 ? maxIterations : throw new ArgumentOutOfRangeException(nameof(maxIterations), maxIterations, "At least one iteration is needed.");

    /// <summary>The overshoot factor.</summary>
    public double Overshoot { get; } = overshoot >= 0 && double.IsFinite(overshoot) ? overshoot : throw new ArgumentOutOfRangeException(nameof(overshoot), overshoot, "The overshoot must be a finite value >= 0.");

    /// <summary>Number of candidate classes (the predicted one included).</summary>
    public int Candidates { get; } = candidates >= 2 ? candidates : throw new ArgumentOutOfRangeException(nameof(candidates), candidates, "At least two candidate classes are needed.");

    /// <inheritdoc />
    public override string Name => $"DeepFool(overshoot={F(Overshoot)}, ≤{MaxIterations} iterations)";

    /// <inheritdoc />
    protected override Tensor GenerateCore(nn.Module<Tensor, Tensor> model, Tensor inputs, Tensor labels)
    {
        using var scope = NewDisposeScope();
        long n = inputs.size(0);
        var unit = new long[inputs.ndim];
        Array.Fill(unit, 1L);
        unit[0] = n;
        Tensor classes, original;
        using (no_grad())
        {
            var logits0 = Logits(model, inputs);
            TensorLogits(logits0);
            int k = (int)Math.Min(Candidates, logits0.size(1));
            classes = logits0.topk(k, 1).indexes;     // (N, K); column 0 is the predicted class k̂
            original = classes[.., 0];
        }
        int kCount = (int)classes.size(1);
        var rTotal = zeros_like(inputs);
        var x = inputs.clone();
        for (int it = 0; it < MaxIterations; it++)
        {
            using var step = NewDisposeScope();
            var xg = x.detach().requires_grad_();
            Tensor logits;
            using (enable_grad()) logits = Logits(model, xg);
            var active = logits.detach().argmax(1).eq(original);
            if (!active.any().item<bool>()) break;
            // Gradients of the candidate logits, one backward pass per candidate column.
            var f = logits.detach().gather(1, classes);                          // (N, K)
            var grads = new Tensor[kCount];
            for (int j = 0; j < kCount; j++)
            {
                var fj = logits.gather(1, classes[.., j..(j + 1)]).sum();
                grads[j] = SafeAutograd.grad([fj], [xg], retain_graph: j < kCount - 1)[0]!;
            }
            var g0 = grads[0];
            Tensor? bestRatio = null, bestStep = null;
            for (int j = 1; j < kCount; j++)
            {
                var w = grads[j] - g0;                                           // w'_k
                var fk = (f[.., j] - f[.., 0]).abs();                            // |f'_k|
                var wn = SampleNorms(w, PerturbationNorm.L2).reshape(n).clamp_min(Hold(1e-12));
                var ratio = fk / wn;
                var r = w * (fk.add(Hold(1e-4), One) / wn.pow(Hold(2))).reshape(unit);
                if (bestRatio is null || bestStep is null)
                {
                    bestRatio = ratio;
                    bestStep = r;
                    continue;
                }
                var better = ratio < bestRatio;
                bestStep = where(better.reshape(unit), r, bestStep);
                bestRatio = where(better, ratio, bestRatio);
            }
            var newTotal = rTotal.add(bestStep! * active.reshape(unit).to(inputs.dtype), One);
            var next = Clip(inputs.add(newTotal * Hold(1 + Overshoot), One));
            var (previousTotal, previous) = (rTotal, x);
            rTotal = step.MoveToOuter(newTotal);
            x = step.MoveToOuter(next);
            previousTotal.Dispose();
            previous.Dispose();
        }
        return scope.MoveToOuter(x);
    }

    private static void TensorLogits(Tensor logits)
    {
        if (logits.ndim != 2 || logits.size(1) < 2)
            throw new InvalidOperationException($"DeepFool needs a classifier with logits (N, C), C >= 2; the model returned shape [{string.Join(", ", logits.shape)}].");
    }
}
