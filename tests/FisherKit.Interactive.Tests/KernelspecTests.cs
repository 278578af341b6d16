using System.Text.Json.Nodes;

namespace FisherKit.Interactive.Tests;

/// <summary>
/// The <c>.net-csharp</c> kernelspec that environment/setup.d/65-dotnet-interactive.sh writes, read back from a
/// temporary Jupyter data folder (or prefix): the pinned tool by absolute path, HTTP on loopback only, telemetry off.
/// </summary>
public sealed class KernelspecTests
{
    private static readonly string Step = Path.Combine("environment", "setup.d", "65-dotnet-interactive.sh");

    private static (int Code, string Output) RunStep(IDictionary<string, string?> environment) =>
        Support.Run("bash", [Step], RepositoryPaths.Root, environment, TimeSpan.FromMinutes(5));

    private static void AssertSafe(JsonNode spec)
    {
        var argv = spec["argv"]!.AsArray().Select(a => a!.GetValue<string>()).ToArray();
        Assert.True(Path.IsPathRooted(argv[0]) && File.Exists(argv[0]), $"the .NET host is not an absolute, existing path: {argv[0]}");
        Assert.True(Path.IsPathRooted(argv[1]) && File.Exists(argv[1]), $"the tool is not an absolute, existing path: {argv[1]}");
        Assert.EndsWith("Microsoft.DotNet.Interactive.App.dll", argv[1], StringComparison.Ordinal);
        var tool = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, ".config", "dotnet-tools.json")))
            .RootElement.GetProperty("tools").GetProperty("microsoft.dotnet-interactive").GetProperty("version").GetString()!;
        Assert.Contains($"/{tool}/", argv[1].Replace('\\', '/'), StringComparison.Ordinal);
        Assert.Equal("jupyter", argv[2]);
        Assert.Contains("--http-local-only", argv);
        Assert.Contains("{connection_file}", argv);
        Assert.Equal("csharp", argv[Array.IndexOf(argv, "--default-kernel") + 1]);
        Assert.Equal("1", spec["env"]!["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"]!.GetValue<string>());
        Assert.Equal("C#", spec["language"]!.GetValue<string>());
    }

    [Fact]
    public void The_setup_writes_a_kernelspec_with_loopback_only_http_and_telemetry_off_and_leaves_it_alone_the_second_time()
    {
        using var temp = new TempFolder();
        var env = new Dictionary<string, string?> { ["JUPYTER_DATA_DIR"] = temp.Path, ["FK_JUPYTER_PREFIX"] = null, ["FK_ROOT"] = null };
        var (code, output) = RunStep(env);
        Assert.True(code == 0, $"the set-up step failed ({code}):\n{output}");
        var file = Path.Combine(temp.Path, "kernels", ".net-csharp", "kernel.json");
        Assert.True(File.Exists(file), $"no kernelspec at {file}:\n{output}");
        AssertSafe(JsonNode.Parse(File.ReadAllText(file))!);

        var written = File.GetLastWriteTimeUtc(file);
        var (again, secondOutput) = RunStep(env);
        Assert.Equal(0, again);
        Assert.Equal("", secondOutput.Trim());
        Assert.Equal(written, File.GetLastWriteTimeUtc(file));
    }

    [Fact]
    public void A_prefix_gets_the_kernelspec_under_share_jupyter_kernels_and_a_kernelspec_of_another_origin_is_kept_aside()
    {
        using var temp = new TempFolder();
        var dest = Path.Combine(temp.Path, "share", "jupyter", "kernels", ".net-csharp");
        Directory.CreateDirectory(dest);
        // What `dotnet interactive jupyter install` writes: every interface, telemetry on.
        File.WriteAllText(Path.Combine(dest, "kernel.json"),
            """{"argv": ["dotnet", "interactive", "jupyter", "--default-kernel", "csharp", "{connection_file}", "--http-port-range", "2048-3000"], "display_name": ".NET (C#)", "language": "C#"}""");
        var (code, output) = RunStep(new Dictionary<string, string?> { ["FK_JUPYTER_PREFIX"] = temp.Path, ["FK_ROOT"] = null });
        Assert.True(code == 0, $"the set-up step failed ({code}):\n{output}");
        AssertSafe(JsonNode.Parse(File.ReadAllText(Path.Combine(dest, "kernel.json")))!);
        Assert.Contains("replacing", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(dest, "kernel.json.before-fisherkit")));
    }
}
