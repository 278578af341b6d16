using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Fisher.Likelihoods;

/// <summary>
/// Softmax classifier: the network outputs logits z ∈ ℝ^C (log-softmax outputs work too, since
/// softmax is invariant to adding a constant) and p = softmax(z). Output-space Fisher
/// F_z = diag(p) − p pᵀ; the parameter-space Fisher per input is
/// F(x) = Σ_c p_c ∇θ log p_c ∇θ log p_cᵀ = Jᵀ (diag p − p pᵀ) J.
/// </summary>
public sealed class Categorical : PredictiveDistribution
{
    /// <inheritdoc />
    public override string Name => "Categorical";

    /// <summary>Also rejects a single output column and rows that already are probabilities.</summary>
    public override void Validate(Tensor output)
    {
        base.Validate(output);
        if (output.shape[1] < 2) throw new ArgumentException($"A categorical model needs at least 2 classes, the network outputs {output.shape[1]} value(s) per input.", nameof(output));
        using var scope = NewDisposeScope();
        // Probabilities (non-negative rows summing to 1) passed as logits would silently give a different model.
        var nonNeg = output.ge(Hold(0)).all().item<bool>();
        if (nonNeg)
        {
            var rowSums = output.sum(1);
            if ((rowSums - Hold(1.0)).abs().max().ToDouble() < 1e-5)
                throw new ArgumentException("The network output looks like probabilities (non-negative rows summing to 1). The categorical model expects logits or log-probabilities: remove the final softmax.", nameof(output));
        }
    }

    /// <inheritdoc />
    public override Tensor OutputFisher(Tensor output)
    {
        using var scope = NewDisposeScope();
        var p = nn.functional.softmax(output, 1);
        var f = p.diag_embed() - p.unsqueeze(2) * p.unsqueeze(1);
        return scope.MoveToOuter(f);
    }

    /// <inheritdoc />
    public override Tensor LogLikelihood(Tensor output, Tensor target)
    {
        using var scope = NewDisposeScope();
        var logp = nn.functional.log_softmax(output, 1);
        var ll = logp.gather(1, target.reshape(-1, 1)).squeeze(1);
        return scope.MoveToOuter(ll);
    }

    /// <inheritdoc />
    public override Tensor Sample(Tensor output, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var p = nn.functional.softmax(output.detach(), 1);
        return scope.MoveToOuter(multinomial(p, 1, true, generator).squeeze(1));
    }

    /// <inheritdoc />
    public override Tensor OutputHessian(Tensor output, Tensor target) => OutputFisher(output);

    /// <inheritdoc />
    public override Tensor PredictedLogLikelihoodGradient(Tensor output)
    {
        using var scope = NewDisposeScope();
        var p = nn.functional.softmax(output, 1);
        var onehot = nn.functional.one_hot(output.argmax(1), output.shape[1]).to(output.dtype);
        return scope.MoveToOuter(onehot - p);
    }

    /// <inheritdoc />
    public override Tensor PredictedProbability(Tensor output)
    {
        using var scope = NewDisposeScope();
        var p = nn.functional.softmax(output, 1);
        return scope.MoveToOuter(p.max(1).values);
    }

    /// <summary>log p_ŷ and log(1 − p_ŷ) per input, computed stably (log1p and logsumexp of the other logits).</summary>
    public static (Tensor logP, Tensor logRest) PredictedLogProbabilities(Tensor output)
    {
        using var scope = NewDisposeScope();
        var logp = nn.functional.log_softmax(output, 1);
        var top = output.argmax(1, keepdim: true);
        var logTop = logp.gather(1, top).squeeze(1);
        // log(1 - p_ŷ) = logsumexp of the other classes' log-probabilities: no cancellation as p_ŷ → 1.
        var masked = logp.scatter(1, top, full_like(top, Hold(double.NegativeInfinity), dtype: logp.dtype));
        var logRest = masked.logsumexp(1);
        return (scope.MoveToOuter(logTop), scope.MoveToOuter(logRest));
    }
}
