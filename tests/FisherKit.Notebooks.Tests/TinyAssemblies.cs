using System.Runtime.InteropServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace FisherKit.Notebooks.Tests;

/// <summary>
/// Builds, with Roslyn, two small assemblies into a folder: Dep.dll and Tiny.dll (which uses Dep and
/// P/Invokes zlib under the name "fkz", found as libfkz.so next to it by the runtime's default
/// search of the assembly's folder) -- the situation of FisherKit.dll with its dependencies and
/// native library beside it.
/// </summary>
internal static class TinyAssemblies
{
    public static void Build(string folder)
    {
        Directory.CreateDirectory(folder);
        var refs = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetDirectoryName(p) == Path.GetDirectoryName(typeof(object).Assembly.Location))
            .Select(p => MetadataReference.CreateFromFile(p)).ToList<MetadataReference>();
        var dep = Compile(folder, "Dep", "namespace Dep; public static class Words { public static string Hello() => \"hello from Dep\"; }", refs);
        refs.Add(MetadataReference.CreateFromFile(dep));
        Compile(folder, "Tiny", """
            using System.Runtime.InteropServices;
            namespace Tiny;
            public static class Api
            {
                public static string Greeting() => Dep.Words.Hello();
                [DllImport("fkz", EntryPoint = "zlibVersion")] private static extern System.IntPtr ZlibVersion();
                public static string NativeVersion() => Marshal.PtrToStringAnsi(ZlibVersion())!;
            }
            """, refs);
        File.Copy(ZlibPath(), Path.Combine(folder, "libfkz.so"), overwrite: true);
    }

    /// <summary>
    /// A one-class assembly with the given simple name (namespace Probe, <c>Probe.Api.Hello()</c>), e.g.
    /// "FisherKit", to check that names which differ from the engine's only in case still load.
    /// </summary>
    public static string BuildNamed(string folder, string assemblyName)
    {
        Directory.CreateDirectory(folder);
        var refs = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetDirectoryName(p) == Path.GetDirectoryName(typeof(object).Assembly.Location))
            .Select(p => MetadataReference.CreateFromFile(p)).ToList<MetadataReference>();
        return Compile(folder, assemblyName, $"namespace Probe; public static class Api {{ public static string Hello() => \"hello from {assemblyName}\"; }}", refs);
    }

    /// <summary>A global-packages folder with Tiny.Pkg 1.0.0 depending on Dep.Pkg (>= 0.9).</summary>
    public static void BuildPackages(string root)
    {
        var tmp = Path.Combine(root, "..", "build-" + Guid.NewGuid().ToString("N"));
        Build(tmp);
        void Package(string id, string version, string dll, string deps)
        {
            var dir = Path.Combine(root, id.ToLowerInvariant(), version);
            Directory.CreateDirectory(Path.Combine(dir, "lib", "net8.0"));
            File.Copy(Path.Combine(tmp, dll), Path.Combine(dir, "lib", "net8.0", dll), overwrite: true);
            File.WriteAllText(Path.Combine(dir, ".nupkg.metadata"), "{}");
            File.WriteAllText(Path.Combine(dir, id.ToLowerInvariant() + ".nuspec"),
                $"<?xml version=\"1.0\"?><package><metadata><id>{id}</id><version>{version}</version><dependencies><group targetFramework=\"net8.0\">{deps}</group></dependencies></metadata></package>");
        }
        Package("Tiny.Pkg", "1.0.0", "Tiny.dll", "<dependency id=\"Dep.Pkg\" version=\"0.9.0\" />");
        Package("Dep.Pkg", "0.9.5", "Dep.dll", "");
        Package("Dep.Pkg", "0.8.0", "Dep.dll", "");
    }

    private static string Compile(string folder, string name, string code, IEnumerable<MetadataReference> refs)
    {
        var compilation = CSharpCompilation.Create(name, [CSharpSyntaxTree.ParseText(code)], refs,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var path = Path.Combine(folder, name + ".dll");
        var result = compilation.Emit(path);
        if (!result.Success) throw new InvalidOperationException(string.Join("\n", result.Diagnostics));
        return path;
    }

    private static string ZlibPath()
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("The native-library test uses Linux's zlib.");
        foreach (var dir in new[] { "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/lib64", "/usr/lib64", "/usr/lib" })
        {
            var p = Path.Combine(dir, "libz.so.1");
            if (File.Exists(p)) return p;
        }
        throw new FileNotFoundException("libz.so.1 not found; it is part of every Debian system.");
    }
}
