using System.Runtime.CompilerServices;

// Test classes run one at a time. TorchSharp 0.107 leaves a Scalar made by an implicit conversion
// (x * 2.0, x.add(y, 2.0)) to its finalizer and hands libtorch only its bare handle, so a garbage
// collection started by another thread during the call can free the Scalar in use (README, "Implicit
// Scalars and other threads"; bench scalar-race measures it). Classes running in parallel allocate
// on other threads all the time and made this strike at random in clean test runs (an exception from
// c10::Scalar::toDouble in a Monte-Carlo test); FisherKit's users run tensor work on one thread.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace FisherKit.Tests;

/// <summary>Engine settings for the whole test run, applied when the test assembly loads.</summary>
internal static class EngineSetup
{
    /// <summary>
    /// The check FisherKit makes on first use, made before any test: libtorch 2.10's oneDNN computes
    /// wrong float32 convolution gradients on some CPUs (see <see cref="OneDnn"/>; measured on the AMD
    /// EPYC Zen 5 these tests run on), which broke every test that trains or differentiates a float32
    /// CNN, and nondeterministically so. Tests that use only TorchSharp would otherwise run before it.
    /// </summary>
    [ModuleInitializer]
    internal static void CheckConvolutions() => OneDnn.EnsureCorrectConvolutions();

    /// <summary>
    /// The library finds the data cache above the working directory or the application (DataCache.Root); a build
    /// that FK_OUT put outside the repository has neither there, so the tests then run from the repository root,
    /// as ./fisherkit does.
    /// </summary>
    [ModuleInitializer]
    internal static void RunFromTheRepository()
    {
        if (FisherKit.Data.DataCache.FindRepositoryRoot() is null) Directory.SetCurrentDirectory(FisherKit.Testing.RepositoryPaths.Root);
    }
}
