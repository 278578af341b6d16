using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Fisher.Likelihoods;

/// <summary>How a heteroscedastic head's second output s maps to the variance σ².</summary>
public enum VarianceLink
{
    /// <summary>σ² = exp(s): s is the log-variance.</summary>
    LogVariance,
    /// <summary>σ² = softplus(s) + minimum variance.</summary>
    Softplus,
}

/// <summary>
/// Regression with a learned variance: the network outputs 2D values per input, the means
/// μ (first D) and variance parameters s (last D), y ~ N(μ, diag σ²(s)). With respect to (μ, s) the
/// output-space Fisher is diagonal: 1/σ² for each mean and (dσ²/ds)²/(2σ⁴) for each s, which is ½
/// for the log-variance link. The GGN differs here: the Hessian of −log p in s depends on the
/// residual, so <see cref="OutputHessian"/> is not the Fisher (and may be indefinite).
/// </summary>
public sealed class HeteroscedasticGaussian(VarianceLink link = VarianceLink.LogVariance, double minimumVariance = 1e-6) : PredictiveDistribution
{
    /// <summary>The variance parameterisation.</summary>
    public VarianceLink Link { get; } = link;

    /// <summary>Added to softplus(s) (Softplus link only).</summary>
    public double MinimumVariance { get; } = minimumVariance > 0 ? minimumVariance : throw new ArgumentOutOfRangeException(nameof(minimumVariance), minimumVariance, "must be positive");

    /// <inheritdoc />
    public override string Name => $"HeteroscedasticGaussian({Link})";

    /// <inheritdoc />
    public override void Validate(Tensor output)
    {
        base.Validate(output);
        if (output.shape[1] % 2 != 0)
            throw new ArgumentException($"A heteroscedastic Gaussian needs an even number of outputs (D means, then D variance parameters), the network outputs {output.shape[1]}.", nameof(output));
    }

    /// <summary>Splits outputs into means μ (N, D) and variances σ² (N, D).</summary>
    public (Tensor mean, Tensor variance) Split(Tensor output)
    {
        using var scope = NewDisposeScope();
        var d = output.shape[1] / 2;
        var mu = output.narrow(1, 0, d);
        var s = output.narrow(1, d, d);
        var v = Link == VarianceLink.LogVariance ? s.exp() : Softplus(s).add(Hold(MinimumVariance), One);
        return (scope.MoveToOuter(mu), scope.MoveToOuter(v));
    }

    /// <summary>dσ²/ds for the link.</summary>
    private Tensor VarianceDerivative(Tensor s) => Link == VarianceLink.LogVariance ? s.exp() : s.sigmoid();

    /// <inheritdoc />
    public override Tensor OutputFisher(Tensor output)
    {
        using var scope = NewDisposeScope();
        var d = output.shape[1] / 2;
        var (_, v) = Split(output);
        var dv = VarianceDerivative(output.narrow(1, d, d));
        var diag = cat([v.reciprocal(), dv.pow(Hold(2)) / (v.pow(Hold(2)) * Hold(2.0))], 1);
        return scope.MoveToOuter(diag.diag_embed());
    }

    /// <inheritdoc />
    public override Tensor LogLikelihood(Tensor output, Tensor target)
    {
        using var scope = NewDisposeScope();
        var (mu, v) = Split(output);
        var r = target.reshape(mu.shape) - mu;
        var ll = ((r.pow(Hold(2)) / v).add(v.log(), One) * Hold(-0.5) - Hold(0.5 * Math.Log(2 * Math.PI))).sum(1);
        return scope.MoveToOuter(ll);
    }

    /// <inheritdoc />
    public override Tensor Sample(Tensor output, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var (mu, v) = Split(output.detach());
        return scope.MoveToOuter(mu.add(randn(mu.shape, dtype: mu.dtype, device: mu.device, generator: generator) * v.sqrt(), One));
    }

    /// <summary>
    /// Hessian of −log p in (μ, s) at the targets, computed by automatic differentiation of the
    /// negative log-likelihood (exact for either link).
    /// </summary>
    public override Tensor OutputHessian(Tensor output, Tensor target)
    {
        using var scope = NewDisposeScope();
        var f = output.detach().clone().requires_grad_();
        var nll = LogLikelihood(f, target).neg().sum();
        var g = SafeAutograd.grad([nll], [f], create_graph: true)[0]!;
        var c = f.shape[1];
        var rows = new List<Tensor>();
        for (long j = 0; j < c; j++)
        {
            var gj = g.select(1, j).sum();
            rows.Add(SafeAutograd.grad([gj], [f], retain_graph: true)[0]!.detach());
        }
        return scope.MoveToOuter(stack(rows, 1));
    }
}
