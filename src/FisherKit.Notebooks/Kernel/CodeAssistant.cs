using System.Text;
using FisherKit.Notebooks.Execution;
using FisherKit.Plotting.Formatting;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace FisherKit.Notebooks.Kernel;

/// <summary>
/// Completion, quick info and completeness of code typed in a cell, answered by Roslyn against the
/// live script state: variables, methods, types and references of the cells already run are known.
/// Positions are UTF-16 indices into the cell as the user typed it.
/// </summary>
internal sealed class CodeAssistant(ScriptEngine engine)
{
    private static readonly CSharpParseOptions ScriptParse = new(LanguageVersion.Preview, kind: SourceCodeKind.Script);
    private static readonly string[] Keywords = SyntaxFacts.GetKeywordKinds().Select(SyntaxFacts.GetText)
        .Concat(SyntaxFacts.GetContextualKeywordKinds().Select(SyntaxFacts.GetText)).Distinct(StringComparer.Ordinal).ToArray();

    private static readonly SymbolDisplayFormat Signature = SymbolDisplayFormat.MinimallyQualifiedFormat
        .WithMemberOptions(SymbolDisplayMemberOptions.IncludeParameters | SymbolDisplayMemberOptions.IncludeType |
                           SymbolDisplayMemberOptions.IncludeContainingType | SymbolDisplayMemberOptions.IncludeRef)
        .WithParameterOptions(SymbolDisplayParameterOptions.IncludeType | SymbolDisplayParameterOptions.IncludeName |
                              SymbolDisplayParameterOptions.IncludeDefaultValue | SymbolDisplayParameterOptions.IncludeParamsRefOut)
        .WithLocalOptions(SymbolDisplayLocalOptions.IncludeType)
        .WithKindOptions(SymbolDisplayKindOptions.IncludeTypeKeyword);

