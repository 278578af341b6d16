namespace FisherKit.Uncertainty.Benchmark;

/// <summary>Which methods a <see cref="UqBenchmark"/> run compares (flags).</summary>
[Flags]
public enum UqMethods
{
    /// <summary>None.</summary>
    None = 0,

    /// <summary>MC dropout (<see cref="Regression.DropoutRegression"/>).</summary>
    McDropout = 1,

    /// <summary>The plain deep ensemble (<see cref="Regression.EnsembleRegression"/>).</summary>
    Ensemble = 2,

    /// <summary>The same ensemble with the finite-ensemble correction (needs M ≥ 4).</summary>
    CorrectedEnsemble = 4,

    /// <summary>Last-layer Laplace around ensemble member 0.</summary>
    LastLayerLaplace = 8,

    /// <summary>GGN Laplace (all weights) around ensemble member 0.</summary>
    GgnLaplace = 16,

    /// <summary>All of them.</summary>
    All = McDropout | Ensemble | CorrectedEnsemble | LastLayerLaplace | GgnLaplace,
}
