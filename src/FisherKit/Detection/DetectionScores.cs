using FisherKit.Data;
using static TorchSharp.torch;

namespace FisherKit.Detection;

/// <summary>Running an <see cref="IDetectionScore"/> over many inputs in batches.</summary>
public static class DetectionScores
{
    /// <summary>Scores all inputs (N, ...) in batches of <paramref name="batchSize"/>; returns N values.</summary>
    public static double[] ScoreAll(this IDetectionScore score, Tensor inputs, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(score);
        ArgumentNullException.ThrowIfNull(inputs);
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be positive.");
        if (inputs.ndim < 1) throw new ArgumentException("Inputs need a batch dimension.", nameof(inputs));
        long n = inputs.size(0);
        var result = new double[n];
        for (long start = 0; start < n; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var len = Math.Min(batchSize, n - start);
            var values = score.Score(inputs.narrow(0, start, len));
            if (values.Length != len)
                throw new InvalidOperationException($"Score \"{score.Name}\" returned {values.Length} values for a batch of {len} inputs.");
            Array.Copy(values, 0, result, start, len);
        }
        return result;
    }

    /// <summary>Scores every image of a data set (moved batch by batch to <paramref name="device"/>).</summary>
    public static double[] ScoreAll(this IDetectionScore score, ImageDataset data, int batchSize = 256, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var result = new List<double>((int)data.Count);
        foreach (var batch in data.Batches(batchSize, device: device))
            result.AddRange(score.ScoreAll(batch.Images, batchSize));
        return result.ToArray();
    }
}
