using TorchSharp;
using static TorchSharp.torch;

namespace FisherKit.Fisher.Likelihoods;

/// <summary>
/// The model of the predictive distribution p(y | f(x)) that a network's output f parameterises.
/// It fixes the Fisher information in output space, F_f(x) = E_{y~p(y|f)}[∇_f log p ∇_f log pᵀ],
/// from which the Fisher in parameter space follows as F(x) = Jᵀ F_f J with J = ∂f/∂θ.
/// Outputs are (N, C): one row per input.
/// </summary>
public abstract class PredictiveDistribution
{
    /// <summary>A short name for messages and tables.</summary>
    public abstract string Name { get; }

    /// <summary>Checks that a batch of outputs can parameterise this distribution; throws ArgumentException naming the problem.</summary>
    public virtual void Validate(Tensor output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (output.ndim != 2)
            throw new ArgumentException($"{Name} expects network outputs of shape (N, C), got {TensorChecks.Shape(output.shape)}. Flatten the outputs or use a dataset-level operator.", nameof(output));
        using var finite = output.isfinite();
        using var all = finite.all();
        if (!all.item<bool>()) throw new ArgumentException($"{Name}: the network output contains NaN or infinite values (check the parameters and inputs).", nameof(output));
    }

    /// <summary>The output-space Fisher F_f per input, shape (N, C, C), symmetric positive semi-definite.</summary>
    public abstract Tensor OutputFisher(Tensor output);

    /// <summary>log p(y | f) per input, shape (N); differentiable in <paramref name="output"/>.</summary>
    public abstract Tensor LogLikelihood(Tensor output, Tensor target);

    /// <summary>Draws targets y ~ p(y | f), one per input.</summary>
    public abstract Tensor Sample(Tensor output, Generator? generator = null);

    /// <summary>
    /// Hessian of −log p(y | f) with respect to f at the given targets, (N, C, C): the middle factor of
    /// the generalised Gauss-Newton matrix. Equal to <see cref="OutputFisher"/> (for every y) when f are
    /// natural parameters (logits; Gaussian mean with fixed noise).
    /// </summary>
    public abstract Tensor OutputHessian(Tensor output, Tensor target);

    /// <summary>
    /// Gradient of log p(ŷ | f) with respect to f at the prediction ŷ, (N, C); for classification
    /// ∇_f log p_ŷ = e_ŷ − p. Used for the "gradient of the predicted class" direction.
    /// </summary>
    public virtual Tensor PredictedLogLikelihoodGradient(Tensor output) =>
        throw new NotSupportedException($"{Name} has no predicted-class direction; use a user direction.");

    /// <summary>Probability of the predicted class per input, (N); only for classification.</summary>
    public virtual Tensor PredictedProbability(Tensor output) =>
        throw new NotSupportedException($"{Name} has no predicted class.");
}
