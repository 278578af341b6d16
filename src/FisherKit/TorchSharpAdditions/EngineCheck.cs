using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace FisherKit.TorchSharpAdditions;

/// <summary>Checks the engine when FisherKit is first used in a process.</summary>
internal static class EngineCheck
{
    /// <summary>
    /// Runs <see cref="TorchEngine.Prepare"/> before any FisherKit code: it makes a notebook kernel load
    /// TorchSharp's own libtorch rather than a system one, and checks oneDNN's convolutions (FisherKit
    /// trains, attacks and differentiates float32 CNNs, and libtorch 2.10's oneDNN gets their gradients
    /// wrong on some CPUs). Takes milliseconds and never throws.
    /// </summary>
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries",
        Justification = "Wrong convolution gradients must be ruled out before any FisherKit method runs, whichever is called first.")]
    internal static void Run() => TorchEngine.Prepare();
}
