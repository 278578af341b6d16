using System.Reflection;
using FisherKit.Plotting.Formatting;

namespace FisherKit.Plotting.Tests;

public record Sample(string Name, double Value);

public sealed class Special { public override string ToString() => "special"; }

/// <summary>A type of "another library" that follows .NET Interactive's convention with its own attribute class.</summary>
[Convention.TypeFormatterSource(typeof(Convention.Source))]
public sealed class ConventionFormatted { }

public static class Convention
{
    [AttributeUsage(AttributeTargets.Class)]
    public sealed class TypeFormatterSourceAttribute(Type formatterSourceType) : Attribute
    {
        public Type FormatterSourceType { get; } = formatterSourceType;
    }

    public sealed class Source
    {
        public IEnumerable<object> CreateTypeFormatters() { yield return new Html(); }
    }

    public sealed class Html
    {
        public string MimeType => "text/html";
        public bool Format(object instance, TextWriter writer) { writer.Write("<i>by convention</i>"); return true; }
    }
}

/// <summary>The formatter registry: defaults, precedence, sources found through attributes.</summary>
[Collection("Formatter registry")]
public class FormatterTests
{
    [Fact]
    public void Every_value_has_invariant_plain_text()
    {
        Assert.Equal("0.5", Formatter.ToDisplayString(0.5));
        Assert.Equal("true", Formatter.ToDisplayString(true));
        Assert.Equal("null", Formatter.ToDisplayString(null));
        Assert.Equal("[1, 2, 3]", Formatter.ToDisplayString(new[] { 1, 2, 3 }));
        Assert.Equal("Sample { Name = a, Value = 1.5 }", Formatter.ToDisplayString(new Sample("a", 1.5)));
    }

