using System.Text.Json.Nodes;
using FisherKit.Notebooks.Kernel;
using FisherKit.Notebooks.Model;
using FisherKit.Notebooks.Runner;
using Xunit.Abstractions;

namespace FisherKit.Notebooks.Tests.Kernel;

/// <summary>nbconvert (Debian's jupyter-nbconvert and nbclient) executes a FisherKit notebook through the kernel.</summary>
[Collection("kernel")]
public sealed class NbconvertTests(ITestOutputHelper output)
{
    // Outputs compared as written (plotly.js MIME types and non-ASCII text unescaped).
    private static readonly System.Text.Json.JsonSerializerOptions relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [JupyterFact]
    public async Task Nbconvert_executes_the_getting_started_notebook_with_the_outputs_of_the_headless_engine()
    {
        using var sandbox = new JupyterTools.Sandbox();
        var root = RepositoryPaths.Root;
        var notebook = Path.Combine(root, "notebooks", "00-getting-started.ipynb");
        var plotting = Path.Combine(root, "out", "bin", "FisherKit.Plotting", "Release", "net10.0", "FisherKit.Plotting.dll");
        Assert.True(File.Exists(plotting), $"{plotting} is missing: the notebook references the Release build (dotnet build -c Release).");
        var viaKernel = Path.Combine(sandbox.Root, "kernel");
        var headless = Path.Combine(sandbox.Root, "headless");

        // Both runs at once: nbconvert through the kernel, and `fisherkit run` (static images are a
        // post-pass of the headless runner, not the engine, so they are left out).
        // On a CPU where oneDNN's float32 convolution gradients are wrong, the engine's check can miss the fault in
        // one process and find it in another (it is intermittent, see OneDnn), and the notebook shows the verdict:
        // both runs switch oneDNN off, so that their outputs compare. OneDnnTests test the check itself.
        var environment = new Dictionary<string, string>(sandbox.Environment) { ["FISHERKIT_ONEDNN"] = "off" };
        using var nbconvert = new ChildProcess(JupyterTools.Jupyter,
            ["nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.kernel_name=fisherkit-csharp",
             "--ExecutePreprocessor.timeout=180", "--output-dir", viaKernel, notebook], environment, root);
        using var run = new ChildProcess(KernelSpec.Launcher()[0], [.. KernelSpec.Launcher().Skip(1), "run", notebook, "-o", headless, "--no-images"],
            new Dictionary<string, string> { ["FISHERKIT_ONEDNN"] = "off" }, root);
        var codes = await Task.WhenAll(nbconvert.WaitAsync(TimeSpan.FromSeconds(240)), run.WaitAsync(TimeSpan.FromSeconds(240)));
        output.WriteLine(nbconvert.Output);
        output.WriteLine(run.Output);
        Assert.True(codes[0] == 0, $"nbconvert failed ({codes[0]}):\n{ChildProcess.Tail(nbconvert.Output)}");
        Assert.True(codes[1] == 0, $"fisherkit run failed ({codes[1]}):\n{ChildProcess.Tail(run.Output)}");

        var executedFile = Path.Combine(viaKernel, "00-getting-started.ipynb");
        var executed = JsonNode.Parse(File.ReadAllText(executedFile))!;
        // nbclient records the kernel's language_info (the notebook keeps its own kernelspec metadata).
        Assert.Equal("C#", (string?)executed["metadata"]!["language_info"]!["name"]);

        var kernelCells = NotebookOutputs.Read(executedFile, root);
        var headlessCells = NotebookOutputs.Read(Path.Combine(headless, "00-getting-started.ipynb"), root);
        Assert.Equal(headlessCells.Count, kernelCells.Count);
        var all = string.Concat(kernelCells.Select(c => c.ToJsonString(relaxed)));
        Assert.Contains("sampler checks passed", all);
        Assert.Contains("done: 5 steps", all);
        Assert.Contains("application/vnd.plotly.v1+json", all);
        Assert.DoesNotContain("\"output_type\":\"error\"", all);
        // plotly.js is inlined once, in the first figure; later figures stay light.
        Assert.Equal(1, CountOf(File.ReadAllText(executedFile), "plotly.js v"));
        for (var i = 0; i < kernelCells.Count; i++)
        {
            var a = headlessCells[i].ToJsonString(relaxed);
            var b = kernelCells[i].ToJsonString(relaxed);
            Assert.True(JsonNode.DeepEquals(headlessCells[i], kernelCells[i]),
                $"code cell {i + 1}: headless and kernel outputs differ {NotebookOutputs.FirstDifference(a, b)}");
        }
        output.WriteLine($"{kernelCells.Count} code cells, identical outputs");
    }

    [JupyterFact]
    public async Task Nbconvert_executes_a_paper_notebook_in_quick_mode_through_the_kernel()
    {
        // The mammography notebook, the quickest paper notebook with everything a paper notebook does: a
        // simulator, training through the result cache, figures, DataFrames, attributions and the closing
        // claims table (display handles updated in place: the getting-started test above).
        // quick = true is injected after the parameters cell as `fisherkit run -p` (and papermill) do;
        // the notebook goes in on stdin so the kernel starts in notebooks/, where its relative paths point.
        using var sandbox = new JupyterTools.Sandbox();
        var root = RepositoryPaths.Root;
        var notebook = Notebook.Load(Path.Combine(root, "notebooks", "09-mammography-iqa.ipynb"));
        var warnings = new List<string>();
        NotebookRunner.InjectParameters(notebook, new Dictionary<string, string> { ["quick"] = "true" }, warnings);
        Assert.Empty(warnings);
        var outDir = Path.Combine(sandbox.Root, "kernel");
        using var nbconvert = new ChildProcess(JupyterTools.Jupyter,
            ["nbconvert", "--stdin", "--to", "notebook", "--execute", "--ExecutePreprocessor.kernel_name=fisherkit-csharp",
             "--ExecutePreprocessor.timeout=600", "--output-dir", outDir, "--output", "quick09"],
            sandbox.Environment, Path.Combine(root, "notebooks"), standardInput: notebook.ToJson());
        var code = await nbconvert.WaitAsync(TimeSpan.FromSeconds(900));
        output.WriteLine(ChildProcess.Tail(nbconvert.Output));
        Assert.True(code == 0, $"nbconvert failed ({code}):\n{ChildProcess.Tail(nbconvert.Output)}");

        var cells = NotebookOutputs.Read(Path.Combine(outDir, "quick09.ipynb"), root);
        var all = string.Concat(cells.Select(c => c.ToJsonString(relaxed)));
        Assert.DoesNotContain("\"output_type\":\"error\"", all);
        Assert.True(cells.Count(c => c.ToJsonString(relaxed).Contains("application/vnd.plotly.v1+json", StringComparison.Ordinal)) >= 5, "expected the notebook's figures");
        Assert.Contains("test devices × 16 images evaluated", all);     // the single-image against 16-image comparison ran
        Assert.Contains("relative distance to the float64 map", all);   // the Fisher sensitivity map and its checks
        Assert.Contains("a CNN reads the CDC from a single image", all); // the closing claims table
        output.WriteLine($"{cells.Count} code cells through the kernel, no errors");
    }

    private static int CountOf(string text, string what)
    {
        var n = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal)) n++;
        return n;
    }
}
