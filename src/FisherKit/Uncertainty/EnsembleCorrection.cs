namespace FisherKit.Uncertainty;

/// <summary>
/// Corrections of the plain deep-ensemble variance in the spirit of Hoffmann &amp; Elster (2021),
/// "Deep ensembles from a Bayesian perspective". The paper's own formula could not be checked
/// against its full text; both members below are candidate reconstructions that enlarge the
/// epistemic part, documented with their formulas on <see cref="EnsembleCombination"/>.
/// </summary>
[Flags]
public enum EnsembleCorrection
{
    /// <summary>The plain ensemble (Lakshminarayanan et al. 2017): mean aleatoric + spread of the member means.</summary>
    None = 0,

    /// <summary>
    /// Candidate C1, finite-ensemble Bayesian correction: the member means are treated as M draws
    /// from a Gaussian with unknown mean and variance under the prior ∝ 1/τ, whose posterior
    /// predictive for a further draw is Student-t_{M−1}(μ̄, s²(1 + 1/M)); the epistemic variance
    /// becomes s²(1 + 1/M)(M − 1)/(M − 3) = (M + 1)/(M − 3) × the plain one. Needs M ≥ 4.
    /// </summary>
    FiniteEnsemble = 1,

    /// <summary>
    /// Candidate C2, mixture of local Gaussians: each member is the mode of a local Gaussian posterior
    /// (here a Laplace approximation of the last layer, <see cref="LastLayerLaplace"/>), and the
    /// mean of the members' local predictive variances is added to the epistemic part.
    /// </summary>
    LocalPosterior = 2,
}
