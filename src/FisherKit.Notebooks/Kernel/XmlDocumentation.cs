using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;

namespace FisherKit.Notebooks.Kernel;

/// <summary>
/// Finds the XML documentation of a symbol for quick info: from the cell's own doc comments, from
/// the <c>.xml</c> file next to a referenced assembly, and for the .NET libraries from the
/// reference pack of the SDK (<c>packs/Microsoft.NETCore.App.Ref</c>), where the documentation of
/// types implemented in <c>System.Private.CoreLib</c> lives in the files of their contract assemblies.
/// </summary>
internal static partial class XmlDocumentation
{
    private static readonly ConcurrentDictionary<string, Dictionary<string, XElement>?> Files = new(StringComparer.Ordinal);
    private static readonly Lazy<string?> ReferencePack = new(FindReferencePack);

    /// <summary>The documentation element (<c>&lt;member&gt;</c>) of the symbol, when there is one.</summary>
    public static XElement? Find(ISymbol symbol, Compilation compilation)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        symbol = symbol.OriginalDefinition;
        if (symbol is IMethodSymbol { ReducedFrom: { } reduced }) symbol = reduced;
        var own = symbol.GetDocumentationCommentXml();
        if (!string.IsNullOrWhiteSpace(own))
        {
            try { return XElement.Parse(own); }
            catch (XmlException) { }
        }
        var id = symbol.GetDocumentationCommentId();
        if (id is null || symbol.ContainingAssembly is not { } assembly) return null;
        foreach (var file in Candidates(symbol, assembly, compilation))
            if (Load(file) is { } members && members.TryGetValue(id, out var member)) return member;
        return null;
    }

    /// <summary>Summary (and with <paramref name="detailed"/> parameters, returns, remarks) as plain text.</summary>
    public static string Describe(XElement member, bool detailed)
    {
        ArgumentNullException.ThrowIfNull(member);
        var sb = new StringBuilder();
        if (member.Element("summary") is { } summary) sb.AppendLine(Text(summary));
        if (!detailed) return sb.ToString().TrimEnd();
        foreach (var p in member.Elements("typeparam").Concat(member.Elements("param")))
            sb.AppendLine($"  {p.Attribute("name")?.Value}: {Text(p)}");
        if (member.Element("returns") is { } returns) sb.AppendLine("Returns: " + Text(returns));
        if (member.Element("value") is { } value) sb.AppendLine("Value: " + Text(value));
        foreach (var e in member.Elements("exception"))
            sb.AppendLine($"Throws {Cref(e.Attribute("cref")?.Value)}: {Text(e)}");
        if (member.Element("remarks") is { } remarks && Text(remarks) is { Length: > 0 } r) sb.AppendLine("Remarks: " + r);
        return sb.ToString().TrimEnd();
    }

    private static string Text(XElement element)
    {
        var sb = new StringBuilder();
        foreach (var node in element.Nodes())
        {
            switch (node)
            {
                case XText t: sb.Append(t.Value); break;
                case XElement { Name.LocalName: "see" or "seealso" } e:
                    sb.Append(e.Attribute("langword")?.Value ?? (e.IsEmpty ? Cref(e.Attribute("cref")?.Value ?? e.Attribute("href")?.Value) : Text(e)));
                    break;
                case XElement { Name.LocalName: "paramref" or "typeparamref" } e: sb.Append(e.Attribute("name")?.Value); break;
                case XElement { Name.LocalName: "para" or "br" } e: sb.Append(' ').Append(Text(e)).Append(' '); break;
                case XElement e: sb.Append(Text(e)); break;
            }
        }
        return Spaces().Replace(sb.ToString(), " ").Trim();
    }

    private static string Cref(string? cref)
    {
        if (string.IsNullOrEmpty(cref)) return "";
        var isMember = cref.Length > 2 && cref[1] == ':' && cref[0] is 'M' or 'P' or 'F' or 'E';
        var name = cref.Length > 2 && cref[1] == ':' ? cref[2..] : cref;
        var paren = name.IndexOf('(', StringComparison.Ordinal);
        if (paren >= 0) name = name[..paren];
        var parts = Arity().Replace(name, "").Split('.');
        return isMember && parts.Length >= 2 ? string.Join('.', parts.TakeLast(2)) : parts[^1];
    }

    private static IEnumerable<string> Candidates(ISymbol symbol, IAssemblySymbol assembly, Compilation compilation)
    {
        if (compilation.GetMetadataReference(assembly) is PortableExecutableReference { FilePath: { } path })
            yield return Path.ChangeExtension(path, ".xml");
        if (ReferencePack.Value is not { } pack) yield break;
        yield return Path.Combine(pack, assembly.Name + ".xml");
        // Types of System.Private.CoreLib are documented in their contract assembly: try the namespace and its parents.
        var ns = symbol is INamespaceSymbol n ? n.ToDisplayString() : symbol.ContainingNamespace?.ToDisplayString() ?? "";
        for (var name = ns; name.Length > 0; name = name.Contains('.', StringComparison.Ordinal) ? name[..name.LastIndexOf('.')] : "")
            yield return Path.Combine(pack, name + ".xml");
        yield return Path.Combine(pack, "System.Runtime.xml");
    }

    private static Dictionary<string, XElement>? Load(string file) => Files.GetOrAdd(file, f =>
    {
        if (!File.Exists(f)) return null;
        try
        {
            var members = new Dictionary<string, XElement>(StringComparer.Ordinal);
            using var reader = XmlReader.Create(f, new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, IgnoreWhitespace = false });
            while (reader.ReadToFollowing("member"))
                if (XNode.ReadFrom(reader) is XElement member && member.Attribute("name")?.Value is { } name) members.TryAdd(name, member);
            return members;
        }
        catch (Exception e) when (e is XmlException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    });

    /// <summary>The reference pack of the running .NET version: <c>dotnet/packs/Microsoft.NETCore.App.Ref/VERSION/ref/netX.Y</c>.</summary>
    private static string? FindReferencePack()
    {
        var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location);
        if (runtime is null) return null;
        var version = Path.GetFileName(runtime);
        var root = Path.GetFullPath(Path.Combine(runtime, "..", "..", ".."));
        var packs = Path.Combine(root, "packs", "Microsoft.NETCore.App.Ref");
        if (!Directory.Exists(packs)) return null;
        var tfm = $"net{Environment.Version.Major}.{Environment.Version.Minor}";
        var exact = Path.Combine(packs, version, "ref", tfm);
        if (Directory.Exists(exact)) return exact;
        return Directory.GetDirectories(packs).Select(d => Path.Combine(d, "ref", tfm)).Where(Directory.Exists).Order(StringComparer.Ordinal).LastOrDefault();
    }

    [GeneratedRegex("`+[0-9]+")]
    private static partial Regex Arity();

    [GeneratedRegex("[ \\t\\r\\n]+")]
    private static partial Regex Spaces();
}
