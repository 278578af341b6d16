using static TorchSharp.torch;

namespace FisherKit.ActiveLearning.Acquisitions;

/// <summary>
/// Fisher-based optimal design as an acquisition: the labelled set's projected Fisher
/// A = λI + Σ_{n∈L} E_nᵀE_n (true Fisher of the current model, summed over points; E from
/// <see cref="FisherDesignAcquisition.Projection"/>) is extended greedily by the candidates that best improve the
/// <see cref="Criterion"/> (D: expected information gain / log det; A: trace of the inverse; E: smallest
/// eigenvalue), with rank-K updates (<see cref="OptimalDesign.Greedy"/>). With an empty labelled set and
/// an untrained model it is the Fisher D-optimal initial-sample strategy.
/// </summary>
public sealed class OptimalDesignAcquisition : FisherDesignAcquisition
{
    /// <summary>Creates the acquisition.</summary>
    /// <param name="criterion">D-, A- or E-optimality.</param>
    /// <param name="projection">The Fisher projection (default: last layer).</param>
    /// <param name="priorPrecision">λ, the prior precision added to the information (keeps A invertible).</param>
    /// <param name="eigenSubspace">Ritz subspace size for the E criterion.</param>
    public OptimalDesignAcquisition(DesignCriterion criterion, FisherProjection? projection = null, double priorPrecision = 1.0, int eigenSubspace = 128)
        : base(projection, priorPrecision)
    {
        if (eigenSubspace < 1) throw new ArgumentOutOfRangeException(nameof(eigenSubspace), eigenSubspace, "The Ritz subspace of the E criterion needs at least one dimension.");
        Criterion = criterion;
        EigenSubspace = eigenSubspace;
    }

    /// <summary>The design criterion.</summary>
    public DesignCriterion Criterion { get; }

    /// <summary>Ritz subspace size for the E criterion.</summary>
    public int EigenSubspace { get; }

    /// <inheritdoc />
    public override string Name => $"{Criterion switch { DesignCriterion.DOptimal => "D-optimal", DesignCriterion.AOptimal => "A-optimal", _ => "E-optimal" }} ({Projection.Name})";

    /// <summary>The last design computed by <see cref="Acquisition.Select"/> (gains and log-dets), for inspection.</summary>
    public GreedyDesign? LastDesign { get; private set; }

    /// <inheritdoc />
    protected override IReadOnlyList<int> Design(Tensor candidates, Tensor labelled, int count)
    {
        var a = OptimalDesign.Information(labelled, PriorPrecision, candidates.shape[2]);
        LastDesign = OptimalDesign.Greedy(candidates, a, count, Criterion, EigenSubspace);
        return LastDesign.Selected;
    }
}
