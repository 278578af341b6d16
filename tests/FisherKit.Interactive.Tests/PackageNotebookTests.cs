namespace FisherKit.Interactive.Tests;

/// <summary>
/// A user's own notebook (examples/fisher-of-my-network.ipynb) with FisherKit as a package from the local feed,
/// run in the <c>.net-csharp</c> kernel: the package's kernel extension loads, FisherKit prepares the engine before
/// the first tensor, and the outputs show FisherKit's figure and tensor formatting and the final display state.
/// </summary>
public sealed class PackageNotebookTests
{
    [JupyterFact]
    public void The_per_input_Fisher_of_a_users_own_network_runs_with_the_package_in_dotnet_interactive()
    {
        var root = RepositoryPaths.Root;
        // The feed holds a package of the current build (packed again only when its content changed).
        var (packed, packOutput) = Support.Run("bash", [Path.Combine("environment", "setup.d", "70-package.sh")], root,
            new Dictionary<string, string?> { ["FK_ROOT"] = null }, TimeSpan.FromMinutes(8));
        Assert.True(packed == 0, $"packing FisherKit failed ({packed}):\n{packOutput}");
        var feed = Path.Combine(root, "out", "packages");
        var version = File.ReadAllText(Path.Combine(feed, ".fisherkit.sha256")).Split(' ', StringSplitOptions.TrimEntries)[1];
        Assert.True(File.Exists(Path.Combine(feed, $"FisherKit.{version}.nupkg")));

        using var kernel = new DotNetInteractiveKernel();
        var source = File.ReadAllText(Path.Combine(root, "examples", "fisher-of-my-network.ipynb"));
        Assert.Contains("/path/to/FisherKit/out/packages", source, StringComparison.Ordinal);
        var notebook = Path.Combine(kernel.Work, "fisher-of-my-network.ipynb");
        File.WriteAllText(notebook, source.Replace("/path/to/FisherKit/out/packages", feed, StringComparison.Ordinal));
        var (nb, listening) = kernel.Execute(notebook);

        Assert.All(listening, l => Assert.True(l.Address is "127.0.0.1" or "::1" or "::ffff:127.0.0.1", $"the kernel listens on {l.Address}:{l.Port}"));
        var all = Outputs.All(nb).ToList();
        Assert.Contains(all, o => Outputs.Plain(o).Contains($"/fisherkit/{version}/interactive-extensions/dotnet/FisherKit.Interactive.dll", StringComparison.Ordinal));
        Assert.DoesNotContain(all, o => o["output_type"]!.GetValue<string>() == "error");

        var tensor = Assert.Single(Outputs.Of(nb, 2));
        Assert.StartsWith("[12x4], type = Float32, device = cpu\nvalues (row-major): ", Outputs.Plain(tensor), StringComparison.Ordinal);

        var cell3 = Outputs.Of(nb, 3);
        Assert.StartsWith("done: 12 inputs, largest trace ", Outputs.Plain(cell3[0]), StringComparison.Ordinal);
        Assert.DoesNotContain(all, o => Outputs.Plain(o).Contains("computing the per-input", StringComparison.Ordinal));

        var figure = Assert.Single(Outputs.Of(nb, 4));
        Outputs.AssertFigure(figure, "Per-input Fisher information");
        Assert.True(Outputs.CarriesPlotlyJs(figure), "the session's first figure does not carry plotly.js");
    }
}
