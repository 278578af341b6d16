using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FisherKit.Notebooks.Kernel;

/// <summary>
/// A Jupyter connection file: where the kernel's five sockets listen and the key that signs
/// messages. Jupyter writes it and starts the kernel with its path (<c>{connection_file}</c>).
/// </summary>
/// <param name="Transport"><c>tcp</c> or <c>ipc</c>.</param>
/// <param name="IP">The address to bind (loopback by default).</param>
/// <param name="ShellPort">Port of the shell socket (requests).</param>
/// <param name="IOPubPort">Port of the iopub socket (broadcast outputs and status).</param>
/// <param name="StdinPort">Port of the stdin socket (input requests).</param>
/// <param name="ControlPort">Port of the control socket (interrupt, shutdown).</param>
/// <param name="HeartbeatPort">Port of the heartbeat socket (echo).</param>
/// <param name="Key">The HMAC key; empty means messages are not signed.</param>
/// <param name="SignatureScheme">Only <c>hmac-sha256</c> is supported.</param>
internal sealed record ConnectionInfo(string Transport, string IP, int ShellPort, int IOPubPort, int StdinPort, int ControlPort, int HeartbeatPort,
    string Key, string SignatureScheme)
{
    /// <summary>Reads and checks a connection file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="FormatException">The file is not a valid connection file; the message names the field.</exception>
    public static ConnectionInfo Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"The connection file {path} does not exist.", path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses the JSON text of a connection file (<paramref name="source"/> names it in messages).</summary>
    /// <exception cref="FormatException">The text is not a valid connection file.</exception>
    public static ConnectionInfo Parse(string json, string source = "connection file")
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonObject o;
        try
        {
            o = JsonNode.Parse(json) as JsonObject ?? throw new FormatException($"{source}: expected a JSON object.");
        }
        catch (JsonException e)
        {
            throw new FormatException($"{source} is not valid JSON: {e.Message}", e);
        }
        var transport = String(o, "transport", source, "tcp");
        if (transport is not ("tcp" or "ipc")) throw new FormatException($"{source}: transport '{transport}' is not supported (tcp or ipc).");
        var scheme = String(o, "signature_scheme", source, "hmac-sha256");
        var key = String(o, "key", source, "");
        if (key.Length > 0 && scheme != "hmac-sha256")
            throw new FormatException($"{source}: signature_scheme '{scheme}' is not supported; use hmac-sha256.");
        return new ConnectionInfo(transport, String(o, "ip", source, "127.0.0.1"),
            Port(o, "shell_port", source), Port(o, "iopub_port", source), Port(o, "stdin_port", source),
            Port(o, "control_port", source), Port(o, "hb_port", source), key, scheme);
    }

    /// <summary>The ZeroMQ endpoint of a port (<c>tcp://127.0.0.1:5555</c>, <c>ipc://path-5555</c>;
    /// port 0 binds a free port, <c>tcp://127.0.0.1:*</c>).</summary>
    public string Endpoint(int port)
    {
        if (Transport == "ipc") return $"ipc://{IP}-{port.ToString(CultureInfo.InvariantCulture)}";
        var host = IP.Contains(':', StringComparison.Ordinal) && !IP.StartsWith('[') ? $"[{IP}]" : IP;
        return $"tcp://{host}:{(port == 0 ? "*" : port.ToString(CultureInfo.InvariantCulture))}";
    }

    /// <summary>The connection file's JSON (the ports as bound).</summary>
    public string ToJson() => new JsonObject
    {
        ["transport"] = Transport, ["ip"] = IP, ["shell_port"] = ShellPort, ["iopub_port"] = IOPubPort,
        ["stdin_port"] = StdinPort, ["control_port"] = ControlPort, ["hb_port"] = HeartbeatPort,
        ["key"] = Key, ["signature_scheme"] = SignatureScheme, ["kernel_name"] = KernelSpec.Name,
    }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    private static string String(JsonObject o, string name, string source, string fallback)
    {
        var node = o[name];
        if (node is null) return fallback;
        return node is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw new FormatException($"{source}: '{name}' must be a string.");
    }

    private static int Port(JsonObject o, string name, string source)
    {
        var node = o[name] ?? throw new FormatException($"{source}: '{name}' is missing.");
        if (node is JsonValue v && v.TryGetValue<int>(out var port) && port is >= 0 and <= 65535) return port;
        throw new FormatException($"{source}: '{name}' must be a port number (0-65535), not {node.ToJsonString()}.");
    }
}
