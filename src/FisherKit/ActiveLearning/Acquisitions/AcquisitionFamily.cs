namespace FisherKit.ActiveLearning.Acquisitions;

/// <summary>
/// What kind of information an acquisition uses to choose, declared by every acquisition
/// (<see cref="IAcquisition.Family"/>) so that tables, figures and checks group methods by it rather than by
/// their names. An initial-set strategy belongs to the family of its rule: it is the same acquisition applied
/// with an empty labelled set (GSx and k-centre greedy are <see cref="Diversity"/>, the Fisher D-optimal start is
/// <see cref="FisherDesign"/>, balanced random is <see cref="Random"/>).
/// </summary>
public enum AcquisitionFamily
{
    /// <summary>
    /// Chance alone, the baseline: <see cref="RandomAcquisition"/>, and <see cref="BalancedRandom"/>, which draws
    /// at random within each class. Balanced random reads the pool's labels only to stratify the draw, not to
    /// judge any point, so it is a random baseline (of the protocol), not an informed choice.
    /// </summary>
    Random,

    /// <summary>
    /// A score of the model's predictive uncertainty per candidate, top-k batch: <see cref="MaxEntropy"/>,
    /// <see cref="Bald"/>, <see cref="VariationRatios"/>, <see cref="MeanStd"/>, <see cref="EnsembleVariance"/>.
    /// </summary>
    Uncertainty,

    /// <summary>
    /// Distances in input, output or feature space, farthest-point selection: <see cref="GreedySampling"/> (GSx,
    /// GSy and iGS; GSy and iGS measure distances between predictions and labels, which is still diversity, of the
    /// outputs) and <see cref="KCenterGreedy"/> (core-set).
    /// </summary>
    Diversity,

    /// <summary>
    /// Optimal experimental design on the (projected) Fisher information of the model: the D-, A- and E-optimal
    /// designs of <see cref="OptimalDesignAcquisition"/> and <see cref="BaitAcquisition"/>. BAIT belongs here, not to
    /// <see cref="Hybrid"/>: its objective tr((λI + M_L + M_S)⁻¹ F) is one design criterion on the same Fisher
    /// embeddings (an A-optimal design weighted by the mean Fisher F, "V-optimality"); the balance of uncertainty
    /// and diversity that Ash et al. (2021) observe comes out of that criterion, not from combining two scores.
    /// </summary>
    FisherDesign,

    /// <summary>
    /// A combination of the scores of two or more of the families above, e.g. BADGE (k-means++ on gradient
    /// embeddings) or a Fisher design with an input-diversity term. FisherKit has none yet; the member exists so
    /// that such a method is not forced into a family it only half belongs to.
    /// </summary>
    Hybrid,
}
