using static TorchSharp.torch;

namespace FisherKit.ActiveLearning.Acquisitions;

/// <summary>
/// BAIT-style acquisition (Ash et al. 2021): <see cref="Bait.Select"/> on Fisher embeddings of the
/// current model, by default of the last layer as in the paper; the projection is a parameter. A Fisher
/// design (see <see cref="AcquisitionFamily.FisherDesign"/> for why it is not a hybrid).
/// </summary>
/// <param name="projection">The Fisher projection (default: last layer).</param>
/// <param name="lambda">λ, the regulariser added to the mean Fisher (the prior precision).</param>
/// <param name="oversample">Forward selection takes oversample·B points before pruning to B.</param>
public sealed class BaitAcquisition(FisherProjection? projection = null, double lambda = 1.0, int oversample = 2)
    : FisherDesignAcquisition(projection, lambda)
{
    /// <summary>λ, the regulariser added to the mean Fisher (the same as <see cref="FisherDesignAcquisition.PriorPrecision"/>).</summary>
    public double Lambda => PriorPrecision;

    /// <summary>Forward selection takes oversample·B points before pruning.</summary>
    public int Oversample { get; } = oversample >= 1 ? oversample : throw new ArgumentOutOfRangeException(nameof(oversample), oversample, "BAIT's forward selection takes oversample·B points before pruning to B, so oversample must be at least 1.");

    /// <inheritdoc />
    public override string Name => $"BAIT ({Projection.Name})";

    /// <inheritdoc />
    protected override IReadOnlyList<int> Design(Tensor candidates, Tensor labelled, int count) =>
        Bait.Select(candidates, labelled, count, Lambda, Oversample);
}