    [Fact]
    public void Records_and_tuples_read_the_same_in_every_culture()
    {
        var before = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.GetCultureInfo("de-DE");
            Assert.Equal("Sample { Name = a, Value = 1.5 }", Formatter.ToDisplayString(new Sample("a", 1.5)));
            Assert.Equal("(0.25, x)", Formatter.ToDisplayString((0.25, "x")));
            Assert.Equal("[(0.5, 2)]", Formatter.ToDisplayString(new[] { (0.5, 2) }));
            Assert.Contains("<td>(1.5, 2)</td>", Formatter.ToDisplayString(new[] { (1.5, 2) }, MimeTypes.Html), StringComparison.Ordinal);
            Assert.Equal("de-DE", System.Globalization.CultureInfo.CurrentCulture.Name);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = before;
        }
    }

    [Fact]
    public void Long_sequences_are_cut_without_running_the_rest()
    {
        Assert.EndsWith(", 19, ... (5 more)]", Formatter.ToDisplayString(Enumerable.Range(0, 25).ToArray()), StringComparison.Ordinal);
        Assert.EndsWith(", 19, ... (5 more)]", Formatter.ToDisplayString(new HashSet<int>(Enumerable.Range(0, 25))), StringComparison.Ordinal);
        // An endless (or expensive, lazy) sequence: only the items shown are computed.
        var computed = 0;
        IEnumerable<int> Endless() { for (var i = 0; ; i++) { computed++; yield return i; } }
        Assert.EndsWith(", 19, ... (more)]", Formatter.ToDisplayString(Endless()), StringComparison.Ordinal);
        Assert.Contains("<p>... (more rows)</p>", Formatter.ToDisplayString(Endless(), MimeTypes.Html), StringComparison.Ordinal);
        Assert.True(computed <= 2 * (Formatter.ListExpansionLimit + 1) + Formatter.TableRowLimit + 1, $"{computed} items computed");
        Assert.Contains("<p>... (1 more rows)</p>", Formatter.ToDisplayString(Enumerable.Range(0, Formatter.TableRowLimit + 1).ToList(), MimeTypes.Html), StringComparison.Ordinal);
        var (items, rows) = (Formatter.ListExpansionLimit, Formatter.TableRowLimit);
        try
        {
            (Formatter.ListExpansionLimit, Formatter.TableRowLimit) = (-1, -1);   // no items shown, not endless ones
            Assert.Equal("[... (more)]", Formatter.ToDisplayString(Endless()));
            Assert.Equal("{ ... (2 more) }", Formatter.ToDisplayString(new Dictionary<string, int> { ["a"] = 1, ["b"] = 2 }));
            Formatter.ListExpansionLimit = 1;
            Assert.Equal("{ a: 1, ... (1 more) }", Formatter.ToDisplayString(new Dictionary<string, int> { ["a"] = 1, ["b"] = 2 }));
            Assert.Contains("<p>... (more rows)</p>", Formatter.ToDisplayString(Endless(), MimeTypes.Html), StringComparison.Ordinal);
        }
        finally
        {
            (Formatter.ListExpansionLimit, Formatter.TableRowLimit) = (items, rows);
        }
    }

    [Fact]
    public void Dictionaries_list_their_entries()
    {
        Assert.Equal("{ a: 1.5, b: NaN }", Formatter.ToDisplayString(new Dictionary<string, double> { ["a"] = 1.5, ["b"] = double.NaN }));
        Assert.Equal("{ 1: x }", Formatter.ToDisplayString(new System.Collections.Hashtable { [1] = "x" }));
        Assert.Equal("{ a: { 2: [true] } }", Formatter.ToDisplayString(new SortedDictionary<string, object> { ["a"] = new Dictionary<int, bool[]> { [2] = [true] } }));
    }

    [Fact]
    public void Sequences_of_records_become_html_tables_with_a_column_per_property()
    {
        var html = Formatter.ToDisplayString(new[] { new Sample("a", 1), new Sample("<b>", 2.5) }, MimeTypes.Html);
        Assert.Contains("<th>Name</th><th>Value</th>", html);
        Assert.Contains("<td>&lt;b&gt;</td><td>2.5</td>", html);
        Assert.DoesNotContain("EqualityContract", html);
        Assert.False(Formatter.ToMimeBundle("text").ContainsKey(MimeTypes.Html));
    }

    [Fact]
    public void Figures_give_html_plotly_json_and_text()
    {
        var bundle = Formatter.ToMimeBundle(Chart.Line(new[] { 0.0 }, new[] { 1.0 }));
        Assert.Equal(new[] { MimeTypes.Plotly, MimeTypes.PlainText, MimeTypes.Html }.Order(), bundle.Keys.Order());
        Assert.StartsWith("{\"data\":[{\"type\":\"scatter\"", bundle[MimeTypes.Plotly]);
        Assert.Contains("class=\"fisherkit-figure\"", bundle[MimeTypes.Html]);
    }

    [Fact]
    public void The_most_specific_formatter_wins_and_later_registrations_override()
    {
        Formatter.Register<Special>(MimeTypes.Html, s => "<b>first</b>");
        Assert.Equal("<b>first</b>", Formatter.ToDisplayString(new Special(), MimeTypes.Html));
        Formatter.Register<Special>(MimeTypes.Html, s => "<b>second</b>");
        Assert.Equal("<b>second</b>", Formatter.ToDisplayString(new Special(), MimeTypes.Html));
        Assert.Equal("special", Formatter.ToDisplayString(new Special()));
    }

    [Fact]
    public void Formatter_sources_of_other_libraries_are_found_by_convention()
    {
        Assert.Equal("<i>by convention</i>", Formatter.ToDisplayString(new ConventionFormatted(), MimeTypes.Html));
    }

    [Fact]
    public void Figure_formatters_follow_the_dotnet_interactive_convention()
    {
        // What .NET Interactive does, by reflection only: an attribute named TypeFormatterSourceAttribute
        // with FormatterSourceType, a source with CreateTypeFormatters(), formatters with MimeType and a
        // single Format(object, TextWriter) returning bool.
        var attr = typeof(Figure).GetCustomAttributes(true).Single(a => a.GetType().Name == "TypeFormatterSourceAttribute");
        var sourceType = (Type)attr.GetType().GetProperty("FormatterSourceType")!.GetValue(attr)!;
        var source = Activator.CreateInstance(sourceType)!;
        var formatters = ((System.Collections.IEnumerable)sourceType.GetMethod("CreateTypeFormatters")!.Invoke(source, null)!).Cast<object>().ToArray();
        var html = formatters.Single(f => (string)f.GetType().GetProperty("MimeType")!.GetValue(f)! == "text/html");
        var format = html.GetType().GetMethod("Format")!; // must not be ambiguous
        Assert.Equal(typeof(bool), format.ReturnType);
        Assert.Equal([typeof(object), typeof(TextWriter)], format.GetParameters().Select(p => p.ParameterType));
        using var w = new StringWriter();
        Assert.True((bool)format.Invoke(html, [Chart.Line(new[] { 0.0 }, new[] { 1.0 }), w])!);
        Assert.Contains("Plotly.newPlot", w.ToString());
        Assert.Equal(typeof(Figure), html.GetType().GetProperty("Type")!.GetValue(html));
    }

    [Fact]
    public void Displayed_values_go_to_the_current_host_and_updates_keep_their_id()
    {
        var host = new RecordingHost();
        using (Display.UseHost(host))
        {
            var handle = Display.Show(41);
            handle.Update(42);
        }
        Assert.Equal(2, host.Events.Count);
        Assert.Equal(("show", "41"), (host.Events[0].Kind, host.Events[0].Text));
        Assert.Equal(("update", "42"), (host.Events[1].Kind, host.Events[1].Text));
        Assert.Equal(host.Events[0].Id, host.Events[1].Id);
        Assert.Null(Display.Host);
    }

    private sealed class RecordingHost : IDisplayHost
    {
        public List<(string Kind, string Text, string Id)> Events { get; } = [];
        public void Display(MimeBundle bundle, string displayId) => Events.Add(("show", bundle[MimeTypes.PlainText], displayId));
        public void UpdateDisplay(MimeBundle bundle, string displayId) => Events.Add(("update", bundle[MimeTypes.PlainText], displayId));
    }
}
