using System.Runtime.CompilerServices;

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
}
