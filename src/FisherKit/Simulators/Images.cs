using TorchSharp;

namespace FisherKit.Simulators;

/// <summary>Conversions of image tensors to plain arrays for figures and tables.</summary>
public static class Images
{
    /// <summary>
    /// A 2-D tensor [H, W] (after squeezing leading singleton dimensions) as double[H, W]; with a
    /// <paramref name="mask"/> [H, W], pixels outside it become NaN (blank in heat maps).
    /// </summary>
    public static double[,] ToMatrix(torch.Tensor image, torch.Tensor? mask = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        var shape = image.shape.SkipWhile(s => s == 1).ToArray();
        if (shape.Length != 2)
            throw new ArgumentException($"ToMatrix needs one image [H, W] (leading size-1 dimensions allowed), got [{string.Join(", ", image.shape)}].", nameof(image));
        int h = (int)shape[0], w = (int)shape[1];
        double[] values;
        using (var d = image.detach()) values = d.ToDoubleArray();
        bool[]? m = null;
        if (mask is not null)
        {
            if (mask.ndim != 2 || mask.shape[0] != h || mask.shape[1] != w)
                throw new ArgumentException($"The mask must be [{h}, {w}], got [{string.Join(", ", mask.shape)}].", nameof(mask));
            using var b = mask.ne(0);
            m = b.ToArray<bool>();
        }
        var result = new double[h, w];
        for (int i = 0; i < h; i++)
            for (int j = 0; j < w; j++)
                result[i, j] = m is null || m[i * w + j] ? values[i * w + j] : double.NaN;
        return result;
    }
}
