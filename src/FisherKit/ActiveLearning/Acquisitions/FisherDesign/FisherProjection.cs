using TorchSharp;
using FisherKit.ActiveLearning.Learners;

namespace FisherKit.ActiveLearning.Acquisitions;

/// <summary>
/// Which projection of the Fisher information the Fisher-based acquisitions work with: the last
/// layer, a random subspace of all parameters, or the top eigenvectors of the Fisher. Which one works
/// best is the open question these acquisitions are meant to answer, so it is a parameter.
/// </summary>
public abstract class FisherProjection
{
    /// <summary>A short name for tables.</summary>
    public abstract string Name { get; }

    /// <summary>
    /// Fixes the projection for one round (random directions, eigenvectors of the current model) and
    /// returns an embedder that maps inputs to (N, K, r) Fisher factors in that projection.
    /// </summary>
    public FisherEmbedding Prepare(IFisherModel model, AcquisitionContext context)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(context);
        return Fix(model, context);
    }

    /// <summary>The work of <see cref="Prepare"/>; the arguments are not null.</summary>
    protected abstract FisherEmbedding Fix(IFisherModel model, AcquisitionContext context);

    /// <summary>The last Linear layer's weights and bias (BAIT's choice; cheap: no gradient through the body).</summary>
    public static FisherProjection LastLayer { get; } = new LastLayerProjection();

    /// <summary>
    /// A random r-dimensional subspace of all parameters: S has i.i.d. N(0, 1/r) entries (a
    /// Johnson–Lindenstrauss sketch, E[S Sᵀ] = I), redrawn each round from the round's acquisition seed (the run's
    /// seed and the round) and <paramref name="seed"/>, so every repeat draws its own subspaces. Costs r
    /// Jacobian-vector products over the inputs.
    /// </summary>
    public static FisherProjection RandomSubspace(int dimension, long seed = 0) => new RandomSubspaceProjection(dimension, seed);

    /// <summary>
    /// The top-k eigenvectors of the true Fisher (sum over inputs) of the current model on the labelled
    /// points plus at most <paramref name="maxInputs"/> candidates, by Lanczos
    /// (<see cref="FisherKit.Fisher.Curvature.FisherOperator.TopEigen"/>). Costs the Lanczos matrix-vector
    /// products plus k Jacobian-vector products over the inputs.
    /// </summary>
    public static FisherProjection TopEigenvectors(int count, int maxInputs = 512) => new TopEigenProjection(count, maxInputs);
}
