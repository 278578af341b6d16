namespace FisherKit.Tests;

/// <summary>
/// Tests that compare <c>Tensor.TotalCount</c> before and after run in this collection, which
/// xunit runs on its own (the counter is process-wide, so parallel tests would disturb it).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LeakChecks
{
    public const string Name = "Live tensor count";

    /// <summary>
    /// The live-tensor count after finalizing the garbage earlier tests left behind (their
    /// finalizers would otherwise lower the count in the middle of a check). Read the count at the
    /// end without collecting, so a tensor the test itself forgot still shows.
    /// </summary>
    public static long SettledCount()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return Tensor.TotalCount;
    }
}
