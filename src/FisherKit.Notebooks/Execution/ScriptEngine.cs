using System.Collections.Immutable;
using System.Diagnostics;
using FisherKit.Plotting;
using FisherKit.Plotting.Formatting;
using FisherKit.Plotting.Output;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.CodeAnalysis.Scripting.Hosting;

namespace FisherKit.Notebooks.Execution;

/// <summary>
/// Runs C# cells with Roslyn scripting in this process, one script state carried from cell to
/// cell as .NET Interactive does: variables, methods, types, <c>using</c>s and references of
/// earlier cells stay visible, and a later cell may declare a name again. A cell's last
/// expression (without semicolon) is its value; <c>await</c> works at top level.
/// </summary>
/// <remarks>
/// The default usings are .NET Interactive's (System, System.Collections, System.Collections.Generic,
/// System.Linq, System.Text, System.Threading.Tasks), so notebooks written for it run unchanged and
/// vice versa. All assemblies of the shared framework are referenced. Compiler errors and runtime
/// exceptions come back with the line in the cell.
/// </remarks>
public sealed class ScriptEngine : IExecutionEngine
{
    private static readonly string[] DefaultImports =
        ["System", "System.Collections", "System.Collections.Generic", "System.Linq", "System.Text", "System.Threading.Tasks"];

    private ScriptOptions? _options;
    private ScriptState<object>? _state;
    private LocalPackageResolver? _packages;
    private readonly NotebookGlobals _globals = new();
    private readonly InteractiveAssemblyLoader _loader = new();
    private PlotlyScriptScope _plotlyScope = new(PlotlyScriptMode.InlineOnce);

    /// <inheritdoc />
    public Task StartAsync(EngineOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var dir = Path.GetFullPath(options.NotebookDirectory);
        _packages = new LocalPackageResolver(options.PackageFolders);
        _options = ScriptOptions.Default
            .WithReferences(FrameworkReferences().Append(typeof(Figure).Assembly.Location).Append(typeof(NotebookGlobals).Assembly.Location)
                .Select(p => MetadataReference.CreateFromFile(p)))
            .WithImports(DefaultImports)
            .WithMetadataResolver(ScriptMetadataResolver.Default.WithBaseDirectory(dir).WithSearchPaths(dir))
            .WithSourceResolver(new SourceFileResolver(ImmutableArray.Create(dir), dir))
            .WithEmitDebugInformation(true)
            .WithOptimizationLevel(OptimizationLevel.Debug)
            .WithAllowUnsafe(true)
            .WithLanguageVersion(Microsoft.CodeAnalysis.CSharp.LanguageVersion.Preview);
        _state = null;
        return Task.CompletedTask;
    }

    private static IEnumerable<string> FrameworkReferences()
    {
        var tpa = (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var frameworkDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        // The shared framework only: the engine's own dependencies (Roslyn) stay out of the notebook's namespace.
        return tpa.Where(p => Path.GetDirectoryName(p) == frameworkDir && p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) && IsManaged(p));
    }

    private static bool IsManaged(string path)
    {
        try { System.Reflection.AssemblyName.GetAssemblyName(path); return true; }
        catch (BadImageFormatException) { return false; }
    }

