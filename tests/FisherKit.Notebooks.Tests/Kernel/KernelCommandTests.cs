using System.Text.Json.Nodes;
using FisherKit.Notebooks.Cli;

namespace FisherKit.Notebooks.Tests.Kernel;

/// <summary><c>fisherkit kernel install</c> and the kernel command's usage errors.</summary>
[Collection("kernel")]
public sealed class KernelCommandTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private static async Task<(int Code, string Out, string Err)> Cli(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = await CommandLine.RunAsync(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    [Fact]
    public async Task Install_with_a_prefix_writes_a_kernelspec_that_starts_this_build_by_absolute_paths()
    {
        var (code, output, _) = await Cli("kernel", "install", "--prefix", _dir.Path);
        Assert.Equal(ExitCodes.Ok, code);
        var folder = _dir.File("share/jupyter/kernels/fisherkit-csharp");
        Assert.Contains(folder, output);
        var spec = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "kernel.json")))!;
        Assert.Equal("C# (FisherKit)", (string?)spec["display_name"]);
        Assert.Equal("C#", (string?)spec["language"]);
        Assert.Equal("message", (string?)spec["interrupt_mode"]);
        var argv = spec["argv"]!.AsArray().Select(a => (string)a!).ToArray();
        Assert.Equal(["kernel", "-f", "{connection_file}"], argv[^3..]);
        Assert.True(Path.IsPathRooted(argv[0]) && File.Exists(argv[0]), argv[0]);
        if (argv.Length == 5)
        {
            Assert.Equal("FisherKit.Notebooks.dll", Path.GetFileName(argv[1]));
            Assert.True(Path.IsPathRooted(argv[1]) && File.Exists(argv[1]), argv[1]);
        }
        // Installing again replaces the file, through a temporary name that does not stay behind.
        Assert.Equal(ExitCodes.Ok, (await Cli("kernel", "install", "--prefix", _dir.Path)).Code);
        Assert.Equal(["kernel.json"], Directory.GetFiles(folder).Select(f => Path.GetFileName(f)).ToArray());
    }

    [Fact]
    public async Task Install_for_the_user_goes_to_jupyters_data_folder()
    {
        var previous = Environment.GetEnvironmentVariable("JUPYTER_DATA_DIR");
        Environment.SetEnvironmentVariable("JUPYTER_DATA_DIR", _dir.File("data"));
        try
        {
            Assert.Equal(ExitCodes.Ok, (await Cli("kernel", "install", "--user")).Code);
            Assert.True(File.Exists(_dir.File("data/kernels/fisherkit-csharp/kernel.json")));
            Assert.Equal(ExitCodes.Ok, (await Cli("kernel", "install")).Code); // --user is the default
        }
        finally
        {
            Environment.SetEnvironmentVariable("JUPYTER_DATA_DIR", previous);
        }
    }

    [Fact]
    public async Task Usage_errors_of_the_kernel_command_say_what_is_wrong()
    {
        var (code, _, err) = await Cli("kernel", "install", "--user", "--prefix", _dir.Path);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("exclude each other", err);
        (code, _, err) = await Cli("kernel");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--connection-file", err);
        if (JupyterTools.KernelSkipReason is not null) return; // without libzmq the kernel refuses earlier, naming libzmq
        (code, _, err) = await Cli("kernel", "-f", _dir.File("missing.json"));
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("does not exist", err);
        File.WriteAllText(_dir.File("bad.json"), """{"shell_port": 1}""");
        (code, _, err) = await Cli("kernel", "-f", _dir.File("bad.json"));
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("'iopub_port' is missing", err);
    }
}
