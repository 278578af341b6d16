using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FisherKit.Notebooks.Kernel;

/// <summary>
/// Jupyter's wire format: <c>[identities..., "&lt;IDS|MSG&gt;", signature, header, parent_header,
/// metadata, content, buffers...]</c>, signed with HMAC-SHA256 over the four JSON frames (hex
/// digest). A message whose signature does not match, or that repeats an earlier signature (a
/// replay), is refused.
/// </summary>
internal sealed class WireFormat
{
    private static readonly byte[] Delimiter = "<IDS|MSG>"u8.ToArray();
    private const int HistoryLimit = 1 << 14;

    private readonly byte[] _key;
    private readonly object _gate = new();
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Queue<string> _seenOrder = new();

    public WireFormat(string key) => _key = Encoding.UTF8.GetBytes(key ?? "");

    /// <summary>Whether messages are signed (the key is not empty).</summary>
    public bool Signs => _key.Length > 0;

    public List<byte[]> Serialize(JupyterMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var header = Json(message.Header);
        var parent = Json(message.ParentHeader);
        var metadata = Json(message.Metadata);
        var content = Json(message.Content);
        var frames = new List<byte[]>(message.Identities.Count + 6 + message.Buffers.Count);
        frames.AddRange(message.Identities);
        frames.Add(Delimiter);
        frames.Add(Encoding.ASCII.GetBytes(Sign(header, parent, metadata, content)));
        frames.Add(header);
        frames.Add(parent);
        frames.Add(metadata);
        frames.Add(content);
        frames.AddRange(message.Buffers);
        return frames;
    }

    /// <summary>Reads a received multipart message; null with the reason when it is malformed or its signature is wrong.</summary>
    public JupyterMessage? Parse(IReadOnlyList<byte[]> frames, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(frames);
        var d = -1;
        for (var i = 0; i < frames.Count; i++)
            if (frames[i].AsSpan().SequenceEqual(Delimiter)) { d = i; break; }
        if (d < 0 || frames.Count < d + 6)
        {
            problem = "malformed message (no <IDS|MSG> delimiter or fewer than five frames after it)";
            return null;
        }
        var signature = Encoding.ASCII.GetString(frames[d + 1]);
        if (Signs)
        {
            var expected = Sign(frames[d + 2], frames[d + 3], frames[d + 4], frames[d + 5]);
            if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature.ToLowerInvariant())))
            {
                problem = "bad signature";
                return null;
            }
            lock (_gate)
            {
                if (!_seen.Add(signature))
                {
                    problem = "duplicate signature (a replayed message)";
                    return null;
                }
                _seenOrder.Enqueue(signature);
                if (_seenOrder.Count > HistoryLimit) _seen.Remove(_seenOrder.Dequeue());
            }
        }
        try
        {
            var message = new JupyterMessage
            {
                Identities = frames.Take(d).ToArray(),
                Header = Object(frames[d + 2], "header"),
                ParentHeader = Object(frames[d + 3], "parent_header"),
                Metadata = Object(frames[d + 4], "metadata"),
                Content = Object(frames[d + 5], "content"),
                Buffers = frames.Skip(d + 6).ToArray(),
            };
            if (message.Type.Length == 0 || message.Id.Length == 0)
            {
                problem = "header without msg_type or msg_id";
                return null;
            }
            problem = null;
            return message;
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            problem = "malformed JSON: " + e.Message;
            return null;
        }
    }

    /// <summary>The hex HMAC-SHA256 of the four JSON frames (empty when the key is empty).</summary>
    public string Sign(byte[] header, byte[] parent, byte[] metadata, byte[] content)
    {
        if (!Signs) return "";
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        hmac.AppendData(header);
        hmac.AppendData(parent);
        hmac.AppendData(metadata);
        hmac.AppendData(content);
        return Convert.ToHexStringLower(hmac.GetHashAndReset());
    }

    private static byte[] Json(JsonObject o) => Encoding.UTF8.GetBytes(o.ToJsonString());

    private static JsonObject Object(byte[] frame, string name) =>
        JsonNode.Parse(frame.Length == 0 ? "{}"u8 : frame) as JsonObject ?? throw new FormatException($"{name} is not a JSON object");
}
