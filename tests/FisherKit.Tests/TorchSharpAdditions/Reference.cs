using System.Text.Json;

namespace FisherKit.Tests.TorchSharpAdditions;

/// <summary>
/// Values computed by PyTorch (Python), written by Reference/make_reference.py into
/// Reference/reference.json next to the files it wrote or validated; the tests only read them.
/// </summary>
internal static class Reference
{
    internal static string Folder => Path.Combine(AppContext.BaseDirectory, "TorchSharpAdditions", "Reference");

    private static readonly Lazy<JsonDocument> Doc = new(() => JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Folder, "reference.json"))));

    internal static JsonElement Section(string name) => Doc.Value.RootElement.GetProperty(name);

    /// <summary>A tensor stored as {dtype, shape, data} (flat, row-major).</summary>
    internal static Tensor T(JsonElement e)
    {
        var shape = e.GetProperty("shape").EnumerateArray().Select(s => s.GetInt64()).ToArray();
        var data = e.GetProperty("data");
        return e.GetProperty("dtype").GetString() switch
        {
            "float32" => tensor(data.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray(), shape),
            "float64" => tensor(data.EnumerateArray().Select(v => v.GetDouble()).ToArray(), shape),
            "int64" => tensor(data.EnumerateArray().Select(v => v.GetInt64()).ToArray(), shape),
            "bool" => tensor(data.EnumerateArray().Select(v => v.GetInt64() != 0).ToArray(), shape),
            var other => throw new InvalidDataException($"reference.json: unknown dtype {other}"),
        };
    }

    /// <summary>A dictionary of named tensors (a state dict).</summary>
    internal static Dictionary<string, Tensor> Dict(JsonElement e) =>
        e.EnumerateObject().ToDictionary(p => p.Name, p => T(p.Value));

    internal static double[] Doubles(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();
}
