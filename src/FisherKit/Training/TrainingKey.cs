using System.Security.Cryptography;
using System.Text;
using FisherKit.Data;
using static TorchSharp.torch;

namespace FisherKit.Training;

/// <summary>
/// The identity of a trained model in the weight cache: a readable name plus the first 16 hex digits of
/// the SHA-256 of <see cref="Text"/>, a canonical description of everything that determines the trained
/// weights (architecture description, module tree, parameter names and shapes, initial weights, training and validation data,
/// training options). <see cref="ToString"/> ("benchmark-cnn-3f2a…") is the file name without extension.
/// </summary>
public sealed record TrainingKey
{
    /// <summary>Version of the key format; bumped when the training loop changes what it computes.</summary>
    public const string Format = "fisherkit-classifier-training-v1";

    private TrainingKey(string name, string text)
    {
        Name = name;
        Text = text;
        Hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }

    /// <summary>The readable prefix (letters, digits, '-', '_', '.').</summary>
    public string Name { get; }

    /// <summary>The canonical description that was hashed (stored with the weights and compared on load).</summary>
    public string Text { get; }

    /// <summary>First 16 hex digits of SHA-256(<see cref="Text"/>).</summary>
    public string Hash { get; }

    /// <summary>
    /// Builds the key of training <paramref name="model"/> (with its current, initial weights) as
    /// described by <paramref name="architecture"/> on the given data with <paramref name="options"/>.
    /// </summary>
    public static TrainingKey Create(string name, string architecture, nn.Module model, ImageDataset train, ImageDataset? validation, TrainingOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(architecture);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        var sb = new StringBuilder();
        sb.Append("format: ").Append(Format).Append('\n');
        sb.Append("architecture: ").Append(architecture.ReplaceLineEndings(" ")).Append('\n');
        sb.Append("modules:");
        foreach (var (n, m) in model.NamedModulesWithSelf()) sb.Append(' ').Append(n.Length == 0 ? "(root)" : n).Append(':').Append(m.GetType().Name);
        sb.Append('\n');
        sb.Append("parameters:");
        foreach (var (n, p) in model.named_parameters()) sb.Append(' ').Append(n).Append(TensorChecks.Shape(p.shape));
        sb.Append('\n');
        sb.Append("initial weights: ").Append(DataFingerprint.OfParameters(model)).Append('\n');
        sb.Append("train: ").Append(train.Count).Append(" images ").Append(DataFingerprint.Of(train)).Append('\n');
        sb.Append("validation: ").Append(validation is null ? "none" : $"{validation.Count} images {DataFingerprint.Of(validation)}").Append('\n');
        sb.Append("options: ").Append(options.Describe()).Append('\n');
        return new TrainingKey(CheckName(name), sb.ToString());
    }

    /// <summary>A key from a name and an arbitrary canonical text (for models trained by other loops).</summary>
    public static TrainingKey FromText(string name, string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        return new TrainingKey(CheckName(name), text);
    }

    /// <summary>"name-hash", the cache file name without extension.</summary>
    public override string ToString() => $"{Name}-{Hash}";

    private static string CheckName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Length > 80 || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')) || name.StartsWith('.'))
            throw new ArgumentException($"A cache name may hold only ASCII letters, digits, '-', '_' and '.' (not first), at most 80 characters; got \"{name}\".", nameof(name));
        return name;
    }
}
