using System.Text.Json.Nodes;
using FisherKit.Notebooks.Kernel;
using FisherKit.Notebooks.Tests.Kernel;

namespace FisherKit.Notebooks.Tests;

/// <summary>
/// FISHERKIT_ONEDNN chooses what FisherKit does with libtorch's oneDNN on first use (OneDnn.EnsureCorrectConvolutions,
/// once per process, hence a notebook run in a process of its own per mode). The default, off, is what every other
/// test runs with; here the two other modes, and a value that is none of them.
/// </summary>
public sealed class OneDnnModeTests
{
    private static (bool Returned, bool Enabled, double MeasuredError, string Diagnosis) Verdict(string mode)
    {
        using var dir = new TempFolder();
        var fisherKit = Path.Combine(RepositoryPaths.Root, "out", "bin", "FisherKit", "Release", "net10.0", "FisherKit.dll");
        Assert.True(File.Exists(fisherKit), $"{fisherKit} is missing (dotnet build -c Release).");
        var input = dir.File("onednn.ipynb");
        File.WriteAllText(input, Notebooks.Json(Notebooks.Cell(
            "#r \"nuget: TorchSharp-cpu, 0.107.0\"\n" +
            $"#r \"{fisherKit}\"\n" +
            "using FisherKit.TorchSharpAdditions;\n" +
            "var returned = OneDnn.EnsureCorrectConvolutions();\n" +
            "Console.WriteLine($\"{returned}|{OneDnn.Enabled}|{OneDnn.MeasuredError.ToString(System.Globalization.CultureInfo.InvariantCulture)}|{OneDnn.Diagnosis}\");")));
        using var run = new ChildProcess(KernelSpec.Launcher()[0], [.. KernelSpec.Launcher().Skip(1), "run", input, "-o", dir.File("out"), "--no-images"],
            new Dictionary<string, string> { ["FISHERKIT_ONEDNN"] = mode }, RepositoryPaths.Root);
        var code = run.WaitAsync(TimeSpan.FromSeconds(180)).GetAwaiter().GetResult();
        Assert.True(code == 0, $"the run failed ({code}):\n{ChildProcess.Tail(run.Output)}");
        var executed = JsonNode.Parse(File.ReadAllText(dir.File("out/onednn.ipynb")))!;
        var text = string.Concat(executed["cells"]!.AsArray().SelectMany(c => c!["outputs"]?.AsArray() ?? [])
            .Where(o => (string?)o!["name"] == "stdout")
            .SelectMany(o => o!["text"] is JsonArray lines ? lines.Select(l => (string)l!) : [(string)o!["text"]!])).Trim();
        var parts = text.Split('|', 4);
        Assert.True(parts.Length == 4, $"unexpected output: {text}");
        return (bool.Parse(parts[0]), bool.Parse(parts[1]), double.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture), parts[3]);
    }

    [Fact]
    public void Keep_leaves_onednn_on_and_unchecked()
    {
        var (returned, enabled, error, diagnosis) = Verdict("keep");
        Assert.Equal("oneDNN left as it is (FISHERKIT_ONEDNN=keep); not checked", diagnosis);
        Assert.True(returned && enabled, "libtorch's default is oneDNN on");
        Assert.True(double.IsNaN(error), "nothing was measured");
    }

    [Fact]
    public void Check_measures_and_its_verdict_agrees_with_what_it_measured()
    {
        var (returned, enabled, error, diagnosis) = Verdict("check");
        Assert.Equal(returned, enabled);
        Assert.False(double.IsNaN(error), $"the check measured nothing: {diagnosis}");
        if (error <= 1e-3)
            Assert.True(enabled && diagnosis.StartsWith("oneDNN on:", StringComparison.Ordinal), $"error {error:G3}: {diagnosis}");
        else
            Assert.True(!enabled && diagnosis.StartsWith("oneDNN switched off: its float32 convolution results", StringComparison.Ordinal), $"error {error:G3}: {diagnosis}");
    }

    [Fact]
    public void A_mistyped_mode_switches_onednn_off_and_says_so()
    {
        var (returned, enabled, error, diagnosis) = Verdict(" Kep ");
        Assert.Equal("oneDNN switched off, FisherKit's default: FISHERKIT_ONEDNN=\" Kep \" is none of off, check, keep", diagnosis);
        Assert.False(returned || enabled);
        Assert.True(double.IsNaN(error), "nothing was measured");
    }
}
