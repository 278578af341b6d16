using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace FisherKit.Notebooks.Runner;

/// <summary>
/// Papermill-style parameters for C# notebooks. The cell tagged <c>parameters</c> declares
/// defaults (<c>bool quick = false;</c>); values given on the command line become a cell tagged
/// <c>injected-parameters</c> right after it, of <c>var name = literal;</c> lines (a later
/// submission may declare a name again). Literals follow the declared type: <c>-p lr=1</c> for
/// <c>double lr</c> gives <c>1.0</c>, for <c>long n</c> gives <c>1L</c>; strings are escaped;
/// <c>null</c> gives a typed null for nullable declarations, and other values keep the nullable type (<c>(int?)5</c>).
/// </summary>
public static class Parameters
{
    /// <summary>The tag of the cell holding the defaults.</summary>
    public const string ParametersTag = "parameters";

    /// <summary>The tag of the cell FisherKit writes with the given values.</summary>
    public const string InjectedTag = "injected-parameters";

    /// <summary>Parses <c>name=value</c> pairs.</summary>
    /// <exception cref="ParameterException">A pair has no '=' or the name is not a C# identifier (or is a keyword).</exception>
    public static IReadOnlyDictionary<string, string> ParseAssignments(IEnumerable<string> assignments)
    {
        ArgumentNullException.ThrowIfNull(assignments);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var a in assignments)
        {
            var eq = a.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) throw new ParameterException($"Parameter '{a}' must look like name=value.");
            var name = a[..eq].Trim();
            if (!SyntaxFacts.IsValidIdentifier(name) || SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None)
                throw new ParameterException($"Parameter name '{name}' is not a C# identifier{(SyntaxFacts.IsValidIdentifier(name) ? " (it is a keyword)" : "")}.");
            result[name] = a[(eq + 1)..];
        }
        return result;
    }

    /// <summary>Names and declared types (<c>var</c> when inferred) in a parameters cell.</summary>
    public static IReadOnlyDictionary<string, string> Declared(string parametersCellSource)
    {
        ArgumentNullException.ThrowIfNull(parametersCellSource);
        var tree = CSharpSyntaxTree.ParseText(parametersCellSource, new CSharpParseOptions(kind: SourceCodeKind.Script));
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in tree.GetRoot().DescendantNodes())
        {
            VariableDeclarationSyntax? decl = node switch
            {
                FieldDeclarationSyntax f => f.Declaration,
                LocalDeclarationStatementSyntax l when l.Parent is GlobalStatementSyntax => l.Declaration,
                _ => null,
            };
            if (decl is null) continue;
            foreach (var v in decl.Variables) result[v.Identifier.Text] = decl.Type.ToString();
        }
        return result;
    }

    /// <summary>The source of the injected cell, and warnings for names the parameters cell does not declare.</summary>
    /// <exception cref="ParameterException">A value does not fit its declared type.</exception>
    public static (string Source, IReadOnlyList<string> Warnings) InjectedCell(string? parametersCellSource, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var declared = parametersCellSource is null ? new Dictionary<string, string>() : Declared(parametersCellSource);
        var warnings = new List<string>();
        var sb = new StringBuilder("// Parameters injected by fisherkit run (-p name=value).\n");
        foreach (var (name, raw) in values)
        {
            declared.TryGetValue(name, out var type);
            if (type is null)
                warnings.Add(parametersCellSource is null
                    ? $"parameter '{name}': the notebook has no cell tagged 'parameters'; injected at the top"
                    : $"parameter '{name}' is not declared in the parameters cell; injected anyway");
            sb.Append("var ").Append(name).Append(" = ").Append(ToLiteral(name, raw, type)).Append(";\n");
        }
        return (sb.ToString(), warnings);
    }

    /// <summary>The C# literal for <paramref name="raw"/>, given the declared type (null or <c>var</c>: inferred).</summary>
    /// <exception cref="ParameterException">The value does not fit the type, or the type cannot be set from text.</exception>
    public static string ToLiteral(string name, string raw, string? declaredType)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var type = declaredType?.Replace(" ", "", StringComparison.Ordinal);
        var nullable = type is not null && type.EndsWith('?');
        var bare = nullable ? type![..^1] : type;
        if (nullable && raw == "null") return $"({type})null";
        // A value for T? keeps the declared type: 'var seed = 5;' would make it an int, and 'seed ?? 0' stop compiling.
        if (nullable && bare is not ("string" or "String" or "System.String")) return $"({type}){ToLiteral(name, raw, bare)}";
        var inv = CultureInfo.InvariantCulture;
        switch (bare)
        {
            case null or "var":
                if (raw is "true" or "false") return raw;
                if (int.TryParse(raw, NumberStyles.AllowLeadingSign, inv, out var i)) return i.ToString(inv);
                if (long.TryParse(raw, NumberStyles.AllowLeadingSign, inv, out var l)) return l.ToString(inv) + "L";
                if (double.TryParse(raw, NumberStyles.Float, inv, out var d) && double.IsFinite(d)) return DoubleLiteral(d);
                return StringLiteral(raw);
            case "bool" or "Boolean" or "System.Boolean":
                return raw.ToLowerInvariant() switch
                {
                    "true" => "true",
                    "false" => "false",
                    _ => throw new ParameterException($"Parameter '{name}' is a bool; '{raw}' is neither true nor false."),
                };
            case "int" or "Int32" or "System.Int32":
                return int.TryParse(raw, NumberStyles.AllowLeadingSign, inv, out var iv) ? iv.ToString(inv)
                    : throw new ParameterException($"Parameter '{name}' is an int; '{raw}' is not an integer in [{int.MinValue}, {int.MaxValue}].");
            case "long" or "Int64" or "System.Int64":
                return long.TryParse(raw, NumberStyles.AllowLeadingSign, inv, out var lv) ? lv.ToString(inv) + "L"
                    : throw new ParameterException($"Parameter '{name}' is a long; '{raw}' is not a 64-bit integer.");
            case "double" or "Double" or "System.Double":
                return ParseFloating(name, raw, "double") is var dv && double.IsFinite(dv) ? DoubleLiteral(dv)
                    : double.IsNaN(dv) ? "double.NaN" : dv > 0 ? "double.PositiveInfinity" : "double.NegativeInfinity";
            case "float" or "Single" or "System.Single":
                var fv = (float)ParseFloating(name, raw, "float");
                return float.IsFinite(fv) ? fv.ToString("R", inv) + "f" : float.IsNaN(fv) ? "float.NaN" : fv > 0 ? "float.PositiveInfinity" : "float.NegativeInfinity";
            case "decimal" or "Decimal" or "System.Decimal":
                return decimal.TryParse(raw, NumberStyles.Float, inv, out var mv) ? mv.ToString(inv) + "m"
                    : throw new ParameterException($"Parameter '{name}' is a decimal; '{raw}' is not a number.");
            case "string" or "String" or "System.String":
                return StringLiteral(raw);
            default:
                throw new ParameterException($"Parameter '{name}' has type {declaredType}, which cannot be set from the command line (bool, int, long, float, double, decimal and string can).");
        }
    }

    private static double ParseFloating(string name, string raw, string type)
    {
        var inv = CultureInfo.InvariantCulture;
        switch (raw.ToLowerInvariant())
        {
            case "nan": return double.NaN;
            case "inf" or "+inf" or "infinity": return double.PositiveInfinity;
            case "-inf" or "-infinity": return double.NegativeInfinity;
        }
        return double.TryParse(raw, NumberStyles.Float, inv, out var d) ? d
            : throw new ParameterException($"Parameter '{name}' is a {type}; '{raw}' is not a number (use a dot as decimal separator).");
    }

    private static string DoubleLiteral(double d)
    {
        var s = d.ToString("R", CultureInfo.InvariantCulture);
        return s.Contains('.', StringComparison.Ordinal) || s.Contains('E', StringComparison.Ordinal) ? s : s + ".0";
    }

    /// <summary>A regular C# string literal with every special character escaped.</summary>
    public static string StringLiteral(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var sb = new StringBuilder("\"");
        foreach (var c in s)
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\0' => "\\0",
                _ when char.IsControl(c) || char.IsSurrogate(c) || c is '\u2028' or '\u2029' or '\u0085' => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        return sb.Append('"').ToString();
    }
}
