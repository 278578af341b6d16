namespace FisherKit.Interactive.Tests;

/// <summary>
/// A notebook that references FisherKit.dll by path, as the repository's notebooks do, run in the users'
/// <c>.net-csharp</c> kernel (no kernel extension is loaded that way: FisherKit registers itself on first use).
/// </summary>
public sealed class ByPathNotebookTests
{
    [JupyterFact]
    public void Figures_tensors_and_display_updates_show_in_dotnet_interactive_and_the_saved_notebook_keeps_the_final_state()
    {
        var fisherKit = Path.Combine(RepositoryPaths.Root, "out", "bin", "FisherKit", "Release", "net10.0", "FisherKit.dll");
        Assert.True(File.Exists(fisherKit), $"{fisherKit} is missing: build in Release (dotnet build src/FisherKit -c Release).");
        using var kernel = new DotNetInteractiveKernel();
        var notebook = kernel.Write("by-path.ipynb",
            $"#r \"nuget: TorchSharp-cpu, 0.107.0\"\n#r \"{fisherKit}\"\nusing TorchSharp;\nusing static TorchSharp.torch;\n" +
            "using FisherKit.Plotting;\nusing FisherKit.Plotting.Formatting;\n" +
            "display(FisherKit.TorchSharpAdditions.TorchEngine.Describe());\nFisherKit.Hosting.DotNetInteractive.Status",
            // 1: .NET Interactive's own display(...).Update(...)
            "var p = display(\"starting\");\np.Update(\"step 1\");\np.Update(\"done\");",
            // 2: FisherKit's display handles, as live training curves and progress use them
            "var curve = Display.Show(Chart.Line(new double[] { 1, 2 }, new double[] { 1, 4 }, title: \"epoch 1\"));\n" +
            "var progress = Display.Show(\"epoch 1 of 2\");\n" +
            "curve.Update(Chart.Line(new double[] { 1, 2, 3 }, new double[] { 1, 4, 2 }, title: \"epoch 2\"));\n" +
            "progress.Update(\"finished: 2 epochs\");",
            // 3: a figure as the cell's value
            "Chart.Line(new double[] { 1, 2, 3 }, new double[] { 1, 4, 9 }, title: \"second\")",
            // 4: a tensor
            "manual_seed(0);\nvar t = randn(3, 4);\nt",
            // 5: a tensor inside a tuple
            "(weights: ones(2, 2), count: 3)",
            // 6: a handle of an earlier cell, updated from a later one
            "progress.Update(\"finished: 2 epochs, saved\");",
            // 7: a result table (a DataFrame of FisherKit's helpers), the same HTML as in FisherKit's engine
            "using FisherKit.Plotting.Tables;\nusing Microsoft.Data.Analysis;\n" +
            "var table = DataFrames.FromRows(new[] { \"score\", \"AUROC\" }, new[] { new[] { \"Fisher <form>\", 0.87333.Fixed(3) } });\n" +
            "display(new DataFrame(new DoubleDataFrameColumn(\"x\", new[] { 1.0 / 3 })).Rounded(3));\n" +
            "display(Formatter.ToDisplayString(table, MimeTypes.Html) == table.ToHtml());\ntable");
        var (nb, listening) = kernel.Execute(notebook);

        Assert.NotEmpty(listening);
        Assert.All(listening, l => Assert.True(l.Address is "127.0.0.1" or "::1" or "::ffff:127.0.0.1", $"the kernel listens on {l.Address}:{l.Port}"));

        var status = Outputs.Of(nb, 0).Select(Outputs.Plain).Last();
        Assert.Contains("registered: display host, figure, tensor and DataFrame formatters; display() redefined", status, StringComparison.Ordinal);

        var shown = Assert.Single(Outputs.Of(nb, 1));
        Assert.Equal("done", Outputs.Plain(shown));

        var cell2 = Outputs.Of(nb, 2);
        Assert.Equal(2, cell2.Count);
        Outputs.AssertFigure(cell2[0], "epoch 2");
        Assert.True(Outputs.CarriesPlotlyJs(cell2[0]), "the first figure of the session, updated in place, lost plotly.js");
        Assert.Equal("finished: 2 epochs, saved", Outputs.Plain(cell2[1]));

        var figure = Assert.Single(Outputs.Of(nb, 3));
        Outputs.AssertFigure(figure, "second");
        Assert.Equal(1, Outputs.All(nb).Count(Outputs.CarriesPlotlyJs));

        var tensor = Assert.Single(Outputs.Of(nb, 4));
        Assert.StartsWith("[3x4], type = Float32, device = cpu\nvalues (row-major): ", Outputs.Plain(tensor), StringComparison.Ordinal);
        Assert.EndsWith("… (4 more)", Outputs.Plain(tensor), StringComparison.Ordinal);
        Assert.Contains("class=\"fisherkit-tensor\"", Outputs.Text(tensor, "text/html"), StringComparison.Ordinal);

        var tuple = Outputs.Text(Assert.Single(Outputs.Of(nb, 5)), "text/html")!;
        Assert.Contains("values (row-major): 1, 1, 1, 1", tuple, StringComparison.Ordinal);
        Assert.DoesNotContain("requires_grad", tuple, StringComparison.OrdinalIgnoreCase);

        var tables = Outputs.Of(nb, 7);
        Assert.Equal(3, tables.Count);
        Assert.Contains("<th><i>index</i></th><th>x</th></tr></thead><tbody><tr><td><i><div class=\"dni-plaintext\"><pre>0</pre></div></i></td>" +
                        "<td><div class=\"dni-plaintext\"><pre>0.333</pre></div></td>", Outputs.Text(tables[0], "text/html"), StringComparison.Ordinal);
        // .NET Interactive shows a bool as HTML only (no text/plain).
        Assert.Contains("<pre>True</pre>", Outputs.Text(tables[1], "text/html"), StringComparison.Ordinal);
        var html = Outputs.Text(tables[2], "text/html")!;
        Assert.Contains("class=\"fisherkit-dataframe\"><thead><tr><th><i>index</i></th><th>score</th><th>AUROC</th>", html, StringComparison.Ordinal);
        Assert.Contains("<td>Fisher &lt;form&gt;</td><td>0.873</td>", html, StringComparison.Ordinal);
        Assert.Contains("Fisher <form>", Outputs.Plain(tables[2]), StringComparison.Ordinal);
    }
}
