using System.Globalization;
using System.Text.Json.Nodes;

namespace FisherKit.Notebooks.Kernel;

/// <summary>
/// One message of the Jupyter messaging protocol: routing identities, header, parent header,
/// metadata, content and binary buffers (<see href="https://jupyter-client.readthedocs.io/en/stable/messaging.html"/>).
/// </summary>
internal sealed class JupyterMessage
{
    public const string ProtocolVersion = "5.3";

    public required IReadOnlyList<byte[]> Identities { get; init; }
    public required JsonObject Header { get; init; }
    public required JsonObject ParentHeader { get; init; }
    public required JsonObject Metadata { get; init; }
    public required JsonObject Content { get; init; }
    public IReadOnlyList<byte[]> Buffers { get; init; } = [];

    public string Type => (string?)Header["msg_type"] ?? "";

    public string Id => (string?)Header["msg_id"] ?? "";

    /// <summary>A new message answering or caused by <paramref name="parent"/> (null: none).</summary>
    public static JupyterMessage Create(string type, JsonObject content, JupyterMessage? parent, string session, IReadOnlyList<byte[]>? identities = null, JsonObject? metadata = null) => new()
    {
        Identities = identities ?? [],
        Header = NewHeader(type, session, parent),
        ParentHeader = parent is null ? [] : (JsonObject)parent.Header.DeepClone(),
        Metadata = metadata ?? [],
        Content = content,
    };

    private static long _counter;

    private static JsonObject NewHeader(string type, string session, JupyterMessage? parent) => new()
    {
        ["msg_id"] = $"{Guid.NewGuid():N}_{Environment.ProcessId}_{Interlocked.Increment(ref _counter)}",
        ["session"] = session,
        ["username"] = parent?.Header["username"]?.DeepClone() ?? Environment.UserName,
        ["date"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
        ["msg_type"] = type,
        ["version"] = ProtocolVersion,
    };

    public override string ToString() => $"{Type} ({Id})";
}
