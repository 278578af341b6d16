namespace FisherKit.Detection;

/// <summary>
/// How to summarise S predictive distributions p⁽¹⁾ … p⁽ˢ⁾ of one input (Monte Carlo dropout samples or
/// ensemble members) into one unusualness value; p̄ = (1/S) Σₛ p⁽ˢ⁾, H(p) = −Σ_c p_c log p_c (nats).
/// </summary>
public enum SampleMeasure
{
    /// <summary>Mutual information between label and sample (BALD; Houlsby et al. 2011, Gal et al. 2017): H(p̄) − (1/S) Σₛ H(p⁽ˢ⁾). Zero when all samples agree.</summary>
    MutualInformation,

    /// <summary>Entropy of the averaged prediction, H(p̄) (total predictive uncertainty).</summary>
    PredictiveEntropy,

    /// <summary>Freeman's variation ratio 1 − (number of samples voting for the modal class)/S (active learning's <c>VariationRatios</c> acquisition uses Gal et al.'s 1 − max_c p̄_c instead).</summary>
    VariationRatio,

    /// <summary>Mean over classes of the standard deviation over samples of p_c (Gal et al. 2017's "mean STD").</summary>
    MeanStandardDeviation,
}
