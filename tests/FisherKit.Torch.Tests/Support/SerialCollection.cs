namespace FisherKit.Torch.Tests.Support;

/// <summary>
/// Tests that read process-wide state (resident memory, the live-tensor count, the global random
/// generator, the default dtype) run in this collection: alone, after the parallel tests.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "Serial: process-wide state";
}
