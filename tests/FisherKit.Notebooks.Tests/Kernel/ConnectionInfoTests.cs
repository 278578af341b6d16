using FisherKit.Notebooks.Kernel;

namespace FisherKit.Notebooks.Tests.Kernel;

/// <summary>Connection files as jupyter_client writes them.</summary>
public sealed class ConnectionInfoTests
{
    private const string Written = """
        {
          "shell_port": 53794, "iopub_port": 53795, "stdin_port": 53796, "control_port": 53797, "hb_port": 53798,
          "ip": "127.0.0.1", "key": "a0436f6c-1916498b", "transport": "tcp", "signature_scheme": "hmac-sha256", "kernel_name": "fisherkit-csharp"
        }
        """;

    [Fact]
    public void A_connection_file_from_jupyter_client_gives_endpoints_on_its_transport_and_ip()
    {
        var info = ConnectionInfo.Parse(Written);
        Assert.Equal("a0436f6c-1916498b", info.Key);
        Assert.Equal("tcp://127.0.0.1:53794", info.Endpoint(info.ShellPort));
        Assert.Equal("tcp://127.0.0.1:53798", info.Endpoint(info.HeartbeatPort));
        Assert.Equal("tcp://127.0.0.1:*", info.Endpoint(0));
        Assert.Equal("ipc:///tmp/kernel-1-53794", (info with { Transport = "ipc", IP = "/tmp/kernel-1" }).Endpoint(53794));
        Assert.Equal("tcp://[::1]:5", (info with { IP = "::1" }).Endpoint(5));
        Assert.Equal(info, ConnectionInfo.Parse(info.ToJson()));
    }

    [Fact]
    public void Defaults_are_loopback_tcp_and_hmac_sha256()
    {
        var info = ConnectionInfo.Parse("""{"shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5}""");
        Assert.Equal(("tcp", "127.0.0.1", "hmac-sha256", ""), (info.Transport, info.IP, info.SignatureScheme, info.Key));
    }

    [Theory]
    [InlineData("""{"iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5}""", "'shell_port' is missing")]
    [InlineData("""{"shell_port": "x", "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5}""", "'shell_port' must be a port number")]
    [InlineData("""{"shell_port": 70000, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5}""", "'shell_port' must be a port number")]
    [InlineData("""{"shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5, "key": "k", "signature_scheme": "hmac-md5"}""", "hmac-md5")]
    [InlineData("""{"shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5, "transport": "udp"}""", "udp")]
    [InlineData("""[1, 2]""", "JSON object")]
    [InlineData("""{ not json""", "not valid JSON")]
    public void A_bad_connection_file_is_refused_naming_the_problem(string json, string expected)
    {
        var e = Assert.Throws<FormatException>(() => ConnectionInfo.Parse(json, "kernel-1.json"));
        Assert.Contains(expected, e.Message);
        Assert.Contains("kernel-1.json", e.Message);
    }

    [Fact]
    public void A_missing_connection_file_is_a_file_not_found_error()
    {
        Assert.Throws<FileNotFoundException>(() => ConnectionInfo.Load(Path.Combine(Path.GetTempPath(), Guid.NewGuid() + ".json")));
    }
}
