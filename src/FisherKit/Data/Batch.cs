using static TorchSharp.torch;

namespace FisherKit.Data;

/// <summary>
/// A mini-batch: images (B, C, H, W) float32 in [0, 1], labels (B) int64, and the positions of its
/// samples in the data set it came from. The batch owns its tensors (they belong to no dispose
/// scope); <see cref="ImageDataset.Batches"/> disposes each batch when the loop moves on, so clone
/// what must outlive the iteration.
/// </summary>
public sealed class Batch : IDisposable
{
    internal Batch(Tensor images, Tensor labels, long[] indices)
    {
        Images = images;
        Labels = labels;
        Indices = indices;
    }

    /// <summary>Images (B, C, H, W), float32 in [0, 1].</summary>
    public Tensor Images { get; }

    /// <summary>Class labels (B), int64.</summary>
    public Tensor Labels { get; }

    /// <summary>Positions of the samples in the source data set.</summary>
    public IReadOnlyList<long> Indices { get; }

    /// <summary>Number of samples.</summary>
    public int Count => Indices.Count;

    /// <summary>Releases the tensors.</summary>
    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