    /// <summary>The completions at <paramref name="cursor"/>, and the span of <paramref name="code"/> they replace.</summary>
    public (IReadOnlyList<CompletionItem> Items, int Start, int End) Complete(string code, int cursor)
    {
        var (prepared, position) = Prepare(code, cursor);
        var compilation = engine.AnalysisCompilation(prepared);
        var tree = compilation.SyntaxTrees.Last();
        var model = compilation.GetSemanticModel(tree);
        var root = tree.GetRoot();

        var start = position;
        var token = position > 0 ? root.FindToken(position - 1) : default;
        if (position > 0 && (token.IsKind(SyntaxKind.IdentifierToken) || SyntaxFacts.IsKeywordKind(token.Kind())) &&
            token.Span.Start < position && token.Span.End >= position)
        {
            start = token.Span.Start;
            token = token.GetPreviousToken();
        }
        var prefix = prepared[start..position];
        IEnumerable<ISymbol> symbols;
        var keywords = Enumerable.Empty<string>();
        if (token.IsKind(SyntaxKind.DotToken) && token.Span.End == start && Receiver(token) is { } receiver)
            symbols = Members(model, receiver, start);
        else
        {
            symbols = model.LookupSymbols(start);
            keywords = Keywords;
        }
        var items = symbols.Where(s => s.CanBeReferencedByName && !s.IsImplicitlyDeclared || s is IMethodSymbol { MethodKind: MethodKind.ReducedExtension })
            .GroupBy(s => s.Name, StringComparer.Ordinal)
            .Select(g => new CompletionItem(g.Key, Kind(g.First()), g.First().ToDisplayString(Signature) + (g.Count() > 1 ? $" (+{g.Count() - 1} overloads)" : "")))
            .Concat(keywords.Select(k => new CompletionItem(k, "keyword", k)))
            .Where(i => i.Text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .DistinctBy(i => i.Text)
            .OrderBy(i => i.Text.StartsWith(prefix, StringComparison.Ordinal) ? 0 : 1)
            .ThenBy(i => i.Kind == "keyword" ? 1 : 0)
            .ThenBy(i => i.Text, StringComparer.OrdinalIgnoreCase)
            .ToArray();
        return (items, TextPositions.Map(prepared, code, start), TextPositions.Map(prepared, code, position));
    }

    /// <summary>The expression left of a member-access dot: <c>x</c> in <c>x.</c>, <c>a.b</c> in <c>a.b.</c>, <c>x</c> in <c>x?.</c>.</summary>
    private static SyntaxNode? Receiver(SyntaxToken dot) => dot.Parent switch
    {
        MemberAccessExpressionSyntax m => m.Expression,
        QualifiedNameSyntax q => q.Left,
        MemberBindingExpressionSyntax b => b.Ancestors().OfType<ConditionalAccessExpressionSyntax>().FirstOrDefault()?.Expression,
        _ => null,
    };

    private static IEnumerable<ISymbol> Members(SemanticModel model, SyntaxNode receiver, int position)
    {
        var symbol = model.GetSymbolInfo(receiver).Symbol;
        if (symbol is INamespaceSymbol ns) return model.LookupNamespacesAndTypes(position, ns);
        if (symbol is ITypeSymbol type && receiver is not (InvocationExpressionSyntax or ObjectCreationExpressionSyntax))
            return model.LookupStaticMembers(position, type);
        var valueType = model.GetTypeInfo(receiver).Type;
        if (valueType is null or IErrorTypeSymbol) return [];
        return model.LookupSymbols(position, valueType, includeReducedExtensionMethods: true)
            .Where(s => !s.IsStatic || s is IMethodSymbol { MethodKind: MethodKind.ReducedExtension });
    }

    private static string Kind(ISymbol s) => s switch
    {
        IMethodSymbol => "method",
        IPropertySymbol => "property",
        IFieldSymbol { ContainingType.IsScriptClass: true } => "variable",
        IFieldSymbol f => f.IsConst ? "constant" : "field",
        IEventSymbol => "event",
        ILocalSymbol or IParameterSymbol or IRangeVariableSymbol => "variable",
        INamespaceSymbol => "namespace",
        INamedTypeSymbol t => t.TypeKind switch
        {
            TypeKind.Interface => "interface", TypeKind.Struct => "struct", TypeKind.Enum => "enum", TypeKind.Delegate => "delegate",
            _ => t.IsRecord ? "record" : "class",
        },
        _ => s.Kind.ToString().ToLowerInvariant(),
    };

    /// <summary>Quick info for the name at (or just before) <paramref name="cursor"/>: signature,
    /// documentation, and for a variable of an earlier cell its current value; null when nothing is there.</summary>
    public string? Inspect(string code, int cursor, bool detailed)
    {
        var (prepared, position) = Prepare(code, cursor);
        var compilation = engine.AnalysisCompilation(prepared);
        var tree = compilation.SyntaxTrees.Last();
        var model = compilation.GetSemanticModel(tree);
        var root = tree.GetRoot();
        ISymbol? symbol = null;
        var overloads = 0;
        foreach (var at in new[] { position, position - 1 })
        {
            if (at < 0 || at > prepared.Length) continue;
            var token = root.FindToken(Math.Min(at, Math.Max(0, prepared.Length - 1)));
            if (!token.IsKind(SyntaxKind.IdentifierToken) && !SyntaxFacts.IsPredefinedType(token.Kind())) continue;
            if (token.Parent is not { } node) continue;
            var info = model.GetSymbolInfo(node);
            symbol = info.Symbol ?? model.GetDeclaredSymbol(node);
            if (symbol is null)
            {
                var group = model.GetMemberGroup(node);
                var candidates = group.Length > 0 ? group : info.CandidateSymbols;
                symbol = candidates.FirstOrDefault();
                overloads = Math.Max(0, candidates.Length - 1);
            }
            else if (symbol is IMethodSymbol m)
                overloads = Math.Max(0, model.GetMemberGroup(node).Length - 1);
            symbol ??= model.GetTypeInfo(node).Type is { TypeKind: not TypeKind.Error } t ? t : null;
            if (symbol is not null) break;
        }
        if (symbol is null) return null;

        var sb = new StringBuilder();
        sb.Append(Label(symbol)).Append(symbol.ToDisplayString(Signature));
        if (overloads > 0) sb.Append($" (+{overloads} overload{(overloads == 1 ? "" : "s")})");
        sb.AppendLine();
        if (XmlDocumentation.Find(symbol, compilation) is { } doc && XmlDocumentation.Describe(doc, detailed) is { Length: > 0 } text)
            sb.AppendLine(text);
        if (symbol is IFieldSymbol { ContainingType.IsScriptClass: true } field && engine.TryGetVariable(field.Name, out var value))
        {
            string shown;
            try { shown = Formatter.ToDisplayString(value); }
            catch (Exception e) when (e is not OutOfMemoryException) { shown = $"({e.GetType().Name} while formatting)"; }
            if (shown.Length > 1000) shown = shown[..1000] + "…";
            sb.AppendLine("Value: " + shown);
        }
        return sb.ToString().TrimEnd();
    }

    private static string Label(ISymbol s) => s switch
    {
        IFieldSymbol { ContainingType.IsScriptClass: true } => "(variable) ",
        ILocalSymbol => "(local variable) ",
        IParameterSymbol => "(parameter) ",
        IFieldSymbol { IsConst: true } => "(constant) ",
        IFieldSymbol => "(field) ",
        IPropertySymbol => "(property) ",
        IMethodSymbol { MethodKind: MethodKind.ReducedExtension } => "(extension) ",
        IMethodSymbol => "(method) ",
        IEventSymbol => "(event) ",
        INamespaceSymbol => "namespace ",
        _ => "",
    };

    /// <summary>Whether the code is a complete submission: <c>complete</c>, <c>incomplete</c> (with
    /// the indent of the next line) or <c>invalid</c> (complete but with syntax errors).</summary>
    public static (string Status, string Indent) IsComplete(string code)
    {
        var prepared = CellSource.Parse(code).Code;
        var tree = CSharpSyntaxTree.ParseText(prepared, ScriptParse);
        if (!SyntaxFactory.IsCompleteSubmission(tree))
        {
            var last = prepared.Split('\n')[^1];
            var indent = last[..(last.Length - last.TrimStart().Length)];
            if (last.TrimEnd().EndsWith('{') || last.TrimEnd().EndsWith('(')) indent += "    ";
            return ("incomplete", indent);
        }
        return tree.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error) ? ("invalid", "") : ("complete", "");
    }

    private static (string Prepared, int Position) Prepare(string code, int cursor)
    {
        var prepared = CellSource.Parse(code).Code;
        return (prepared, TextPositions.Map(code.Replace("\r\n", "\n"), prepared, TextPositions.Map(code, code.Replace("\r\n", "\n"), cursor)));
    }
}
