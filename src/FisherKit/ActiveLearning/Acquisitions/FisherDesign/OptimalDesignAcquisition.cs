using FisherKit.ActiveLearning.Acquisitions;
using TorchSharp;
using FisherKit.ActiveLearning.Learners;
using static TorchSharp.torch;

namespace FisherKit.ActiveLearning.Acquisitions;

/// <summary>
/// Fisher-based optimal design as an acquisition: the labelled set's projected Fisher
/// A = λI + Σ_{n∈L} E_nᵀE_n (true Fisher of the current model, summed over points; E from
/// <see cref="Projection"/>) is extended greedily by the candidates that best improve the
/// <see cref="Criterion"/> (D: expected information gain / log det; A: trace of the inverse; E: smallest
/// eigenvalue), with rank-K updates (<see cref="OptimalDesign.Greedy"/>). With an empty labelled set and
/// an untrained model it is the Fisher D-optimal initial-sample strategy.
/// </summary>
public sealed class OptimalDesignAcquisition : IAcquisition
{
    /// <summary>Creates the acquisition.</summary>
    /// <param name="criterion">D-, A- or E-optimality.</param>
    /// <param name="projection">The Fisher projection (default: last layer).</param>
    /// <param name="priorPrecision">λ, the prior precision added to the information (keeps A invertible).</param>
    /// <param name="eigenSubspace">Ritz subspace size for the E criterion.</param>
    public OptimalDesignAcquisition(DesignCriterion criterion, FisherProjection? projection = null, double priorPrecision = 1.0, int eigenSubspace = 128)
    {
        if (!(priorPrecision > 0)) throw new ArgumentOutOfRangeException(nameof(priorPrecision), priorPrecision, "must be positive");
        Criterion = criterion;
        Projection = projection ?? FisherProjection.LastLayer;
        PriorPrecision = priorPrecision;
        EigenSubspace = eigenSubspace;
    }

    /// <summary>The design criterion.</summary>
    public DesignCriterion Criterion { get; }

    /// <summary>The Fisher projection.</summary>
    public FisherProjection Projection { get; }

    /// <summary>The prior precision λ.</summary>
    public double PriorPrecision { get; }

    /// <summary>Ritz subspace size for the E criterion.</summary>
    public int EigenSubspace { get; }

    /// <inheritdoc />
    public string Name => $"{Criterion switch { DesignCriterion.DOptimal => "D-optimal", DesignCriterion.AOptimal => "A-optimal", _ => "E-optimal" }} ({Projection.Name})";

    /// <summary>The last design computed by <see cref="Select"/> (gains and log-dets), for inspection.</summary>
    public GreedyDesign? LastDesign { get; private set; }

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
        var a = OptimalDesign.Information(el, PriorPrecision, ec.shape[2]);
        LastDesign = OptimalDesign.Greedy(ec, a, count, Criterion, EigenSubspace);
        return LastDesign.Selected.Select(i => context.Candidates[i]).ToList();
    }
}
