using FisherKit.ActiveLearning.Acquisitions;

namespace FisherKit.ActiveLearning.Loop;

/// <summary>
/// The initial-sample strategies. Each is an <see cref="IAcquisition"/> applied with an empty labelled
/// set (and, for the Fisher start, the untrained model from the factory).
/// </summary>
public static class InitialStrategies
{
    /// <summary>Uniformly random.</summary>
    public static IAcquisition Random() => new RandomAcquisition();

    /// <summary>The same number of points per class, random within classes (reads the pool's known labels).</summary>
    public static IAcquisition BalancedRandom() => new BalancedRandom();

    /// <summary>GSx farthest-point selection from a central start (Wu et al. 2019).</summary>
    public static IAcquisition GSx(GSxStart start = GSxStart.ClosestToCentroid) => new GreedySampling(GreedySamplingKind.GSx, start);

    /// <summary>k-centre greedy from a random start (Sener &amp; Savarese 2018).</summary>
    public static IAcquisition KCenterGreedy(FeatureSpace features = FeatureSpace.Inputs) => new KCenterGreedy(features);

    /// <summary>Greedy D-optimal design on the Fisher of the untrained model (prior precision λ).</summary>
    public static IAcquisition FisherDOptimal(FisherProjection? projection = null, double priorPrecision = 1.0) =>
        new OptimalDesignAcquisition(DesignCriterion.DOptimal, projection, priorPrecision);
}
