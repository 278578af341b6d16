using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;

namespace FisherKit.Interactive;

/// <summary>
/// Redefines <c>display</c> in the C# kernel so that <c>display(x).Update(y)</c> replaces the output
/// <c>display(x)</c> showed.
/// </summary>
/// <remarks>
/// Why: in .NET Interactive 1.0.712001 the C# kernel's <c>display</c> (<c>Kernel.display</c>, imported with
/// <c>using static</c>) calls <c>DisplayExtensions.Display</c>, which shows one <c>DisplayedValue</c> and returns
/// another one, made from the same value: each draws its own random display id on first use, so
/// <c>Update</c> sends <c>update_display_data</c> under an id that no output has, and front ends and nbconvert
/// drop the update (a saved notebook keeps "starting" instead of the final state).
/// <c>KernelInvocationContext.Display</c> shows and returns the same <c>DisplayedValue</c>; the redefinition
/// calls it. A method declared in a submission takes precedence over one imported with <c>using static</c>,
/// and it returns the same type, so notebooks need no change. The definition is submitted to the C# kernel
/// as a command of its own, queued behind the command running now (it runs before the next cell); its
/// events belong to no request and show nowhere.
/// </remarks>
internal static class DisplayFunction
{
    /// <summary>The submitted definition: only .NET Interactive's own types, which every C# submission references.</summary>
    internal const string Definition =
        "/* FisherKit: display(x).Update(y) updates the output display(x) showed. */ " +
        "Microsoft.DotNet.Interactive.Formatting.DisplayedValue display(object value, params string[] mimeTypes) => " +
        "Microsoft.DotNet.Interactive.KernelInvocationContext.Current is { } fisherKitContext " +
        "? Microsoft.DotNet.Interactive.KernelInvocationContextExtensions.Display(fisherKitContext, value, mimeTypes) " +
        ": Microsoft.DotNet.Interactive.Kernel.display(value, mimeTypes);";

    /// <summary>Queues the definition on the session's C# kernel.</summary>
    /// <returns>What was done, in words.</returns>
    public static string Install(Kernel? anyKernel)
    {
        if (Environment.GetEnvironmentVariable("FISHERKIT_INTERACTIVE_DISPLAY") == "keep")
            return "display() left as .NET Interactive defines it (FISHERKIT_INTERACTIVE_DISPLAY=keep)";
        var csharp = FindCSharpKernel(anyKernel);
        if (csharp is null) return "no C# kernel found: display() left as it is";
        // Without the ambient command (an AsyncLocal that Task.Run would carry along), the definition is a
        // command of its own, queued behind the running one, rather than a child of it.
        using (ExecutionContext.SuppressFlow())
            _ = Task.Run(() => Submit(csharp));
        return "display() redefined in the C# kernel";
    }

    private static async Task Submit(Kernel csharp)
    {
        try
        {
            var result = await csharp.SendAsync(new SubmitCode(Definition));
            Trace = string.Join("; ", result.Events.Select(e => e.GetType().Name));
            if (result.Events.OfType<CommandFailed>().FirstOrDefault() is { } failed)
                Console.Error.WriteLine($"FisherKit: could not redefine display(): {failed.Message}");
        }
        catch (Exception e)
        {
            Trace = e.ToString();
            Console.Error.WriteLine($"FisherKit: could not redefine display(): {e.Message}");
        }
    }

    /// <summary>The events of the submitted definition (tests).</summary>
    internal static string Trace { get; private set; } = "";

    private static Kernel? FindCSharpKernel(Kernel? kernel)
    {
        if (kernel is null) return null;
        if (kernel.Name == "csharp" && kernel is not CompositeKernel) return kernel;
        var root = kernel.RootKernel ?? kernel;
        return root is CompositeKernel composite
            ? composite.ChildKernels.FirstOrDefault(k => k.Name == "csharp")
            : null;
    }
}