    /// <inheritdoc />
    public async Task<CellResult> ExecuteAsync(string code, string cellName, IExecutionObserver observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(observer);
        if (_options is null || _packages is null) throw new InvalidOperationException("Call StartAsync before ExecuteAsync.");
        var source = CellSource.Parse(code);
        if (source.IsMarkdown) return CellResult.Ok(null);
        if (source.Problems.Count > 0)
        {
            var (line, message) = source.Problems[0];
            return Failure("UnsupportedDirective", $"({cellName}, line {line}): {message}", line);
        }
        var options = _options.WithFilePath(cellName);
        foreach (var (line, id, version) in source.Packages)
        {
            try
            {
                var package = _packages.ResolveWithNatives(id, version);
                NativePreload.LibTorch(package.NativeFolders);
                options = options.AddReferences(package.Assemblies.Select(p => MetadataReference.CreateFromFile(p)));
            }
            catch (PackageResolutionException e)
            {
                return Failure("PackageNotFound", $"({cellName}, line {line}): {e.Message}", line);
            }
            catch (DllNotFoundException e)
            {
                return Failure("NativeLibraryNotLoaded", $"({cellName}, line {line}): {e.Message}", line);
            }
        }

        using var route = ConsoleRouter.Route(observer);
        using var host = Display.UseHost(new ObserverDisplayHost(observer));
        using var figures = FigureHtml.Use(_plotlyScope);
        // From a stream, so that the source text has an encoding: Roslyn emits debug information
        // (line numbers in stack traces) only then.
        using var code8 = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(source.Code));
        Script<object> script = _state is null
            ? CSharpScript.Create(code8, options, typeof(NotebookGlobals), _loader)
            : _state.Script.ContinueWith(code8, options);
        var diagnostics = script.Compile(cancellationToken).Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        if (diagnostics.Length > 0) return CompilationFailure(diagnostics, cellName);
        ScriptState<object> next;
        try
        {
            next = _state is null
                ? await script.RunAsync(_globals, _ => true, cancellationToken).ConfigureAwait(false)
                : await script.RunFromAsync(_state, _ => true, cancellationToken).ConfigureAwait(false);
        }
        catch (CompilationErrorException e)
        {
            return CompilationFailure(e.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToArray(), cellName);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return new CellResult(CellStatus.Cancelled, null, new CellError("Cancelled", "The run was cancelled.", ["The run was cancelled."], null));
        }
        _state = next;
        if (next.Exception is { } ex) return RuntimeFailure(ex, cellName);
        if (!EndsWithValue(script.GetCompilation())) return CellResult.Ok(null);
        try
        {
            return CellResult.Ok(Formatter.ToMimeBundle(next.ReturnValue));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A formatter that fails (e.g. plotly.js missing) is the cell's error, not the worker's.
            return RuntimeFailure(e, cellName);
        }
    }

    /// <summary>
    /// The compilation of <paramref name="code"/> (directives already removed) as if it were the next
    /// cell, for completion and quick info (the Jupyter kernel); nothing runs and the state is unchanged.
    /// </summary>
    internal Compilation AnalysisCompilation(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (_options is null) throw new InvalidOperationException("Call StartAsync before AnalysisCompilation.");
        var state = _state;
        Script<object> script = state is null
            ? CSharpScript.Create(code, _options, typeof(NotebookGlobals), _loader)
            : state.Script.ContinueWith(code, _options);
        return script.GetCompilation();
    }

    /// <summary>Whether a figure of this session has inlined plotly.js (later figures rely on it).</summary>
    internal bool FigureScriptEmitted => _plotlyScope.Emitted;

    /// <summary>Makes the next figure inline plotly.js again (the Jupyter kernel does so when the cell whose
    /// output carried it runs again or is deleted, so that a saved notebook keeps one copy).</summary>
    internal void InlineFigureScriptAgain() => _plotlyScope = new PlotlyScriptScope(PlotlyScriptMode.InlineOnce);

    /// <summary>The value of a variable declared by an earlier cell (the latest one of that name), when there is one.</summary>
    internal bool TryGetVariable(string name, out object? value)
    {
        value = null;
        if (_state?.GetVariable(name) is not { } variable) return false;
        value = variable.Value;
        return true;
    }

    /// <summary>Whether the submission ends in an expression without semicolon whose type is not void.</summary>
    private static bool EndsWithValue(Compilation compilation)
    {
        var tree = compilation.SyntaxTrees.LastOrDefault();
        if (tree?.GetRoot() is not Microsoft.CodeAnalysis.CSharp.Syntax.CompilationUnitSyntax unit) return false;
        if (unit.Members.LastOrDefault() is not Microsoft.CodeAnalysis.CSharp.Syntax.GlobalStatementSyntax
            { Statement: Microsoft.CodeAnalysis.CSharp.Syntax.ExpressionStatementSyntax { SemicolonToken.IsMissing: true } statement })
            return false;
        var type = compilation.GetSemanticModel(tree).GetTypeInfo(statement.Expression).Type;
        return type is not null && type.SpecialType != SpecialType.System_Void;
    }

    private static CellResult Failure(string name, string message, int? line) =>
        new(CellStatus.Error, null, new CellError(name, message, [$"{name}: {message}"], line));

    private static CellResult CompilationFailure(IReadOnlyList<Diagnostic> diagnostics, string cellName)
    {
        var lines = diagnostics.Select(d =>
        {
            var pos = d.Location.GetLineSpan().StartLinePosition;
            return (Line: d.Location.IsInSource ? pos.Line + 1 : (int?)null, Text: d.Location.IsInSource
                ? $"({cellName}, line {pos.Line + 1}, column {pos.Character + 1}): error {d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}"
                : $"({cellName}): error {d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}");
        }).ToArray();
        return new CellResult(CellStatus.Error, null,
            new CellError("CompilationError", lines[0].Text, lines.Select(l => l.Text).ToArray(), lines[0].Line));
    }

    private static CellResult RuntimeFailure(Exception ex, string cellName)
    {
        if (ex is System.Reflection.TargetInvocationException { InnerException: { } inner }) ex = inner;
        int? line = null;
        var frames = new List<string>();
        foreach (var frame in new StackTrace(ex, fNeedFileInfo: true).GetFrames())
        {
            var method = frame.GetMethod();
            var typeName = method?.DeclaringType?.FullName ?? "";
            if (typeName.StartsWith("Microsoft.CodeAnalysis.Scripting", StringComparison.Ordinal) ||
                typeName.StartsWith("System.Runtime.CompilerServices", StringComparison.Ordinal) ||
                typeName.StartsWith("System.Threading.ExecutionContext", StringComparison.Ordinal) ||
                typeName.StartsWith("System.Runtime.ExceptionServices", StringComparison.Ordinal)) continue;
            var file = frame.GetFileName();
            // Roslyn resolves the submission's file path against the notebook folder.
            if (file is not null && Path.GetFileName(file) == cellName) file = cellName;
            var fileLine = frame.GetFileLineNumber();
            if (file == cellName && fileLine > 0) line ??= fileLine;
            var where = file is null ? "" : $" in {file}:line {fileLine}";
            frames.Add($"   at {DescribeMethod(method)}{where}");
        }
        var message = ex.Message;
        var evalue = line is null ? message : $"({cellName}, line {line}): {message}";
        var traceback = new List<string> { $"{ex.GetType().FullName}: {evalue}" };
        traceback.AddRange(frames);
        for (var cause = ex.InnerException; cause is not null; cause = cause.InnerException)
            traceback.Add($" ---> {cause.GetType().FullName}: {cause.Message}");
        return new CellResult(CellStatus.Error, null, new CellError(ex.GetType().FullName ?? ex.GetType().Name, evalue, traceback, line));
    }

    private static string DescribeMethod(System.Reflection.MethodBase? m)
    {
        if (m is null) return "?";
        var type = m.DeclaringType?.FullName ?? "";
        // Submission#3+<<Initialize>>d__0.MoveNext -> the cell body itself.
        if (type.StartsWith("Submission#", StringComparison.Ordinal))
            return type.Contains("<<Initialize>>", StringComparison.Ordinal) ? "<cell>" : type.Replace('+', '.') + "." + m.Name;
        return $"{type}.{m.Name}";
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _loader.Dispose();
        _state = null;
        return ValueTask.CompletedTask;
    }
}
