using TorchSharp;
using FisherKit.ActiveLearning.Learners;
using static TorchSharp.torch;

namespace FisherKit.ActiveLearning.Acquisitions;

/// <summary>
/// Base of the acquisitions that design a batch on the projected Fisher information of the current model
/// (the <see cref="AcquisitionFamily.FisherDesign"/> family): it takes the model as an <see cref="IFisherModel"/>,
/// fixes the <see cref="Projection"/> for the round, embeds the candidates and the labelled points as (N, K, r)
/// float64 Fisher factors E with F_proj(x) = E(x)ᵀE(x) (the labelled ones as (0, K, r) when none is labelled), and
/// lets the subclass choose with <see cref="Design"/>. The prior precision λ &gt; 0 is checked here for all of them.
/// </summary>
public abstract class FisherDesignAcquisition : Acquisition
{
    /// <summary>Creates the acquisition with a projection (default: last layer) and a prior precision λ &gt; 0.</summary>
    protected FisherDesignAcquisition(FisherProjection? projection, double priorPrecision)
    {
        if (!(priorPrecision > 0)) throw new ArgumentOutOfRangeException(nameof(priorPrecision), priorPrecision, "The prior precision λ of a Fisher design must be positive.");
        Projection = projection ?? FisherProjection.LastLayer;
        PriorPrecision = priorPrecision;
    }

    /// <summary>The Fisher projection.</summary>
    public FisherProjection Projection { get; }

    /// <summary>The prior precision λ, added to the information of the labelled points (keeps it invertible).</summary>
    public double PriorPrecision { get; }

    /// <inheritdoc />
    public sealed override AcquisitionFamily Family => AcquisitionFamily.FisherDesign;

    /// <summary>
    /// Positions (into <paramref name="candidates"/>) of the <paramref name="count"/> chosen candidates, in the order
    /// chosen, from the embeddings of the candidates (M, K, r) and of the labelled points (n, K, r).
    /// </summary>
    protected abstract IReadOnlyList<int> Design(Tensor candidates, Tensor labelled, int count);

    /// <inheritdoc />
    protected sealed override IReadOnlyList<long> Choose(AcquisitionContext context, int count)
    {
        var model = RequireModel<IFisherModel>(context);
        using var embedding = Projection.Prepare(model, context);
        using var scope = NewDisposeScope();
        var candidates = embedding.Embed(context.CandidateInputs());
        var labelled = context.Labelled.Count > 0
            ? embedding.Embed(context.LabelledInputs())
            : zeros([0, candidates.shape[1], candidates.shape[2]], ScalarType.Float64);
        return Design(candidates, labelled, count).Select(i => context.Candidates[i]).ToList();
    }
}
