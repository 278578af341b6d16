using FisherKit.Notebooks.Execution;
using FisherKit.Notebooks.Kernel;

namespace FisherKit.Notebooks.Tests.Kernel;

/// <summary>Completion and quick info from Roslyn against the live script state.</summary>
[Collection("engine")]
public sealed class CodeAssistantTests : IAsyncLifetime
{
    private readonly ScriptEngine _engine = new();
    private readonly TempFolder _dir = new();
    private CodeAssistant Assistant => new(_engine);

    public async Task InitializeAsync()
    {
        await _engine.StartAsync(new EngineOptions { NotebookDirectory = _dir.Path }, CancellationToken.None);
        var r = await _engine.ExecuteAsync("var numbers = new List<int> { 1, 2, 3 };\n/// <summary>Doubles a number.</summary>\nint Twice(int x) => 2 * x;\nrecord Point(double X, double Y);",
            "cell 1", new RecordingObserver(), CancellationToken.None);
        Assert.Equal(CellStatus.Ok, r.Status);
    }

    public async Task DisposeAsync()
    {
        await _engine.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public void Members_of_a_variable_from_an_earlier_cell_complete_after_the_dot()
    {
        var (items, start, end) = Assistant.Complete("numbers.Ad", 10);
        Assert.Equal((8, 10), (start, end));
        Assert.Contains(items, i => i.Text == "Add" && i.Kind == "method");
        Assert.Contains(items, i => i.Text == "AddRange");
        Assert.All(items, i => Assert.StartsWith("Ad", i.Text, StringComparison.OrdinalIgnoreCase));
        var all = Assistant.Complete("numbers.", 8).Items;
        Assert.Contains(all, i => i.Text == "Count" && i.Kind == "property");
        Assert.Contains(all, i => i.Text == "Select" && i.Kind == "method");  // LINQ extension methods
        Assert.DoesNotContain(all, i => i.Text == "ReferenceEquals");         // static members of object are not offered on a value
    }

    [Fact]
    public void Names_in_scope_complete_with_their_kind()
    {
        var items = Assistant.Complete("var y = Tw", 10).Items;
        Assert.Contains(items, i => i.Text == "Twice" && i.Kind == "method" && i.Signature.Contains("int x", StringComparison.Ordinal));
        Assert.Contains(Assistant.Complete("num", 3).Items, i => i.Text == "numbers" && i.Kind == "variable");
        Assert.Contains(Assistant.Complete("Poi", 3).Items, i => i.Text == "Point" && i.Kind == "record");
        Assert.Contains(Assistant.Complete("fore", 4).Items, i => i.Text == "foreach" && i.Kind == "keyword");
        Assert.Contains(Assistant.Complete("Math.Sq", 7).Items, i => i.Text == "Sqrt");
        Assert.Contains(Assistant.Complete("System.Text.", 12).Items, i => i.Text == "StringBuilder");
        Assert.Contains(Assistant.Complete("numbers?.Fir", 12).Items, i => i.Text == "First");
    }

    [Fact]
    public void Completion_in_the_middle_of_a_cell_with_a_directive_line_maps_positions_back()
    {
        var code = "#!csharp\nvar z = numbers.Cou + 1;";
        var cursor = code.IndexOf("Cou", StringComparison.Ordinal) + 3;
        var (items, start, end) = Assistant.Complete(code, cursor);
        Assert.Contains(items, i => i.Text == "Count");
        Assert.Equal(code.IndexOf("Cou", StringComparison.Ordinal), start);
        Assert.Equal(cursor, end);
    }

    [Fact]
    public void Quick_info_shows_the_signature_the_documentation_and_the_value_of_a_variable()
    {
        var sqrt = Assistant.Inspect("Math.Sqrt(2)", 7, detailed: false)!;
        Assert.StartsWith("(method) double Math.Sqrt(double d)", sqrt);
        Assert.Contains("square root", sqrt);                     // from the SDK's reference documentation
        var detailed = Assistant.Inspect("Math.Sqrt(2)", 7, detailed: true)!;
        Assert.Contains("d: The number whose square root is to be found.", detailed);
        var numbers = Assistant.Inspect("numbers", 3, detailed: false)!;
        Assert.Contains("(variable) List<int> numbers", numbers);
        Assert.Contains("Value: [1, 2, 3]", numbers);
        Assert.Contains("Doubles a number.", Assistant.Inspect("Twice(3)", 2, detailed: false)!);
        Assert.Contains("Adds an object", Assistant.Inspect("numbers.Add(4)", 10, detailed: false)!);
        Assert.Null(Assistant.Inspect("   ", 1, detailed: false));
    }

    [Theory]
    [InlineData("var a = 1;", "complete", "")]
    [InlineData("numbers.Count", "complete", "")]
    [InlineData("for (int i = 0; i < 3; i++) {", "incomplete", "    ")]
    [InlineData("if (true)\n{\n    var b = 1;", "incomplete", "    ")]
    [InlineData("var s = \"unterminated", "incomplete", "")]
    [InlineData("var c = 1 +;", "invalid", "")]
    public void Is_complete_tells_finished_code_from_code_that_goes_on(string code, string status, string indent)
    {
        Assert.Equal((status, indent), CodeAssistant.IsComplete(code));
    }
}
