namespace FisherKit.ActiveLearning.Acquisitions;

/// <summary>The three greedy-sampling rules of Wu, Lin &amp; Huang (2019).</summary>
public enum GreedySamplingKind
{
    /// <summary>Input diversity: argmax_u min_l ‖x_u − x_l‖ (Yu &amp; Kim 2010).</summary>
    GSx,
    /// <summary>Output diversity: argmax_u min_l |f(x_u) − y_l|.</summary>
    GSy,
    /// <summary>Both: argmax_u min_l ‖x_u − x_l‖·|f(x_u) − y_l|.</summary>
    IGS,
}

/// <summary>How GSx chooses its first point when nothing is labelled yet.</summary>
public enum GSxStart
{
    /// <summary>The candidate closest to the centroid of the candidates (the wording of Wu et al. 2019).</summary>
    ClosestToCentroid,
    /// <summary>The candidate with the smallest mean distance to all candidates (what the official MATLAB code main_iGS.m computes).</summary>
    SmallestMeanDistance,
}
