using System.Security.Cryptography;
using System.Text;
using FisherKit.Data;
using static TorchSharp.torch;

namespace FisherKit.Training;

/// <summary>
/// Content hashes (SHA-256, hex) of data and parameters, for cache keys (<see cref="CacheKey"/>): data with
/// the same values in the same order has the same fingerprint, whatever its name or the object holding it;
/// any changed value, shape, dtype or order changes it.
/// </summary>
public static class DataFingerprint
{
    /// <summary>SHA-256 of the images and labels of <paramref name="data"/> (shapes, dtypes and values).</summary>
    public static string Of(ImageDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Of(data.Images, data.Labels);
    }

    /// <summary>
    /// SHA-256 of the tensors in order: for each its dtype, shape and raw values (a null counts as
    /// "absent", so (x, null) and (x) differ).
    /// </summary>
    public static string Of(params Tensor?[] tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var t in tensors) Append(hash, t);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>SHA-256 of the names, dtypes, shapes and values of a module's parameters and buffers, in model order (its initial weights, say).</summary>
    public static string OfParameters(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, t) in model.state_dict())
        {
            hash.AppendData(Encoding.UTF8.GetBytes(name));
            Append(hash, t);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The names, dtypes and shapes of a module's parameters and buffers as one line, e.g. "conv1.weight Float32[8,1,3,3] …" (its architecture, as values).</summary>
    public static string Architecture(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return string.Join(" ", model.state_dict().Select(kv => $"{kv.Key} {kv.Value.dtype}{TensorChecks.Shape(kv.Value.shape)}"));
    }

    private static void Append(IncrementalHash hash, Tensor? t)
    {
        if (t is null)
        {
            hash.AppendData("absent;"u8);
            return;
        }
        TensorChecks.Alive(t, "tensor");
        hash.AppendData(Encoding.UTF8.GetBytes($"{t.dtype}{TensorChecks.Shape(t.shape)};"));
        using var scope = NewDisposeScope();
        var cpu = t.detach().cpu().contiguous();
        hash.AppendData(cpu.bytes);
    }
}
