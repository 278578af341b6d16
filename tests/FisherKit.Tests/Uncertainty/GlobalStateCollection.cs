namespace FisherKit.Tests.Uncertainty;

/// <summary>
/// Tests that read process-wide state run alone, after the parallel ones: the global random
/// generator (manual_seed, dropout, weight initialisation) and the live-tensor count.
/// </summary>
[CollectionDefinition(nameof(GlobalStateCollection), DisableParallelization = true)]
public class GlobalStateCollection;
