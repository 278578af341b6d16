using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace FisherKit.Notebooks.Kernel;

/// <summary>
/// Makes a cell interruptible before it is compiled: every loop body (<c>while</c>, <c>do</c>,
/// <c>for</c>, <c>foreach</c>) starts with a call to <see cref="CellInterrupt.Check"/>, the
/// operand of every <c>await</c> goes through <see cref="CellInterrupt.Await(Task)"/>, and the first
/// top-level statement or variable is preceded by <see cref="CellInterrupt.Enter"/>. Text is only
/// inserted inside lines, never new lines, so line numbers in errors and stack traces stay those of
/// the cell. If the changed cell does not compile, the kernel runs the cell as written.
/// </summary>
internal static class InterruptInstrumentation
{
    private const string Type = "global::FisherKit.Notebooks.Kernel.CellInterrupt";
    private const string CheckCall = Type + ".Check();";
    private static readonly CSharpParseOptions Options = new(LanguageVersion.Preview, kind: SourceCodeKind.Script);

    public static string Instrument(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        var root = CSharpSyntaxTree.ParseText(code, Options).GetRoot();
        var inserts = new List<(int Position, int Order, string Text)>();
        // Top-level statements and variables (fields of the script class) are the code that runs first.
        if (root is CompilationUnitSyntax unit && unit.Members.FirstOrDefault(m => m is GlobalStatementSyntax or FieldDeclarationSyntax) is { } first)
            inserts.Add((first.SpanStart, 0, Type + ".Enter();"));
        foreach (var node in root.DescendantNodes())
        {
            switch (node)
            {
                case WhileStatementSyntax s: Body(s.Statement, inserts); break;
                case DoStatementSyntax s: Body(s.Statement, inserts); break;
                case ForStatementSyntax s: Body(s.Statement, inserts); break;
                case CommonForEachStatementSyntax s: Body(s.Statement, inserts); break;
                case AwaitExpressionSyntax a when !a.Expression.IsMissing:
                    inserts.Add((a.Expression.SpanStart, 0, Type + ".Await("));
                    inserts.Add((a.Expression.Span.End, 1, ")"));
                    break;
            }
        }
        if (inserts.Count == 0) return code;
        var sb = new StringBuilder(code);
        // From the end, so earlier positions stay valid; at one position closing text goes after opening text.
        foreach (var (position, _, text) in inserts.OrderByDescending(i => i.Position).ThenBy(i => i.Order))
            sb.Insert(position, text);
        return sb.ToString();
    }

    private static void Body(StatementSyntax body, List<(int, int, string)> inserts)
    {
        if (body.IsMissing) return;
        if (body is BlockSyntax block)
        {
            if (!block.OpenBraceToken.IsMissing) inserts.Add((block.OpenBraceToken.Span.End, 2, CheckCall));
            return;
        }
        inserts.Add((body.SpanStart, 0, "{" + CheckCall));
        inserts.Add((body.Span.End, 1, "}"));
    }
}
