using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace FisherKit.TorchSharpAdditions;

/// <summary>Checks the engine when FisherKit is first used in a process.</summary>
internal static class EngineCheck
{
    /// <summary>
    /// Runs <see cref="OneDnn.EnsureCorrectConvolutions"/> before any FisherKit code: FisherKit trains,
    /// attacks and differentiates float32 CNNs, and libtorch 2.10's oneDNN gets their gradients wrong
    /// on some CPUs. The check takes milliseconds and never throws.
    /// </summary>
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries",
        Justification = "Wrong convolution gradients must be ruled out before any FisherKit method runs, whichever is called first.")]
    internal static void Run() => OneDnn.EnsureCorrectConvolutions();
}
