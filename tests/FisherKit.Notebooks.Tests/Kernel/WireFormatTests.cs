using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using FisherKit.Notebooks.Kernel;

namespace FisherKit.Notebooks.Tests.Kernel;

/// <summary>Jupyter's wire format: framing, HMAC-SHA256 signatures, refusal of forged and replayed messages.</summary>
public sealed class WireFormatTests
{
    private static JupyterMessage Message(string type = "execute_request") =>
        JupyterMessage.Create(type, new JsonObject { ["code"] = "1 + 1", ["silent"] = false }, null, "session-1", [[1, 2, 3], "client"u8.ToArray()]);

    [Fact]
    public void The_signature_is_the_hmac_of_the_four_json_frames_as_in_rfc_4231()
    {
        // RFC 4231, test case 2: HMAC-SHA256 with key "Jefe" of "what do ya want for nothing?", split over the four frames.
        var wire = new WireFormat("Jefe");
        var signature = wire.Sign("what do "u8.ToArray(), "ya want "u8.ToArray(), "for noth"u8.ToArray(), "ing?"u8.ToArray());
        Assert.Equal("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", signature);
    }

    [Fact]
    public void A_serialised_message_parses_back_with_its_identities_and_a_valid_signature()
    {
        var wire = new WireFormat("secret");
        var message = Message();
        var frames = wire.Serialize(message);
        Assert.Equal(new byte[] { 1, 2, 3 }, frames[0]);
        Assert.Equal("<IDS|MSG>", Encoding.ASCII.GetString(frames[2]));
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData("secret"u8, frames[4].Concat(frames[5]).Concat(frames[6]).Concat(frames[7]).ToArray()));
        Assert.Equal(expected, Encoding.ASCII.GetString(frames[3]));
        var parsed = new WireFormat("secret").Parse(frames, out var problem);
        Assert.Null(problem);
        Assert.NotNull(parsed);
        Assert.Equal(2, parsed.Identities.Count);
        Assert.Equal("execute_request", parsed.Type);
        Assert.Equal(message.Id, parsed.Id);
        Assert.Equal("1 + 1", (string?)parsed.Content["code"]);
    }

    [Fact]
    public void A_message_signed_with_another_key_or_changed_after_signing_is_refused()
    {
        var frames = new WireFormat("other key").Serialize(Message());
        Assert.Null(new WireFormat("secret").Parse(frames, out var problem));
        Assert.Equal("bad signature", problem);

        var tampered = new WireFormat("secret").Serialize(Message());
        tampered[^1] = Encoding.UTF8.GetBytes("{\"code\":\"System.IO.File.Delete(\\\"x\\\")\"}");
        Assert.Null(new WireFormat("secret").Parse(tampered, out problem));
        Assert.Equal("bad signature", problem);

        var unsigned = new WireFormat("").Serialize(Message());
        Assert.Null(new WireFormat("secret").Parse(unsigned, out problem));
        Assert.Equal("bad signature", problem);
    }

    [Fact]
    public void A_replayed_message_is_refused_the_second_time()
    {
        var reader = new WireFormat("secret");
        var frames = new WireFormat("secret").Serialize(Message());
        Assert.NotNull(reader.Parse(frames, out _));
        Assert.Null(reader.Parse(frames, out var problem));
        Assert.Contains("duplicate signature", problem);
    }

    [Fact]
    public void With_an_empty_key_messages_are_neither_signed_nor_checked()
    {
        var wire = new WireFormat("");
        var frames = wire.Serialize(Message());
        Assert.Empty(frames[3]);
        Assert.NotNull(wire.Parse(frames, out _));
        Assert.NotNull(wire.Parse(frames, out _)); // no signature, so no replay check either
    }

    [Fact]
    public void Malformed_messages_are_refused_with_a_reason()
    {
        var wire = new WireFormat("");
        Assert.Null(wire.Parse([[1], "no delimiter"u8.ToArray()], out var problem));
        Assert.Contains("malformed", problem);
        Assert.Null(wire.Parse(["<IDS|MSG>"u8.ToArray(), [], "{}"u8.ToArray()], out problem));
        Assert.Contains("malformed", problem);
        Assert.Null(wire.Parse(["<IDS|MSG>"u8.ToArray(), [], "{not json"u8.ToArray(), "{}"u8.ToArray(), "{}"u8.ToArray(), "{}"u8.ToArray()], out problem));
        Assert.Contains("JSON", problem);
        Assert.Null(wire.Parse(["<IDS|MSG>"u8.ToArray(), [], "{}"u8.ToArray(), "{}"u8.ToArray(), "{}"u8.ToArray(), "{}"u8.ToArray()], out problem));
        Assert.Contains("msg_type", problem);
    }

    [Fact]
    public void A_reply_carries_the_request_header_as_parent_and_protocol_5_3()
    {
        var request = Message();
        var reply = JupyterMessage.Create("execute_reply", new JsonObject { ["status"] = "ok" }, request, "kernel-session", request.Identities);
        Assert.Equal(request.Id, (string?)reply.ParentHeader["msg_id"]);
        Assert.Equal("5.3", (string?)reply.Header["version"]);
        Assert.Equal("kernel-session", (string?)reply.Header["session"]);
        Assert.NotEqual(request.Id, reply.Id);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$", (string?)reply.Header["date"]);
    }
}
