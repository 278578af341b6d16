using FisherKit.Notebooks.Runner;

namespace FisherKit.Notebooks.Tests;

/// <summary>Translation of command-line values into C# literals, by declared type.</summary>
public class ParameterTests
{
    [Theory]
    [InlineData("true", "bool", "true")]
    [InlineData("False", "bool", "false")]
    [InlineData("5", "int", "5")]
    [InlineData("5", "long", "5L")]
    [InlineData("5", "double", "5.0")]
    [InlineData("1e-3", "double", "0.001")]
    [InlineData("0.5", "float", "0.5f")]
    [InlineData("nan", "double", "double.NaN")]
    [InlineData("2.50", "decimal", "2.50m")]
    [InlineData("null", "string?", "(string?)null")]
    [InlineData("5", "int?", "(int?)5")]
    [InlineData("0.5", "double?", "(double?)0.5")]
    [InlineData("true", "bool ?", "(bool?)true")]
    [InlineData("x", "string?", "\"x\"")]
    [InlineData("a \"quoted\"\\path\n", "string", "\"a \\\"quoted\\\"\\\\path\\n\"")]
    [InlineData("true", null, "true")]
    [InlineData("7", "var", "7")]
    [InlineData("3000000000", null, "3000000000L")]
    [InlineData("0.25", null, "0.25")]
    [InlineData("fashion", null, "\"fashion\"")]
    public void Values_become_literals_of_the_declared_type(string raw, string? type, string expected) =>
        Assert.Equal(expected, Parameters.ToLiteral("p", raw, type));

    [Theory]
    [InlineData("yes", "bool")]
    [InlineData("3000000000", "int")]
    [InlineData("1,5", "double")]
    [InlineData("x", "DateTime")]
    public void Values_that_do_not_fit_are_rejected_naming_the_parameter(string raw, string type)
    {
        var e = Assert.Throws<ParameterException>(() => Parameters.ToLiteral("lr", raw, type));
        Assert.Contains("'lr'", e.Message);
    }

    [Fact]
    public void Declared_parameters_are_read_from_the_cell_and_unknown_names_warned_about()
    {
        var declared = Parameters.Declared("bool quick = false; // comment\nint epochs = 10, batch = 64;\nvar name = \"a\";");
        Assert.Equal("bool", declared["quick"]);
        Assert.Equal("int", declared["batch"]);
        Assert.Equal("var", declared["name"]);
        var (source, warnings) = Parameters.InjectedCell("double lr = 1e-3;", new Dictionary<string, string> { ["lr"] = "1", ["extra"] = "x" });
        Assert.Contains("var lr = 1.0;\n", source);
        Assert.Contains("var extra = \"x\";\n", source);
        Assert.Contains("'extra'", Assert.Single(warnings));
    }

    [Fact]
    public void Malformed_assignments_are_rejected()
    {
        Assert.Throws<ParameterException>(() => Parameters.ParseAssignments(["novalue"]));
        Assert.Throws<ParameterException>(() => Parameters.ParseAssignments(["1bad=2"]));
        Assert.Contains("keyword", Assert.Throws<ParameterException>(() => Parameters.ParseAssignments(["class=2"])).Message); // 'var class = 2;' does not compile
        Assert.Equal("2", Parameters.ParseAssignments(["async=2"])["async"]); // a contextual keyword is a fine name
        Assert.Equal("a=b", Parameters.ParseAssignments(["x=a=b"])["x"]);
    }
}
