using System.Runtime.InteropServices;
using System.Security.Cryptography;
using FisherKit.Data;
using static TorchSharp.torch;

namespace FisherKit.Training;

/// <summary>
/// Content hashes (SHA-256, hex) of data sets and parameter tensors, for weight-cache keys: two data
/// sets with the same images and labels in the same order have the same fingerprint, whatever their
/// names; any changed pixel, label or order changes it.
/// </summary>
public static class DataFingerprint
{
    private const long Chunk = 4096;

    /// <summary>SHA-256 of the shape, the float32 images and the int64 labels of <paramref name="data"/>.</summary>
    public static string Of(ImageDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        AppendShape(hash, data.Images.shape);
        for (long start = 0; start < data.Count; start += Chunk)
        {
            using var scope = NewDisposeScope();
            var len = Math.Min(Chunk, data.Count - start);
            hash.AppendData(MemoryMarshal.AsBytes(new ReadOnlySpan<float>(data.Images.narrow(0, start, len).contiguous().ToArray<float>())));
        }
        hash.AppendData(MemoryMarshal.AsBytes(new ReadOnlySpan<long>(data.LabelArray())));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>SHA-256 of the names, shapes and float32 values of a module's parameters, in model order.</summary>
    public static string OfParameters(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, p) in model.named_parameters())
        {
            using var scope = NewDisposeScope();
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(name));
            AppendShape(hash, p.shape);
            var values = p.detach().to(ScalarType.Float32).cpu().contiguous().ToArray<float>();
            hash.AppendData(MemoryMarshal.AsBytes(new ReadOnlySpan<float>(values)));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static void AppendShape(IncrementalHash hash, long[] shape)
    {
        long[] header = [shape.Length, .. shape];
        hash.AppendData(MemoryMarshal.AsBytes(new ReadOnlySpan<long>(header)));
    }
}
