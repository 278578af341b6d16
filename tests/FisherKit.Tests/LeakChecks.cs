namespace FisherKit.Tests;

/// <summary>
/// Tests that compare <c>torch.LiveTensorCount</c> before and after run in this collection, which
/// xunit runs on its own (the counter is process-wide, so parallel tests would disturb it).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LeakChecks
{
    public const string Name = "Live tensor count";
}
