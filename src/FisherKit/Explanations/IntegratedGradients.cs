using static TorchSharp.torch;

namespace FisherKit.Explanations;

/// <summary>
/// Integrated gradients (Sundararajan, Taly &amp; Yan 2017): for a scalar function F of an input x and a baseline x′,
/// IG_i(x) = (x_i − x′_i) ∫₀¹ ∂_i F(x′ + α(x − x′)) dα, computed with the midpoint rule over <c>steps</c> points
/// α_k = (k + ½)/steps. Completeness, Σ_i IG_i = F(x) − F(x′), holds up to the quadrature's error (O(steps⁻²) for
/// a smooth F); <see cref="Result.CompletenessGap"/> reports it.
/// </summary>
/// <remarks>
/// The OMIG-style use for contrast-detail networks (Amanova, Martin &amp; Elster 2022; their exact definitions are not
/// public, so this is our reconstruction): F is the network's output projected onto a direction v of the output
/// curve, F_v(x) = v·ln ŷ(x) ("oriented"); the baseline is task-specific, e.g. the noise-free image of the same
/// device ("modified"); and F includes the resampling of the full-resolution image to the network's input, so the
/// attributions come out at full resolution (the resampling is linear, its adjoint carries them back).
/// </remarks>
/// <example>
/// <code>
/// var ig = IntegratedGradients.Attribute(x => (net.call(x) * v).sum(dim: 1), image, baseline, steps: 32);
/// // ig.Attributions: image's shape; ig.CompletenessGap: Σ IG − (F(x) − F(x′)) per sample
/// </code>
/// </example>
public static class IntegratedGradients
{
    /// <summary>Attributions, F(x), F(x′) and the completeness gap, per sample (first dimension).</summary>
    public sealed record Result(Tensor Attributions, double[] Output, double[] BaselineOutput, double[] CompletenessGap);

    /// <summary>
    /// Integrated gradients of <paramref name="function"/> (a batch [B, …] to one value per sample, [B]) at
    /// <paramref name="input"/> against <paramref name="baseline"/> (same shape), with <paramref name="steps"/> points,
    /// evaluated <paramref name="batch"/> path points at a time.
    /// </summary>
    public static Result Attribute(Func<Tensor, Tensor> function, Tensor input, Tensor baseline, int steps = 64, int batch = 16)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(baseline);
        if (!input.shape.SequenceEqual(baseline.shape))
            throw new ArgumentException($"The baseline's shape {TensorChecks.Shape(baseline.shape)} differs from the input's {TensorChecks.Shape(input.shape)}.", nameof(baseline));
        if (input.ndim < 1 || input.shape[0] < 1) throw new ArgumentException("The input needs a batch dimension with at least one sample.", nameof(input));
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "At least one step is needed.");
        if (batch < 1) throw new ArgumentOutOfRangeException(nameof(batch), batch, "The batch of path points must be positive.");
        using var scope = NewDisposeScope();
        long b = input.shape[0];
        var x = input.detach();
        var x0 = baseline.detach().to(x.dtype);
        var delta = x - x0;
        var sum = zeros_like(x);
        var rest = x.shape.Skip(1).ToArray();
        for (int start = 0; start < steps; start += batch)
        {
            using var inner = NewDisposeScope();
            int n = Math.Min(batch, steps - start);
            var alphas = arange(Hold(start), Hold(start + n), Hold(1), dtype: x.dtype).add(Hold(0.5), One) / Hold(steps);                           // [n]
            var shape = new long[] { n, 1 }.Concat(Enumerable.Repeat(1L, rest.Length)).ToArray();
            var path = x0.unsqueeze(0).add(alphas.view(shape) * delta.unsqueeze(0), One).reshape(new long[] { n * b }.Concat(rest).ToArray()).requires_grad_(true);
            var values = function(path);
            if (values.ndim != 1 || values.shape[0] != n * b)
                throw new ArgumentException($"The function must return one value per sample ([{n * b}]); it returned {TensorChecks.Shape(values.shape)}.", nameof(function));
            var g = SafeAutograd.grad(values.sum(), path);
            sum.add_(g.view(new long[] { n, b }.Concat(rest).ToArray()).sum(dim: 0), One);
        }
        var attributions = delta * sum / Hold(steps);
        double[] fx, fx0;
        using (no_grad())
        {
            fx = function(x).to(ScalarType.Float64).data<double>().ToArray();
            fx0 = function(x0).to(ScalarType.Float64).data<double>().ToArray();
        }
        var totals = attributions.reshape(b, -1).sum(dim: 1).to(ScalarType.Float64).data<double>().ToArray();
        var gap = Enumerable.Range(0, (int)b).Select(i => totals[i] - (fx[i] - fx0[i])).ToArray();
        return new Result(scope.MoveToOuter(attributions), fx, fx0, gap);
    }
}
