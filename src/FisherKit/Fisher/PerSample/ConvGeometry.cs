using TorchSharp;
using TorchSharp.Modules;

namespace FisherKit.Fisher.PerSample;

/// <summary>What the per-sample rules need to know of a TorchSharp convolution: whether they cover it, and its explicit zero padding.</summary>
internal static class ConvGeometry
{
    /// <summary>
    /// Groups = 1 and zero padding given as numbers (or "valid"); "same" padding, circular or
    /// reflecting padding modes and grouped convolutions fall back to the generic path.
    /// </summary>
    public static bool Supported(Convolution c) => c.groups == 1 && ZeroPadding(c);

    /// <summary>Zero padding given as numbers (or "valid"), so that <see cref="Padding"/> describes it.</summary>
    public static bool ZeroPadding(Convolution c) =>
        c.padding_mode == PaddingModes.Zeros && c.padding_type is null or TorchSharp.Padding.Valid;

    /// <summary>The zero padding per spatial dimension.</summary>
    public static long[] Padding(Convolution c) =>
        c.padding_type == TorchSharp.Padding.Valid ? new long[c.kernel_size.Length] : c.padding ?? new long[c.kernel_size.Length];
}
