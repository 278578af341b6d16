using System.Text;
using System.Text.Json.Nodes;
using FisherKit.Notebooks.Kernel;
using FisherKit.Notebooks.Kernel.Zmq;

namespace FisherKit.Notebooks.Tests.Kernel;

/// <summary>
/// The kernel process spoken to over ZeroMQ by the test itself (no Python needed): free ports
/// chosen by the kernel and written back to the connection file, signed replies, heartbeat,
/// forged requests dropped, shutdown on the control channel.
/// </summary>
[Collection("kernel")]
public sealed class KernelProcessTests : IDisposable
{
    private const string Key = "5f1c9e0a-test-key";
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [ZmqFact]
    public async Task A_kernel_on_free_ports_answers_signed_requests_echoes_heartbeats_and_drops_forged_requests()
    {
        var connection = _dir.File("kernel-test.json");
        File.WriteAllText(connection, $$"""{"shell_port": 0, "iopub_port": 0, "stdin_port": 0, "control_port": 0, "hb_port": 0, "ip": "127.0.0.1", "key": "{{Key}}", "transport": "tcp", "signature_scheme": "hmac-sha256"}""");
        var launcher = KernelSpec.Launcher();
        using var kernel = new ChildProcess(launcher[0], [.. launcher.Skip(1), "kernel", "-f", connection], null, _dir.Path);
        await kernel.WaitForOutputAsync(o => o.Contains("listening on", StringComparison.Ordinal) ? o : null, TimeSpan.FromSeconds(60));
        var info = ConnectionInfo.Load(connection);
        var ports = new[] { info.ShellPort, info.IOPubPort, info.StdinPort, info.ControlPort, info.HeartbeatPort };
        Assert.All(ports, p => Assert.True(p > 0));
        Assert.Equal(5, ports.Distinct().Count());

        using var context = new ZmqContext();
        using var shell = Connect(context, ZmqNative.Dealer, info.Endpoint(info.ShellPort));
        using var control = Connect(context, ZmqNative.Dealer, info.Endpoint(info.ControlPort));
        using var heartbeat = Connect(context, ZmqNative.Req, info.Endpoint(info.HeartbeatPort));
        using var iopub = Connect(context, ZmqNative.Sub, info.Endpoint(info.IOPubPort));
        iopub.SetOption(ZmqNative.OptSubscribe, ReadOnlySpan<byte>.Empty);
        var wire = new WireFormat(Key);
        var session = Guid.NewGuid().ToString();
        try
        {
            var infoRequest = JupyterMessage.Create("kernel_info_request", [], null, session);
            shell.Send(wire.Serialize(infoRequest));
            var reply = Receive(shell, wire, TimeSpan.FromSeconds(30));
            Assert.NotNull(reply);
            Assert.Equal("kernel_info_reply", reply.Type);
            Assert.Equal(infoRequest.Id, (string?)reply.ParentHeader["msg_id"]);
            Assert.Equal("5.3", (string?)reply.Content["protocol_version"]);

            heartbeat.Send(["ping"u8.ToArray()]);
            Assert.True(ZmqSocket.Poll([heartbeat], TimeSpan.FromSeconds(10))[0], "no heartbeat echo");
            Assert.Equal("ping", Encoding.ASCII.GetString(heartbeat.Receive()![0]));

            var marker = _dir.File("forged.txt");
            var forged = Execute($"System.IO.File.WriteAllText(@\"{marker}\", \"forged\");", session);
            shell.Send(new WireFormat("not the key").Serialize(forged));
            var good = Execute("6 * 7", session);
            shell.Send(wire.Serialize(good));
            var executed = Receive(shell, wire, TimeSpan.FromSeconds(60));
            Assert.NotNull(executed);
            Assert.Equal(good.Id, (string?)executed.ParentHeader["msg_id"]);   // the forged request got no reply
            Assert.Equal("ok", (string?)executed.Content["status"]);
            Assert.Null(Receive(shell, wire, TimeSpan.FromSeconds(1)));
            Assert.False(File.Exists(marker), "the forged request ran");
            Assert.Contains("bad signature", kernel.Output);

            var published = new List<JupyterMessage>();
            while (Receive(iopub, wire, TimeSpan.FromSeconds(2)) is { } m) published.Add(m);
            var result = Assert.Single(published, m => m.Type == "execute_result" && (string?)m.ParentHeader["msg_id"] == good.Id);
            Assert.Equal("42", (string?)result.Content["data"]!["text/plain"]);

            var shutdown = JupyterMessage.Create("shutdown_request", new JsonObject { ["restart"] = false }, null, session);
            control.Send(wire.Serialize(shutdown));
            var done = Receive(control, wire, TimeSpan.FromSeconds(30));
            Assert.Equal("shutdown_reply", done?.Type);
            Assert.Equal(0, await kernel.WaitAsync(TimeSpan.FromSeconds(15)));
        }
        finally
        {
            kernel.Kill();
        }
    }

    private static JupyterMessage Execute(string code, string session) => JupyterMessage.Create("execute_request", new JsonObject
    {
        ["code"] = code, ["silent"] = false, ["store_history"] = true, ["user_expressions"] = new JsonObject(), ["allow_stdin"] = false, ["stop_on_error"] = true,
    }, null, session);

    private static ZmqSocket Connect(ZmqContext context, int type, string endpoint)
    {
        var socket = context.Socket(type);
        socket.SetOption(ZmqNative.OptLinger, 0);
        socket.Connect(endpoint);
        return socket;
    }

    private static JupyterMessage? Receive(ZmqSocket socket, WireFormat wire, TimeSpan timeout)
    {
        if (!ZmqSocket.Poll([socket], timeout)[0]) return null;
        var frames = socket.Receive()!;
        var message = wire.Parse(frames, out var problem);
        Assert.True(message is not null, "the kernel sent a message that does not verify: " + problem);
        return message;
    }
}
