using FisherKit.ActiveLearning.Acquisitions;
using TorchSharp;
using FisherKit.ActiveLearning.Learners;
using static TorchSharp.torch;

namespace FisherKit.ActiveLearning.Acquisitions;

/// <summary>
/// BAIT-style acquisition (Ash et al. 2021): <see cref="Bait.Select"/> on Fisher embeddings of the
/// current model, by default of the last layer as in the paper; the projection is a parameter.
/// </summary>
public sealed class BaitAcquisition(FisherProjection? projection = null, double lambda = 1.0, int oversample = 2) : IAcquisition
{
    /// <summary>The Fisher projection.</summary>
    public FisherProjection Projection { get; } = projection ?? FisherProjection.LastLayer;

    /// <summary>λ, the regulariser added to the mean Fisher.</summary>
    public double Lambda { get; } = lambda > 0 ? lambda : throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "must be positive");

    /// <summary>Forward selection takes oversample·B points before pruning.</summary>
    public int Oversample { get; } = oversample >= 1 ? oversample : throw new ArgumentOutOfRangeException(nameof(oversample), oversample, "must be ≥ 1");

    /// <inheritdoc />
    public string Name => $"BAIT ({Projection.Name})";

    /// <inheritdoc />
    public IReadOnlyList<long> Select(AcquisitionContext context, int count)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "must be ≥ 0");
        if (count == 0 || context.Candidates.Count == 0) return [];
        var model = context.RequireModel<IFisherModel>(Name);
        using var embedding = Projection.Prepare(model, context);
        using var scope = NewDisposeScope();
        var ec = embedding.Embed(context.CandidateInputs());
        var el = context.Labelled.Count > 0 ? embedding.Embed(context.LabelledInputs()) : zeros([0, ec.shape[1], ec.shape[2]], ScalarType.Float64);
        return Bait.Select(ec, el, count, Lambda, Oversample).Select(i => context.Candidates[i]).ToList();
    }
}
