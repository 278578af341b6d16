namespace FisherKit.Uncertainty.Regression;

/// <summary>Which weights a <see cref="LaplaceRegression"/> treats as uncertain.</summary>
public enum LaplaceKind
{
    /// <summary>The last (linear) layer only, the features fixed: its GGN is its exact Hessian.</summary>
    LastLayer,

    /// <summary>All weights of the mean network, curvature by the generalised Gauss–Newton matrix (linearised network).</summary>
    GeneralizedGaussNewton,
}
