using FisherKit.Notebooks.Execution;
using FisherKit.Plotting.Formatting;

namespace FisherKit.Notebooks.Tests;

/// <summary>Semantics of the Roslyn engine, cell by cell, in this process.</summary>
[Collection("engine")]
public sealed class EngineTests : IAsyncLifetime
{
    private readonly ScriptEngine _engine = new();
    private readonly TempFolder _dir = new();

    public Task InitializeAsync() => _engine.StartAsync(new EngineOptions { NotebookDirectory = _dir.Path, PackageFolders = [_dir.File("packages")] }, default);

    public async Task DisposeAsync()
    {
        await _engine.DisposeAsync();
        _dir.Dispose();
    }

    private async Task<(CellResult Result, RecordingObserver Observer)> Run(string code, string name = "cell 1")
    {
        var o = new RecordingObserver();
        return (await _engine.ExecuteAsync(code, name, o, default), o);
    }

    [Fact]
    public async Task State_carries_from_cell_to_cell_and_the_last_expression_is_the_value()
    {
        Assert.Equal(CellStatus.Ok, (await Run("var a = 20;")).Result.Status);
        Assert.Null((await Run("int Twice(int x) => 2 * x;")).Result.Value);
        var (r, _) = await Run("Twice(a) + 2");
        Assert.Equal("42", r.Value![MimeTypes.PlainText]);
    }

    [Fact]
    public async Task A_name_may_be_declared_again_in_a_later_cell()
    {
        await Run("bool quick = false;");
        await Run("var quick = true;");
        Assert.Equal("true", (await Run("quick")).Result.Value![MimeTypes.PlainText]);
    }

    [Fact]
    public async Task Statements_and_void_calls_have_no_value_but_null_expressions_do()
    {
        Assert.Null((await Run("var s = \"x\";")).Result.Value);
        Assert.Null((await Run("Console.Write(\"\")")).Result.Value);
        Assert.Equal("null", (await Run("(string?)null")).Result.Value![MimeTypes.PlainText]);
    }

    [Fact]
    public async Task Console_output_is_captured_as_streams()
    {
        var (_, o) = await Run("Console.WriteLine(\"to out\"); Console.Error.WriteLine(\"to err\");");
        Assert.Equal("to out\n", o.Stdout);
        Assert.Equal("to err\n", o.Stderr);
    }

    [Fact]
    public async Task Display_shows_values_and_handles_update_them_in_place()
    {
        var (r, o) = await Run("var h = display(1); h.Update(2); display(new[] { 3, 4 });");
        Assert.Equal(CellStatus.Ok, r.Status);
        Assert.Equal(2, o.Displays.Count);
        Assert.Equal("1", o.Displays[0].Bundle[MimeTypes.PlainText]);
        Assert.Equal("2", Assert.Single(o.Updates).Bundle[MimeTypes.PlainText]);
        Assert.Equal(o.Displays[0].Id, o.Updates[0].Id);
        Assert.True(o.Displays[1].Bundle.ContainsKey(MimeTypes.Html));
    }

    [Fact]
    public async Task Top_level_await_and_usings_across_cells_work()
    {
        await Run("using System.Globalization;");
        var (r, _) = await Run("await Task.Delay(1);\nCultureInfo.InvariantCulture.Name.Length");
        Assert.Equal("0", r.Value![MimeTypes.PlainText]);
    }

    [Fact]
    public async Task Compile_errors_name_the_cell_line_and_column()
    {
        var (r, _) = await Run("var ok = 1;\n\nvar bad = undefinedName + 1;", "cell 7");
        Assert.Equal(CellStatus.Error, r.Status);
        Assert.Equal("CompilationError", r.Error!.Name);
        Assert.Equal(3, r.Error.Line);
        Assert.Contains("(cell 7, line 3, column 11): error CS0103", r.Error.Value);
    }

    [Fact]
    public async Task Runtime_errors_name_the_exception_the_cell_and_the_line()
    {
        var (r, _) = await Run("var xs = new int[2];\nvar y = 1;\nthrow new InvalidOperationException(\"boom\");", "cell 4");
        Assert.Equal(CellStatus.Error, r.Status);
        Assert.Equal("System.InvalidOperationException", r.Error!.Name);
        Assert.Equal(3, r.Error.Line);
        Assert.Equal("(cell 4, line 3): boom", r.Error.Value);
        // Variables assigned before the exception stay available.
        Assert.Equal("2", (await Run("xs.Length")).Result.Value![MimeTypes.PlainText]);
    }

    [Fact]
    public async Task Magics_of_other_languages_are_refused_and_markdown_cells_skipped()
    {
        var (r, _) = await Run("#!fsharp\nlet x = 1");
        Assert.Equal("UnsupportedDirective", r.Error!.Name);
        Assert.Contains("#!fsharp", r.Error.Value);
        Assert.Equal(CellStatus.Ok, (await Run("#!markdown\n# Title")).Result.Status);
        Assert.Equal("3", (await Run("#!csharp\n1 + 2")).Result.Value![MimeTypes.PlainText]);
    }

    [Fact]
    public async Task A_missing_reference_target_is_a_clear_compile_error()
    {
        var (r, _) = await Run("#r \"../nowhere/Missing.dll\"\nvar x = 1;");
        Assert.Equal(CellStatus.Error, r.Status);
        Assert.Contains("Missing.dll", r.Error!.Value);
        Assert.Equal(1, r.Error.Line);
    }

    [Fact]
    public async Task A_nuget_reference_missing_from_the_local_folders_is_refused_with_advice()
    {
        var (r, _) = await Run("#r \"nuget: Some.Package.That.Is.Not.Here, 1.2.3\"\nvar x = 1;");
        Assert.Equal("PackageNotFound", r.Error!.Name);
        Assert.Contains("does not download packages", r.Error.Value);
        Assert.Equal(1, r.Error.Line);
    }

    [Fact]
    public async Task A_relative_reference_loads_an_assembly_with_its_dependencies_and_native_library_from_its_folder()
    {
        var lib = Path.Combine(_dir.Path, "lib");
        TinyAssemblies.Build(lib);
        var (r, o) = await Run("#r \"lib/Tiny.dll\"\nConsole.WriteLine(Tiny.Api.Greeting());\nTiny.Api.NativeVersion()");
        Assert.True(r.Status == CellStatus.Ok, r.Error?.Value);
        Assert.Equal("hello from Dep\n", o.Stdout);
        Assert.Matches(@"^\d+\.\d+", r.Value![MimeTypes.PlainText]);
    }

    [Fact]
    public async Task A_nuget_reference_resolves_from_a_local_package_folder_with_dependencies()
    {
        var packages = Path.Combine(_dir.Path, "packages");
        TinyAssemblies.BuildPackages(packages);
        var (r, _) = await Run("#r \"nuget: Tiny.Pkg, 1.0.0\"\nTiny.Api.Greeting()");
        Assert.True(r.Status == CellStatus.Ok, r.Error?.Value);
        Assert.Equal("hello from Dep", r.Value![MimeTypes.PlainText]);
    }
}
