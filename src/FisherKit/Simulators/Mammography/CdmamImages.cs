using static TorchSharp.torch;

namespace FisherKit.Simulators.Mammography;

/// <summary>
/// A batch of simulated CDMAM images and what is known about them: the images in DN (float32 [B, 1, H, W]),
/// the true corner of every cell's second disc (int64 [B, cells]: 0 top-left, 1 top-right, 2 bottom-left,
/// 3 bottom-right in image orientation), the detector shifts (float64 [B, 2], x and y in mm), the layout and the device.
/// </summary>
public sealed class CdmamImages : IDisposable
{
    internal CdmamImages(Tensor images, Tensor corners, Tensor shifts, CdmamLayout layout, MammographyDevice device)
    {
        Images = images;
        Corners = corners;
        ShiftsMm = shifts;
        Layout = layout;
        Device = device;
    }

    /// <summary>The images (DN), float32 [B, 1, H, W].</summary>
    public Tensor Images { get; }

    /// <summary>The true corner per cell, int64 [B, cells].</summary>
    public Tensor Corners { get; }

    /// <summary>The random sub-pixel detector shift per image, float64 [B, 2] (x, y in mm).</summary>
    public Tensor ShiftsMm { get; }

    /// <summary>The phantom layout.</summary>
    public CdmamLayout Layout { get; }

    /// <summary>The device that made the images.</summary>
    public MammographyDevice Device { get; }

    /// <summary>Number of images.</summary>
    public long Count => Images.shape[0];

    /// <inheritdoc />
    public void Dispose()
    {
        Images.Dispose();
        Corners.Dispose();
        ShiftsMm.Dispose();
    }
}
