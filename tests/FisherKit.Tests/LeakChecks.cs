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

    /// <summary>
    /// What TorchSharp 0.107 itself leaves in <c>Tensor.TotalCount</c> when <paramref name="build"/>
    /// constructs modules (and disposes them). Phantoms: <c>Parameter(Tensor)</c> moves the native
    /// handle out of its argument without lowering the count, so every Parameter constructed stays
    /// counted for good, with no native memory behind it (measured: 2 per Linear or Conv2d).
    /// Temporaries: tensors the layers' constructors leave to the finalizer (measured: 1 per
    /// convolution), counted until the next garbage collection.
    /// </summary>
    public static (long Phantoms, long Temporaries) ModuleConstruction(Action build)
    {
        long before = SettledCount();
        build();
        long unsettled = Tensor.TotalCount - before;
        long phantoms = SettledCount() - before;
        return (phantoms, unsettled - phantoms);
    }
}
