using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using FisherKit.Torch.Native;

namespace FisherKit.Torch.Tests.Native;

/// <summary>
/// The generated declarations (NativeMethods.g.cs) and the built library agree in both directions,
/// and every status-returning export of the shim goes through the error guard.
/// </summary>
public partial class BindingCompletenessTests
{
    private static string LoadedLibrary()
    {
        Assert.True(get_num_threads() >= 1);   // any native call loads the library
        return NativeLibraryLoader.LoadedPath ?? throw new InvalidOperationException("the native library reports no path");
    }

    [Fact]
    public void Every_declared_export_resolves_in_the_loaded_library()
    {
        var handle = NativeLibrary.Load(LoadedLibrary());
        var missing = NativeMethods.DeclaredExports.Where(n => !NativeLibrary.TryGetExport(handle, n, out _)).ToList();
        Assert.True(missing.Count == 0, "declared but not exported: " + string.Join(", ", missing));
        Assert.True(NativeMethods.DeclaredExports.Length > 300, $"only {NativeMethods.DeclaredExports.Length} declarations");
        Assert.Equal(NativeMethods.DeclaredExports.Length, NativeMethods.DeclaredExports.Distinct().Count());
    }

    [Fact]
    public void Every_exported_fk_symbol_is_declared()
    {
        var nm = new[] { "/usr/bin/nm", "/bin/nm", "/usr/local/bin/nm" }.FirstOrDefault(File.Exists);
        if (nm is null) { Console.WriteLine("skipped: nm (binutils) is not installed, so the library's symbol table cannot be listed"); return; }
        var psi = new ProcessStartInfo(nm, ["-D", "--defined-only", LoadedLibrary()]) { RedirectStandardOutput = true, UseShellExecute = false };
        using var p = Process.Start(psi)!;
        var text = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        var exported = SymbolLine().Matches(text).Select(m => m.Groups[1].Value).ToHashSet();
        Assert.NotEmpty(exported);
        var undeclared = exported.Except(NativeMethods.DeclaredExports).Order().ToList();
        Assert.True(undeclared.Count == 0, "exported but not declared (run src/FisherKit.Native/gen_bindings.py): " + string.Join(", ", undeclared));
    }

    [Fact]
    public void Every_status_returning_export_goes_through_the_guard()
    {
        var root = AppContext.BaseDirectory;
        while (root is not null && !File.Exists(Path.Combine(root, "FisherKit.sln"))) root = Path.GetDirectoryName(root.TrimEnd(Path.DirectorySeparatorChar));
        if (root is null) { Console.WriteLine("skipped: the sources are not beside this build"); return; }
        var unguarded = new List<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(root, "src", "FisherKit.Native", "src"), "*.cpp"))
        {
            var text = File.ReadAllText(file);
            foreach (Match m in ExportHead().Matches(text))
            {
                // The body runs from the opening brace to its matching closing brace.
                int depth = 0, i = m.Index + m.Length - 1;
                do { depth += text[i] == '{' ? 1 : text[i] == '}' ? -1 : 0; i++; } while (depth > 0 && i < text.Length);
                var body = text[(m.Index + m.Length)..i];
                var name = m.Groups[1].Value;
                if (!body.Contains("FK_GUARDED(", StringComparison.Ordinal) && name is not ("fk_last_error_category" or "fk_abi_version"))
                    unguarded.Add($"{Path.GetFileName(file)}: {name}");
            }
        }
        Assert.True(unguarded.Count == 0, "exports without FK_GUARDED: " + string.Join(", ", unguarded));
    }

    [GeneratedRegex(@"^[0-9a-fA-F]+ T (fk_\w+)$", RegexOptions.Multiline)]
    private static partial Regex SymbolLine();

    [GeneratedRegex(@"FK_API\s+int32_t\s+(fk_\w+)\s*\([^)]*\)\s*\{")]
    private static partial Regex ExportHead();
}
