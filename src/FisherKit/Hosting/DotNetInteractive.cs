using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace FisherKit.Hosting;

/// <summary>
/// FisherKit inside .NET Interactive (the <c>.net-csharp</c> Jupyter kernel, Polyglot Notebooks). When FisherKit is
/// first used in a process that runs .NET Interactive, it loads <c>FisherKit.Interactive.dll</c> (next to
/// <c>FisherKit.dll</c> in a build, or in the package's <c>interactive-extensions/dotnet</c> folder) and registers
/// it: figures, tensors and FisherKit's display handles then show there as in FisherKit's own engine, and
/// <c>display(x).Update(y)</c> updates in place. The FisherKit package also registers it as a kernel extension
/// on <c>#r "nuget: FisherKit"</c>; a notebook that references <c>FisherKit.dll</c> by path loads no extension,
/// so FisherKit does it itself. FisherKit has no reference to .NET Interactive; elsewhere this does nothing.
/// </summary>
public static class DotNetInteractive
{
    /// <summary>What happened: not in .NET Interactive, registered (and how), or why not.</summary>
    public static string Status { get; private set; } = "not checked yet";

    /// <summary>Whether the process runs .NET Interactive.</summary>
    public static bool IsHost =>
        AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == "Microsoft.DotNet.Interactive");

    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries",
        Justification = "A notebook that references FisherKit.dll by path loads no kernel extension; FisherKit registers its display with .NET Interactive on first use instead.")]
    internal static void OnFirstUse() => RegisterIfHosted();

    /// <summary>Registers FisherKit's display with .NET Interactive when the process runs it. Idempotent; never throws.</summary>
    /// <returns><see cref="Status"/>.</returns>
    public static string RegisterIfHosted()
    {
        try
        {
            if (!IsHost) return Status = "not running in .NET Interactive";
            var assembly = LoadIntegration(out var from);
            if (assembly is null) return Status = $"FisherKit.Interactive.dll not found ({from}); figures and display handles show as text";
            var register = assembly.GetType("FisherKit.Interactive.InteractiveIntegration")?.GetMethod("RegisterFromLibrary", BindingFlags.Public | BindingFlags.Static, Type.EmptyTypes);
            if (register is null) return Status = $"{assembly.Location} has no InteractiveIntegration.RegisterFromLibrary()";
            return Status = $"{register.Invoke(null, null)} ({from})";
        }
        catch (Exception e)
        {
            var inner = e is TargetInvocationException { InnerException: { } i } ? i : e;
            Status = $"registration with .NET Interactive failed: {inner.GetType().Name}: {inner.Message}";
            Console.Error.WriteLine("FisherKit: " + Status);
            return Status;
        }
    }

    private static Assembly? LoadIntegration(out string from)
    {
        var loaded = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == "FisherKit.Interactive");
        if (loaded is not null)
        {
            from = "already loaded from " + loaded.Location;
            return loaded;
        }
        var here = Path.GetDirectoryName(typeof(DotNetInteractive).Assembly.Location);
        if (string.IsNullOrEmpty(here))
        {
            from = "FisherKit.dll was not loaded from a file";
            return null;
        }
        string[] candidates =
        [
            Path.Combine(here, "FisherKit.Interactive.dll"),
            Path.GetFullPath(Path.Combine(here, "..", "..", "interactive-extensions", "dotnet", "FisherKit.Interactive.dll")),
        ];
        var path = candidates.FirstOrDefault(File.Exists);
        if (path is null)
        {
            from = "looked in " + string.Join(" and ", candidates);
            return null;
        }
        from = "loaded from " + path;
        var context = AssemblyLoadContext.GetLoadContext(typeof(DotNetInteractive).Assembly) ?? AssemblyLoadContext.Default;
        return context.LoadFromAssemblyPath(path);
    }
}
