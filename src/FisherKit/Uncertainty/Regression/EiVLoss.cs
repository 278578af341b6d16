using FisherKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Uncertainty.Regression;

/// <summary>
/// The errors-in-variables loss of a <see cref="RegressionNetwork"/> (Martin &amp; Elster 2022, in the regression
/// form of <c>shared/research/uncertainty.md</c> §1.4): for outputs F [B, K] at K noisy copies of each input,
/// <c>ℓ_i = −[logsumexp_k(−(y_i − F_ik)²/(2σ_y²)) − log K] + log σ_y + ½ log 2π</c>, the negative log of the mean
/// Gaussian likelihood over the K draws, averaged over the batch. With K = 1 it is the Gaussian negative
/// log-likelihood (with its constant), which is what the non-EiV networks (MC dropout, ensemble members) train with.
/// </summary>
public sealed class EiVLoss : TrainingLoss
{
    private readonly RegressionNetwork _network;

    /// <summary>The loss of <paramref name="network"/> (its σ_y).</summary>
    public EiVLoss(RegressionNetwork network)
    {
        _network = network ?? throw new ArgumentNullException(nameof(network));
    }

    /// <inheritdoc />
    public override string Name => _network.Options.IsErrorsInVariables || _network.Options.InputDraws > 1 ? "EiV negative log-likelihood" : "Gaussian negative log-likelihood";

    /// <inheritdoc />
    public override void Check(TorchSharp.torch.nn.Module model, Tensor output, TrainingBatch batch)
    {
        if (output.ndim != 2 || output.shape[0] != batch.Targets.shape[0])
            throw new ArgumentException($"The network returned {TensorChecks.Shape(output.shape)} for {batch.Targets.shape[0]} targets; expected [B, K].", nameof(model));
    }

    /// <summary>The per-example losses ℓ_i [B] of outputs F [B, K] for targets y [B] (or [B, 1]) and log σ_y (a scalar tensor).</summary>
    public static Tensor PerExample(Tensor outputs, Tensor targets, Tensor logSigma)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(logSigma);
        if (outputs.ndim != 2) throw new ArgumentException($"The outputs must be [B, K], got {TensorChecks.Shape(outputs.shape)}.", nameof(outputs));
        if (targets.numel() != outputs.shape[0]) throw new ArgumentException($"{targets.numel()} targets for outputs {TensorChecks.Shape(outputs.shape)}.", nameof(targets));
        using var scope = NewDisposeScope();
        long k = outputs.shape[1];
        var y = targets.reshape(-1, 1).to(outputs.dtype);
        var ls = logSigma.reshape(1).to(outputs.dtype);
        var logLik = (y - outputs).pow(Hold(2)) * Hold(-0.5) * (ls * Hold(-2)).exp();             // −(y − F)²/(2σ²)
        var loss = (-(logLik.logsumexp(1) - Hold(Math.Log(k)))).add(ls, One).add(Hold(0.5 * Math.Log(2 * Math.PI)), One);
        return scope.MoveToOuter(loss);
    }

    /// <inheritdoc />
    public override BatchLoss Compute(Tensor output, TrainingBatch batch, bool warmUp)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var l = PerExample(output, batch.Targets, _network.LogNoise).mean();
        return new BatchLoss(l, l);
    }

    /// <inheritdoc />
    public override (double Sum, long Correct) Evaluate(Tensor output, TrainingBatch batch, bool warmUp)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using var l = PerExample(output, batch.Targets, _network.LogNoise);
        using var s = l.sum();
        return (s.ToDouble(), 0);
    }
}
