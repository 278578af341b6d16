namespace FisherKit.Models;

/// <summary>
/// Shape of a <see cref="UNet"/>: <see cref="Depth"/> down-sampling levels, channel width
/// <see cref="BaseWidth"/>·2^level, dropout after every convolution block, and the output head.
/// </summary>
/// <param name="InChannels">Input channels (e.g. one per interferometer source).</param>
/// <param name="OutChannels">Predicted channels (1 for a height map).</param>
/// <param name="Depth">Number of 2× down-sampling steps; H and W must be divisible by 2^Depth.</param>
/// <param name="BaseWidth">Channels of the first level.</param>
/// <param name="Dropout">Element-wise dropout probability after each block (0: none; &gt; 0 enables MC dropout).</param>
/// <param name="Head">Mean only or heteroscedastic Gaussian.</param>
/// <param name="MinVariance">Floor added to the softplus variance of the Gaussian head.</param>
public sealed record UNetOptions(int InChannels, int OutChannels = 1, int Depth = 3, int BaseWidth = 16, double Dropout = 0, RegressionHead Head = RegressionHead.Mean, double MinVariance = 1e-6)
{
    /// <summary>Throws an <see cref="ArgumentException"/> for impossible settings.</summary>
    public void Validate()
    {
        if (InChannels < 1) throw new ArgumentOutOfRangeException(nameof(InChannels), InChannels, "A U-Net needs at least one input channel.");
        if (OutChannels < 1) throw new ArgumentOutOfRangeException(nameof(OutChannels), OutChannels, "A U-Net needs at least one output channel.");
        if (Depth < 1 || Depth > 6) throw new ArgumentOutOfRangeException(nameof(Depth), Depth, "Depth must lie in 1 … 6.");
        if (BaseWidth < 1 || BaseWidth > 512) throw new ArgumentOutOfRangeException(nameof(BaseWidth), BaseWidth, "BaseWidth must lie in 1 … 512.");
        if (!(Dropout >= 0 && Dropout < 1)) throw new ArgumentOutOfRangeException(nameof(Dropout), Dropout, "Dropout must lie in [0, 1).");
        if (!(MinVariance >= 0) || double.IsInfinity(MinVariance)) throw new ArgumentOutOfRangeException(nameof(MinVariance), MinVariance, "MinVariance must be finite and non-negative.");
    }

    /// <summary>Output channels of the last layer: OutChannels, or 2·OutChannels for the Gaussian head.</summary>
    public int RawOutputChannels => Head == RegressionHead.Gaussian ? 2 * OutChannels : OutChannels;
}
