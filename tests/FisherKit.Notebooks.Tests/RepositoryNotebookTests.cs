using FisherKit.Notebooks.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

using FisherKit.Notebooks.Tests.Kernel;

namespace FisherKit.Notebooks.Tests;

/// <summary>
/// The repository's notebooks keep their helpers in the library: a helper that two notebooks need lives in
/// FisherKit, so no notebook declares a function or type that another notebook declares too, and no notebook
/// writes HTML tables by hand (tables are DataFrames).
/// </summary>
public sealed class RepositoryNotebookTests
{
    private static IReadOnlyList<string> Notebooks() =>
        Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "notebooks"), "*.ipynb").Order(StringComparer.Ordinal).ToList();

    /// <summary>Top-level functions and types a notebook's code cells declare, by name.</summary>
    internal static IEnumerable<string> DeclaredHelpers(string cellSource)
    {
        var tree = CSharpSyntaxTree.ParseText(cellSource, new CSharpParseOptions(kind: SourceCodeKind.Script));
        foreach (var member in tree.GetCompilationUnitRoot().Members)
        {
            switch (member)
            {
                case GlobalStatementSyntax { Statement: LocalFunctionStatementSyntax f }: yield return f.Identifier.Text; break;
                case MethodDeclarationSyntax m: yield return m.Identifier.Text; break;
                case BaseTypeDeclarationSyntax t: yield return t.Identifier.Text; break;
                case DelegateDeclarationSyntax d: yield return d.Identifier.Text; break;
            }
        }
    }

    [Fact]
    public void Declared_helpers_are_found_in_cells()
    {
        var names = DeclaredHelpers("#!csharp\n\nstatic double F3(double x) => x;\nstring Table(int n) { return \"\"; }\n" +
                                    "record Row(string A);\nclass Grid { }\nvar local = 3;\nint Twice(int k) => 2 * k;").ToList();
        Assert.Equal(["F3", "Table", "Row", "Grid", "Twice"], names);
    }

    [Fact]
    public void No_notebook_declares_a_helper_that_another_notebook_declares()
    {
        var where = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var path in Notebooks())
            foreach (var cell in Notebook.Load(path).Cells.Where(c => c.IsCode))
                foreach (var name in DeclaredHelpers(cell.Source))
                {
                    if (!where.TryGetValue(name, out var set)) where[name] = set = new SortedSet<string>(StringComparer.Ordinal);
                    set.Add(Path.GetFileName(path));
                }
        Assert.NotEmpty(where);
        var shared = where.Where(kv => kv.Value.Count > 1).Select(kv => $"{kv.Key}: {string.Join(", ", kv.Value)}").ToList();
        Assert.True(shared.Count == 0, "helpers declared in more than one notebook (move them into the library):\n" + string.Join("\n", shared));
    }

    [Fact]
    public void No_notebook_writes_an_html_table_by_hand()
    {
        var found = (from path in Notebooks()
                     from cell in Notebook.Load(path).Cells.Where(c => c.IsCode)
                     where cell.Source.Contains("<table", StringComparison.OrdinalIgnoreCase) || cell.Source.Contains("<tr>", StringComparison.OrdinalIgnoreCase)
                     select Path.GetFileName(path)).Distinct().ToList();
        Assert.True(found.Count == 0, "hand-written HTML tables in " + string.Join(", ", found) + " (use FisherKit.Plotting.Tables.DataFrames)");
    }
}
