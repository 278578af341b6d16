using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Fisher.Likelihoods;

/// <summary>
/// Regression with fixed noise: y ~ N(f(x), σ² I), the network outputs the mean f ∈ ℝ^D.
/// Output-space Fisher F_f = I/σ² (independent of x and y), so F(x) = JᵀJ/σ² and the GGN of the
/// squared error equals the Fisher.
/// </summary>
public sealed class Gaussian : PredictiveDistribution
{
    /// <summary>Creates the model with noise standard deviation <paramref name="sigma"/>.</summary>
    public Gaussian(double sigma = 1)
    {
        if (!(sigma > 0) || double.IsInfinity(sigma)) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "The noise standard deviation must be positive and finite.");
        Sigma = sigma;
    }

    /// <summary>Noise standard deviation σ.</summary>
    public double Sigma { get; }

    /// <inheritdoc />
    public override string Name => $"Gaussian(σ={Sigma:G4})";

    /// <inheritdoc />
    public override Tensor OutputFisher(Tensor output)
    {
        using var scope = NewDisposeScope();
        var (n, d) = (output.shape[0], output.shape[1]);
        var f = eye(d, dtype: output.dtype, device: output.device).mul(Hold(1.0 / (Sigma * Sigma))).expand(n, d, d).contiguous();
        return scope.MoveToOuter(f);
    }

    /// <inheritdoc />
    public override Tensor LogLikelihood(Tensor output, Tensor target)
    {
        using var scope = NewDisposeScope();
        var r = output - target.reshape(output.shape);
        var d = output.shape[1];
        var ll = r.pow(Hold(2)).sum(1) * Hold(-0.5 / (Sigma * Sigma)) - Hold(d * (Math.Log(Sigma) + 0.5 * Math.Log(2 * Math.PI)));
        return scope.MoveToOuter(ll);
    }

    /// <inheritdoc />
    public override Tensor Sample(Tensor output, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var y = output.detach().add(randn(output.shape, dtype: output.dtype, device: output.device, generator: generator) * Hold(Sigma), One);
        return scope.MoveToOuter(y);
    }

    /// <inheritdoc />
    public override Tensor OutputHessian(Tensor output, Tensor target) => OutputFisher(output);
}
