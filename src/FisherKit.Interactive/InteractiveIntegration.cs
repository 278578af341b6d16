using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using FisherKit.Plotting.Formatting;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;

namespace FisherKit.Interactive;

/// <summary>
/// Registers FisherKit with the .NET Interactive kernel it runs in, once per process:
/// <list type="bullet">
/// <item>FisherKit's display host (<see cref="Display.Show"/>, <see cref="DisplayHandle.Update"/>, used by live
/// training curves and progress) publishes .NET Interactive displays under its own display id, so an update
/// replaces the output in place and a saved notebook keeps the final state;</item>
/// <item>figures carry <c>application/vnd.plotly.v1+json</c>, <c>text/html</c> (plotly.js inlined once per
/// session, never from a CDN) and <c>text/plain</c> (<see cref="FigureFormatting"/>);</item>
/// <item>tensors show their shape, dtype, device and a few values, never a tree of every property
/// (<see cref="TensorFormatting"/>);</item>
/// <item>DataFrames (FisherKit's result tables) show as the HTML table FisherKit's engine shows
/// (<see cref="DataFrameFormatting"/>);</item>
/// <item>the C# kernel's <c>display(value)</c> is redefined so that the handle it returns updates the output it
/// showed (<see cref="DisplayFunction"/>).</item>
/// </list>
/// Called by the kernel extension (<see cref="FisherKitKernelExtension"/>, loaded from the FisherKit package) and
/// by FisherKit itself when it is first used inside .NET Interactive (a notebook that references FisherKit.dll by
/// path loads no extension).
/// </summary>
public static class InteractiveIntegration
{
    private static int _registered;

    /// <summary>Whether <see cref="Register"/> has run in this process.</summary>
    public static bool IsRegistered => Volatile.Read(ref _registered) == 1;

    /// <summary>What registration did (for <c>FisherKit.Hosting.DotNetInteractive.Status</c> and the tests).</summary>
    public static string Status { get; private set; } = "not registered";

    /// <summary>
    /// Registers FisherKit's display host and formatters with .NET Interactive and redefines the C# kernel's
    /// <c>display</c>. Idempotent; does nothing outside .NET Interactive.
    /// </summary>
    /// <param name="kernel">A kernel of the session (the root or the C# kernel); null: the kernel handling the
    /// current command.</param>
    public static void Register(Kernel? kernel = null)
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        ResolveFromPackage();
        RegisterCore(kernel);
    }

    // Separate and not inlined: compiling it loads FisherKit.Plotting and TorchSharp, which ResolveFromPackage
    // must be able to find first.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RegisterCore(Kernel? kernel)
    {
        Display.SetProcessHost(new InteractiveDisplayHost());
        FigureFormatting.Register();
        TensorFormatting.Register();
        var tables = DataFrameFormatting.Register() ? "DataFrame" : "no DataFrame (Microsoft.Data.Analysis not found)";
        var display = DisplayFunction.Install(kernel ?? KernelInvocationContext.Current?.HandlingKernel);
        Status = $"registered: display host, figure, tensor and {tables} formatters; {display}";
    }

    /// <summary>The events of the command that redefined <c>display</c> (empty until it ran).</summary>
    public static string DisplayDefinitionEvents => DisplayFunction.Trace;

    /// <summary>
    /// Runs FisherKit's start-up (its module initializer: <c>TorchEngine.Prepare</c>, which loads the TorchSharp
    /// package's own libtorch before a system copy can be found and checks oneDNN, and the registration here)
    /// at once, so that it happens before the notebook's first tensor, as <c>#r "nuget: FisherKit"</c> is
    /// followed by tensor code that need not touch FisherKit first. Called by the kernel extension.
    /// </summary>
    /// <returns>What happened, in words.</returns>
    public static string PrepareFisherKit()
    {
        try
        {
            var fisherKit = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == "FisherKit")
                            ?? Assembly.Load(new AssemblyName("FisherKit"));
            RuntimeHelpers.RunModuleConstructor(fisherKit.ManifestModule.ModuleHandle);
            return "FisherKit prepared the engine";
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException or TypeInitializationException)
        {
            return $"FisherKit's start-up did not run: {e.Message}";
        }
    }

    /// <summary>Entry point for FisherKit's reflection-based registration (no .NET Interactive types in its signature).</summary>
    /// <returns><see cref="Status"/>.</returns>
    public static string RegisterFromLibrary()
    {
        Register();
        return Status;
    }

    /// <summary>
    /// Loaded from a package's <c>interactive-extensions/dotnet</c> folder, this assembly finds FisherKit.Plotting
    /// and TorchSharp through the kernel's references; where the kernel has not loaded them yet, they are taken
    /// from the package's own <c>lib</c> folder.
    /// </summary>
    private static void ResolveFromPackage()
    {
        var here = Path.GetDirectoryName(typeof(InteractiveIntegration).Assembly.Location);
        if (string.IsNullOrEmpty(here)) return;
        var lib = Path.GetFullPath(Path.Combine(here, "..", "..", "lib", "net10.0"));
        if (!Directory.Exists(lib)) return;
        AssemblyLoadContext.Default.Resolving += (context, name) =>
        {
            if (name.Name is not ("FisherKit" or "FisherKit.Plotting")) return null;
            var candidate = Path.Combine(lib, name.Name + ".dll");
            return File.Exists(candidate) ? context.LoadFromAssemblyPath(candidate) : null;
        };
    }

    internal static SubmitCode? CurrentSubmission() => KernelInvocationContext.Current?.Command as SubmitCode;
}
