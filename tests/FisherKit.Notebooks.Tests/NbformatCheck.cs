using System.Text.Json.Nodes;

namespace FisherKit.Notebooks.Tests;

/// <summary>The required structure of nbformat 4 (the fields and types its JSON schema demands).</summary>
internal static class NbformatCheck
{
    public static void AssertValid(JsonObject nb)
    {
        Assert.Equal(4, (int)nb["nbformat"]!);
        Assert.IsType<int>((int)nb["nbformat_minor"]!);
        Assert.IsType<JsonObject>(nb["metadata"]);
        foreach (var cell in nb["cells"]!.AsArray().Cast<JsonObject>())
        {
            var type = (string?)cell["cell_type"];
            Assert.Contains(type, new[] { "code", "markdown", "raw" });
            Assert.IsType<JsonObject>(cell["metadata"]);
            Assert.True(cell["source"] is JsonArray or JsonValue);
            if (type != "code") { Assert.Null(cell["outputs"]); continue; }
            Assert.True(cell.ContainsKey("execution_count"));
            foreach (var o in cell["outputs"]!.AsArray().Cast<JsonObject>())
            {
                switch ((string?)o["output_type"])
                {
                    case "stream":
                        Assert.Contains((string?)o["name"], new[] { "stdout", "stderr" });
                        Assert.NotNull(o["text"]);
                        break;
                    case "display_data":
                        Assert.IsType<JsonObject>(o["data"]);
                        Assert.IsType<JsonObject>(o["metadata"]);
                        break;
                    case "execute_result":
                        Assert.IsType<JsonObject>(o["data"]);
                        Assert.IsType<JsonObject>(o["metadata"]);
                        Assert.True(o.ContainsKey("execution_count"));
                        break;
                    case "error":
                        Assert.IsType<string>((string?)o["ename"]);
                        Assert.IsType<string>((string?)o["evalue"]);
                        Assert.IsType<JsonArray>(o["traceback"]);
                        break;
                    default:
                        Assert.Fail($"unknown output_type {o["output_type"]}");
                        break;
                }
            }
        }
    }
}
