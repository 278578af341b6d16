namespace FisherKit.Data;

/// <summary>The image corruptions of <see cref="Corruptions"/>; each takes one strength parameter.</summary>
public enum CorruptionKind
{
    /// <summary>Additive Gaussian noise; strength = standard deviation σ on the [0, 1] pixel scale.</summary>
    GaussianNoise,

    /// <summary>Gaussian blur; strength = standard deviation of the kernel in pixels.</summary>
    Blur,

    /// <summary>Rotation about the image centre; strength = angle in degrees, counterclockwise as displayed.</summary>
    Rotation,

    /// <summary>Contrast reduction towards each image's mean; strength = reduction in [0, 1] (1 = flat image).</summary>
    Contrast,

    /// <summary>A square patch at a random position; strength = side of the patch as a fraction of the image side.</summary>
    Occlusion,
}
